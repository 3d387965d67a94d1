"""Validate the repository's workflow, issue-form and citation files against their schemas.

    python tools/check_schemas.py           every such file in the repository
    python tools/check_schemas.py FILE...   only these (what the pre-commit hook passes)

Each file is checked by check-jsonschema with the schema its path calls for; those schemas ship
inside check-jsonschema, so this needs no network. A broken workflow fails here, on a laptop
and in the test suite, before the code host refuses to run it.
"""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

# upstream: https://github.com/python-jsonschema/jsonschema/issues/1428
# jsonschema imports rfc3987_syntax, which builds ~35 parsers at import time (seconds on a busy
# machine), only for the "iri" formats that none of these schemas use; "uri" is still checked.
# The same is done for every pytest process by the plugin tools/nbval_course.py.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

ROOT = Path(__file__).resolve().parent.parent

#: Which schema each file is checked against: the first pattern its path matches wins.
SCHEMAS = (
    (".github/workflows/*.yml", "vendor.github-workflows"),
    (".github/workflows/*.yaml", "vendor.github-workflows"),
    (".github/ISSUE_TEMPLATE/config.yml", "vendor.github-issue-config"),
    (".github/ISSUE_TEMPLATE/*.yml", "vendor.github-issue-forms"),
    ("CITATION.cff", "vendor.citation-file-format"),
)


def schema_for(relative: str) -> str | None:
    """The built-in schema a repository path is checked against, or None."""
    for pattern, schema in SCHEMAS:
        if fnmatch.fnmatchcase(relative, pattern):
            return schema
    return None


def files_to_check(root: Path = ROOT, files: list[str] | None = None) -> dict[str, list[Path]]:
    """{schema: [files]}: the given files (paths relative to `root`), or every file that has one."""
    if files is None:
        candidates = [p for pattern, _ in SCHEMAS for p in sorted(root.glob(pattern))]
    else:
        candidates = [root / f for f in files]
    groups: dict[str, list[Path]] = {}
    for path in candidates:
        schema = schema_for(path.relative_to(root).as_posix())
        if schema is not None and path not in groups.get(schema, []):
            groups.setdefault(schema, []).append(path)
    return groups


def check(groups: dict[str, list[Path]]) -> int:
    """Run check-jsonschema once per schema, in this process; 0 when every file is valid."""
    from check_jsonschema.cli.main_command import main as check_jsonschema

    worst = 0
    for schema, paths in groups.items():
        argv = ["--builtin-schema", schema, *map(str, paths)]
        code = check_jsonschema.main(args=argv, prog_name="check-jsonschema", standalone_mode=False)
        worst = max(worst, int(code or 0))
    return worst


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    given = [Path(a).resolve().relative_to(root.resolve()).as_posix() for a in args]
    groups = files_to_check(root, given if args else None)
    if not groups:
        print("check_schemas: no workflow, issue form or CITATION.cff to check")
        return 0
    return check(groups)


if __name__ == "__main__":
    sys.exit(main())
