"""The one base class of the course's expected failures."""

from __future__ import annotations

__all__ = ["SecondmentError"]


class SecondmentError(Exception):
    """An expected failure: the command line prints its message as one line, no traceback.

    Each area subclasses it (`ArticleError`, `ExecuteError`, `ExerciseError`, `GradeError`, …);
    the message names the file or value at fault and says what to do.
    """
