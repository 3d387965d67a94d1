"""The instructors' command line: `python -m secondment.teach COMMAND` (see `--help`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from secondment.cli import run
from secondment.paths import require_course_root


def _build_exercises(args: argparse.Namespace) -> int:
    from secondment.teach.exercises import build_exercises, out_of_sync

    root = require_course_root()
    if args.check:
        problems = out_of_sync(root)
        for problem in problems:
            where = "" if problem.startswith("src/") else "exercises/"
            print(f"out of sync: {where}{problem}", file=sys.stderr)
        if problems:
            print("run `python -m secondment.teach build-exercises`", file=sys.stderr)
            return 1
        print("the student exercises are in sync with their solutions")
        return 0
    results = build_exercises(root, execute=not args.no_execute)
    for path, changed in results:
        print(f"{'updated ' if changed else 'in sync '} {path.relative_to(root)}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from secondment.teach.grade import (
        GradeError,
        Limits,
        check_writable,
        feedback_folder,
        find_submissions,
        grade,
        isolation_line,
        refuse_unsafe,
        save_chart,
        summary,
        write_feedback,
        write_gradebook,
    )
    from secondment.teach.probes import grading_probes, probes_line
    from secondment.teach.report import Progress

    out = Path(args.out)
    check_writable(out)  # before any grading: a bad --out must not cost the whole run
    probes = grading_probes(Path(args.probes) if args.probes else None)  # a bad file: now
    files: list[Path] = []
    roots: list[Path] = []  # each folder given: its top folders are the students
    for given in map(Path, args.submissions):
        if given.is_dir() or not given.exists():
            files += find_submissions(given)
            roots.append(given)
        else:
            files.append(given)
    if not files:
        raise GradeError("no submissions given: pass notebooks or a submissions/ folder")
    limits = Limits(
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        student_timeout=args.student_timeout,
        memory_mb=args.memory_mb,
        output_mb=args.output_mb,
        file_mb=args.disk_mb,
        processes=args.processes,
        cpu_seconds=args.cpu_seconds,
        check_timeout=args.check_timeout,
    )
    refuse_unsafe()
    print(isolation_line())
    print(probes_line(probes), flush=True)
    hide = [out, feedback_folder(out)]  # last time's marks are not the kernels' business
    progress = Progress(len(files))
    rows = grade(
        files,
        only=args.exercise,
        jobs=args.jobs,
        root=roots,
        limits=limits,
        hide=hide,
        progress=lambda sub, rows: progress.update(sub.student, sub.exercise, rows),
        probes=probes,
    )
    write_gradebook(rows, out)
    notes = write_feedback(rows, feedback_folder(out))
    print(summary(rows))
    print(f"wrote {out} ({len(rows)} rows) and {len(notes)} feedback files in "
          f"{feedback_folder(out)}")  # fmt: skip
    if args.chart:
        save_chart(rows, Path(args.chart))
        print(f"wrote {args.chart}")
    return 0


def _probes(args: argparse.Namespace) -> int:
    import json

    from secondment.teach.probes import course_probes_file, grading_probes, probes_line

    if args.check:
        print(probes_line(grading_probes(Path(args.check))))
        return 0
    text = json.dumps(course_probes_file(), ensure_ascii=False, indent=1) + "\n"
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote the course's own probes to {args.write}: replace them with your own")
    else:
        sys.stdout.write(text)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _links(args: argparse.Namespace) -> int:
    from secondment.teach.links import binder_link, hub_link

    print(binder_link(args.repo, args.ref, args.notebook))
    if args.hub:
        print(hub_link(args.hub, args.repo, args.ref, args.notebook))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m secondment.teach`."""
    from secondment.teach.budget import Limits

    parser = argparse.ArgumentParser(prog="secondment-teach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

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
    p.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    limit = Limits()
    for flag, dest, text in [
        ("--cell-timeout", "cell_timeout", "seconds per cell"),
        ("--notebook-timeout", "notebook_timeout", "seconds per notebook"),
        ("--student-timeout", "student_timeout", "seconds for all of one student's notebooks"),
        ("--memory-mb", "memory_mb", "memory of all of a submission's processes together, MB"),
        ("--output-mb", "output_mb", "cell output kept per notebook, MB"),
        ("--disk-mb", "file_mb", "what a submission may write, MB"),
        ("--processes", "processes", "processes and threads of a submission at once"),
        ("--cpu-seconds", "cpu_seconds", "CPU time of a submission's processes"),
        ("--check-timeout", "check_timeout", "seconds to decide one answer"),
    ]:
        default = getattr(limit, dest)
        p.add_argument(flag, dest=dest.replace("file_mb", "disk_mb"), type=_positive,
                       default=default, help=f"{text} (default {default})")  # fmt: skip
    p.add_argument("--chart", help="also save a chart of the share passing each question")
    p.add_argument(
        "--probes",
        metavar="FILE",
        help="inputs of your own (JSON) to try function answers on, in place of the course's "
        "public ones (see `probes --help`)",
    )
    p.set_defaults(func=_grade)

    p = sub.add_parser(
        "probes",
        help="write the course's own probes (the inputs function answers are tried on) as a "
        "probes file, or check one of your own",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--write", metavar="FILE", help="write them to FILE (default: print them)")
    what.add_argument("--check", metavar="FILE", help="check FILE, as `grade --probes FILE` would")
    p.set_defaults(func=_probes)

    p = sub.add_parser("links", help="print Binder and JupyterHub (nbgitpuller) links")
    p.add_argument("--repo", required=True, help="GitHub OWNER/NAME")
    p.add_argument("--ref", default="main", help="branch, tag or commit (default main)")
    p.add_argument("--hub", help="JupyterHub URL, for an nbgitpuller link")
    p.add_argument("--notebook", default="notebooks/00-start-here.ipynb", help="notebook to open")
    p.set_defaults(func=_links)

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the instructors' command line and return its exit code."""
    return run(build_parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
