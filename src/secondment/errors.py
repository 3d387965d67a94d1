"""The course's expected failures: one base class, and every subclass the library raises.

Each is defined here once; the module that raises it imports it from here (and names it in its
`__all__`, so `from secondment.article import ArticleError` keeps working).
"""

from __future__ import annotations

__all__ = [
    "AnswerTooBig",
    "ArticleError",
    "EvaluateError",
    "ExecuteError",
    "Hint",
    "LanguageError",
    "PathsError",
    "RecordedError",
    "SchemaError",
    "SecondmentError",
    "TablesError",
    "UsageError",
]


class SecondmentError(Exception):
    """An expected failure: the command line prints its message as one line, no traceback.

    The message names the file or value at fault and says what to do. The teaching tools'
    errors (`ExerciseError`, `GradeError`, `LinkError`) derive from it too.
    """


class PathsError(SecondmentError):
    """The course folder or its data cannot be found; the message says how to fix it."""


class ArticleError(SecondmentError, ValueError):
    """An input file that cannot be read as an article; the message is one line for the user."""


class SchemaError(SecondmentError, ValueError):
    """A CSV that is not the table it should be: columns missing, or values of the wrong kind."""


class TablesError(SecondmentError):
    """Tables that cannot be written where they were asked for; nothing was written."""


class EvaluateError(SecondmentError):
    """A gold folder or gold file that cannot be used; the message names it."""


class ExecuteError(SecondmentError, ValueError):
    """A notebook that could not be re-executed; the message is one line naming the file."""


class UsageError(SecondmentError):
    """A command was given arguments it cannot work with."""


class Hint(SecondmentError):
    """Raised by a self-check's checker when the answer is wrong; the message is the hint shown."""


class AnswerTooBig(SecondmentError, ValueError):
    """An answer whose description would exceed the self-checks' size bounds."""


class LanguageError(SecondmentError, ValueError):
    """An unknown language tag for the self-checks' verdicts."""


class RecordedError(SecondmentError):
    """What a student's function raised in the kernel, replayed where it is decided: `Type: msg`."""
