"""The course's command line: `python -m secondment COMMAND` (see `--help`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from secondment.errors import SecondmentError


class UsageError(SecondmentError):
    """A command was given arguments it cannot work with."""


def _course() -> Path:
    """The course folder, for the commands that work on its notebooks."""
    from secondment.article import course_root

    root = course_root()
    if root is None:
        raise UsageError("this command works in a clone of the course (`pip install -e .`)")
    return root


def _tables(args: argparse.Namespace) -> int:
    from secondment.article import article_path, datasets_dir, parse_article, read_article_text
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
    from secondment.article import datasets_dir, load_article
    from secondment.files import write_atomically
    from secondment.schema import refresh_datasheet
    from secondment.tables import write_tables

    _course()
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

    root = _course()
    paths = [Path(p) for p in args.notebooks] or sorted(
        [*root.glob("notebooks/*.ipynb"), *root.glob("exercises/solutions/*.ipynb")]
    )
    for path in paths:
        seconds = execute_notebook(path)
        shown = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
        print(f"{seconds:6.1f} s  {shown}", flush=True)
    return 0


def _build_exercises(args: argparse.Namespace) -> int:
    from secondment.exercises import build_exercises, out_of_sync

    root = _course()
    if args.check:
        problems = out_of_sync(root)
        for problem in problems:
            print(f"out of sync: exercises/{problem}", file=sys.stderr)
        if problems:
            print("run `python -m secondment build-exercises`", file=sys.stderr)
            return 1
        print("the student exercises are in sync with their solutions")
        return 0
    results = build_exercises(root, execute=not args.no_execute)
    for path, changed in results:
        print(f"{'updated ' if changed else 'in sync '} {path.relative_to(root)}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from secondment.grade import (
        GradeError,
        Limits,
        check_writable,
        feedback_folder,
        find_submissions,
        grade,
        isolation_line,
        save_chart,
        summary,
        write_feedback,
        write_gradebook,
    )

    out = Path(args.out)
    check_writable(out)  # before any grading: a bad --out must not cost the whole run
    files: list[Path] = []
    root = None
    for given in map(Path, args.submissions):
        if given.is_dir() or not given.exists():
            files += find_submissions(given)
            root = given if len(args.submissions) == 1 else None
        else:
            files.append(given)
    if not files:
        raise GradeError("no submissions given: pass notebooks or a submissions/ folder")
    limits = Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                    memory_mb=args.memory_mb, output_mb=args.output_mb)  # fmt: skip
    print(isolation_line(), flush=True)
    hide = [out, feedback_folder(out)]  # last time's marks are not the kernels' business
    rows = grade(files, only=args.exercise, jobs=args.jobs, root=root, limits=limits, hide=hide)
    write_gradebook(rows, out)
    notes = write_feedback(rows, feedback_folder(out))
    print(summary(rows))
    print(f"wrote {out} ({len(rows)} rows) and {len(notes)} feedback files in "
          f"{feedback_folder(out)}")  # fmt: skip
    if args.chart:
        save_chart(rows, Path(args.chart))
        print(f"wrote {args.chart}")
    return 0


def _links(args: argparse.Namespace) -> int:
    from secondment.links import binder_link, hub_link

    print(binder_link(args.repo, args.ref, args.notebook))
    if args.hub:
        print(hub_link(args.hub, args.repo, args.ref, args.notebook))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from secondment.bench import main as bench_main

    argv = (["--quick"] if args.quick else []) + (["--out", args.out] if args.out else [])
    return bench_main(argv)


def _evaluate(args: argparse.Namespace) -> int:
    from secondment.evaluate import evaluate_corpus, format_scores

    results = evaluate_corpus(args.gold_dir)
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

    p = sub.add_parser("build-exercises", help="generate student exercises from the solutions")
    p.add_argument("--no-execute", action="store_true", help="do not run them (faster)")
    p.add_argument(
        "--check", action="store_true", help="only check that they are in sync; write nothing"
    )
    p.set_defaults(func=_build_exercises)

    p = sub.add_parser("grade", help="grade submitted exercise notebooks into a gradebook CSV")
    p.add_argument(
        "submissions",
        nargs="+",
        help="a submissions/ folder (<student>/…/<notebook>.ipynb) or notebooks",
    )
    p.add_argument("--out", default="gradebook.csv", help="gradebook CSV (default gradebook.csv)")
    p.add_argument("--exercise", help="only accept this exercise number, e.g. 03")
    p.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell (default 30)")
    p.add_argument("--notebook-timeout", type=int, default=180, help="seconds per notebook")
    p.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    p.add_argument("--memory-mb", type=int, default=1536,
                   help="address space of each kernel in MB (default 1536)")  # fmt: skip
    p.add_argument("--output-mb", type=int, default=20,
                   help="cell output kept per notebook in MB (default 20)")  # fmt: skip
    p.add_argument("--chart", help="also save a chart of the share passing each question")
    p.set_defaults(func=_grade)

    p = sub.add_parser("links", help="print Binder and JupyterHub (nbgitpuller) links")
    p.add_argument("--repo", required=True, help="GitHub OWNER/NAME")
    p.add_argument("--ref", default="main", help="branch, tag or commit (default main)")
    p.add_argument("--hub", help="JupyterHub URL, for an nbgitpuller link")
    p.add_argument("--notebook", default="notebooks/00-start-here.ipynb", help="notebook to open")
    p.set_defaults(func=_links)

    p = sub.add_parser("bench", help="time the notebooks, the validation and JupyterLab")
    p.add_argument("--quick", action="store_true", help="notebooks only: skip the slow parts")
    p.add_argument("--out", help="where to write the results table (default benchmarks/results.md)")
    p.set_defaults(func=_bench)

    p = sub.add_parser("evaluate", help="score the extractor against gold files (P, R, F1)")
    p.add_argument("gold_dir", nargs="?", help="folder of gold .json files (default: the corpus)")
    p.add_argument("--errors", action="store_true", help="also list every missed and extra item")
    p.set_defaults(func=_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SecondmentError as exc:
        print(f"secondment: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("secondment: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
