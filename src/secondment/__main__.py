"""The course's command line: `python -m secondment COMMAND` (see `--help`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from secondment.cli import run
from secondment.errors import UsageError
from secondment.paths import require_course_root


def _tables(args: argparse.Namespace) -> int:
    from secondment.article import parse_article, read_article_text
    from secondment.paths import article_path, datasets_dir
    from secondment.tables import build_tables, unread_warnings, write_tables

    source = Path(args.article) if args.article else article_path()
    out = Path(args.out)
    # The course's own tables are the lessons' input: only refresh-datasets rewrites them.
    if out.resolve() == datasets_dir().resolve():
        raise UsageError(
            f"{out}: is the course's own datasets/ folder, which `tables` never overwrites; "
            "choose another --out (maintainers: `python -m secondment refresh-datasets`)"
        )
    article = parse_article(read_article_text(source, args.encoding))
    paths = write_tables(article, out)
    for line in unread_warnings(article):
        print(line, file=sys.stderr)
    empty = [name for name, df in build_tables(article).items() if df.empty]
    if len(empty) == 4:
        print(f"warning: {source}: found no cadres, ranks, quantities or dates; "
              "wrote headers-only tables", file=sys.stderr)  # fmt: skip
    print(f"wrote {len(paths)} files to {out}")
    return 0


def _refresh_datasets(args: argparse.Namespace) -> int:
    from secondment.article import load_article
    from secondment.files import write_atomically
    from secondment.paths import datasets_dir
    from secondment.schema import refresh_datasheet
    from secondment.tables import write_tables

    require_course_root()
    paths = write_tables(load_article(), datasets_dir())
    sheet = datasets_dir() / "README.md"
    text = sheet.read_text(encoding="utf-8")
    if refresh_datasheet(text) != text:
        paths.append(write_atomically(sheet, refresh_datasheet(text).encode("utf-8")))
    print(f"wrote {len(paths)} files to {datasets_dir()}")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from secondment.doctor import diagnose, report

    findings = diagnose()
    print(report(findings))
    return 0 if all(f.ok for f in findings) else 1


def _execute(args: argparse.Namespace) -> int:
    from secondment.execute import execute_notebook
    from secondment.paths import STORED_BY_EXECUTE, notebooks

    root = require_course_root()
    paths = [Path(p) for p in args.notebooks] or sorted(notebooks(*STORED_BY_EXECUTE))
    for path in paths:
        seconds = execute_notebook(path)
        shown = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
        print(f"{seconds:6.1f} s  {shown}", flush=True)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from secondment.evaluate import evaluate_corpus, format_scores

    results = evaluate_corpus(args.gold_dir, args.split)
    print(format_scores(results))
    if args.errors:
        for r in results:
            for name in r.scores:
                for item in sorted(map(str, r.missed[name])):
                    print(f"{r.name}: {name}: missed {item}")
                for item in sorted(map(str, r.extra[name])):
                    print(f"{r.name}: {name}: extra {item}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m secondment`."""
    parser = argparse.ArgumentParser(prog="secondment", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tables", help="parse an article and write its CSV tables")
    p.add_argument("article", nargs="?", help="article .txt (default: the course article)")
    p.add_argument("--out", default="tables", help="output folder (default: ./tables)")
    p.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8; try gbk)")
    p.set_defaults(func=_tables)

    p = sub.add_parser(
        "refresh-datasets",
        help="maintainers: rewrite the course's datasets/ tables from its article",
    )
    p.set_defaults(func=_refresh_datasets)

    p = sub.add_parser("doctor", help="check that this environment is ready for the course")
    p.set_defaults(func=_doctor)

    p = sub.add_parser("execute", help="re-execute notebooks in place, reproducibly")
    p.add_argument("notebooks", nargs="*", help="notebooks (default: lessons and solutions)")
    p.set_defaults(func=_execute)

    p = sub.add_parser("evaluate", help="score the extractor against gold files (P, R, F1)")
    p.add_argument("gold_dir", nargs="?", help="folder of gold .json files (default: the corpus)")
    p.add_argument(
        "--split",
        choices=("tune", "test", "all"),
        default="all",
        help="score one half of the corpus: tune (the extractor is tuned on it), test (held "
        "out) or all (default)",
    )
    p.add_argument("--errors", action="store_true", help="also list every missed and extra item")
    p.set_defaults(func=_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    return run(build_parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
