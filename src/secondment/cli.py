"""Run a command line the course's way: an expected failure is one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import sys

from secondment.errors import SecondmentError

__all__ = ["run"]


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse `argv`, run the chosen command's function, and return its exit code.

    A `SecondmentError` prints `PROG: error: MESSAGE` and returns 2; Ctrl-C returns 130.
    """
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except SecondmentError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return 130
    return code
