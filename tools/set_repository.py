"""Where the course lives: one setting, and every place written from it.

    python tools/set_repository.py                          check that every place agrees
    python tools/set_repository.py OWNER/NAME [--branch B]  move the course there (a fork)

The setting is two lines of src/secondment/teach/links.py, `COURSE_REPO` (GitHub OWNER/NAME) and
`COURSE_BRANCH`. The link builder (`python -m secondment.teach links`) and the website read them
from there; these files are written from them, and this script (and a test) checks them:

- README.md: the Binder badge, the launch link of every lesson, the website's address;
- zh-CN/README.md and its catalogue translations/zh_CN/README.po: the same links, in the
  Chinese edition;
- CITATION.cff: `repository-code` and `url`;
- pyproject.toml: `[project.urls]`;
- .github/ISSUE_TEMPLATE/config.yml: the link to the website;
- .github/workflows/site.yml and binder.yml: the repository they deploy and warm up for, and
  the branch they run on.

With OWNER/NAME it rewrites the setting and all of them, then checks again. Standard library
only, and it reads links.py as text, so it works before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from secondment.teach.links import (  # noqa: E402
    LinkError,
    binder_badge,
    binder_link,
    repository_url,
    site_url,
)

LINKS = "src/secondment/teach/links.py"
SETTING = re.compile(r'^(COURSE_REPO|COURSE_BRANCH) = "([^"]*)"$', re.MULTILINE)
WORKFLOWS = (".github/workflows/site.yml", ".github/workflows/binder.yml")
#: Files whose links to the course's website, repository or Binder follow the setting.
PAGES_LINKED = ("README.md", "CITATION.cff", "pyproject.toml", ".github/ISSUE_TEMPLATE/config.yml")
#: The Chinese edition's README, and the catalogue it is made from: its links are the README's.
EDITION_README = ("translations/zh_CN/README.po", "zh-CN/README.md")
GATE = re.compile(r"github\.repository == '([^']*)'")
BRANCHES = re.compile(r"^\s+branches: \[([^\]]*)\]$", re.MULTILINE)
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/([^?\s)]+)")
# Pages hosts are lower case, so `https://OWNER.github.io/NAME/` in the docs is a placeholder.
PAGES_LINK = re.compile(r"https://[a-z0-9-]+\.github\.io/[^\s)\"'>]*")
CFF_FIELD = re.compile(r'^(repository-code|url): "?([^"\s]+)"?\s*$', re.MULTILINE)


def setting(root: Path = ROOT) -> tuple[str, str]:
    """(COURSE_REPO, COURSE_BRANCH) as written in links.py."""
    found = dict(SETTING.findall((root / LINKS).read_text(encoding="utf-8")))
    return found["COURSE_REPO"], found["COURSE_BRANCH"]


def _lessons(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "notebooks").glob("*.ipynb"))


def disagreements(root: Path = ROOT) -> list[str]:
    """Every place that does not follow the setting, as `file: what`; empty when all agree."""
    repo, branch = setting(root)
    found: list[str] = []

    readme = (root / "README.md").read_text(encoding="utf-8")
    if binder_badge(repo, branch) not in readme:
        found.append(f"README.md: no Binder badge for {repo} at {branch}")
    for nb in _lessons(root):
        if binder_link(repo, branch, nb) not in readme:
            found.append(f"README.md: no Binder launch link for {nb}")
    for name in ("README.md", *EDITION_README):
        if not (root / name).is_file():
            continue
        for where, ref in BINDER_LINK.findall((root / name).read_text(encoding="utf-8")):
            if (where, ref) != (repo, branch):
                found.append(
                    f"{name}: a Binder link opens {where} at {ref}, not {repo} at {branch}"
                )
    if site_url(repo) not in readme:
        found.append(f"README.md: no link to the website, {site_url(repo)}")
    for name in (*PAGES_LINKED, *(n for n in EDITION_README if (root / n).is_file())):
        for url in PAGES_LINK.findall((root / name).read_text(encoding="utf-8")):
            if not url.startswith(site_url(repo)):
                found.append(f"{name}: {url} is not on the website, {site_url(repo)}")

    cff = dict(CFF_FIELD.findall((root / "CITATION.cff").read_text(encoding="utf-8")))
    for field, want in (("repository-code", repository_url(repo)), ("url", site_url(repo))):
        if cff.get(field) != want:
            found.append(f"CITATION.cff: {field} is {cff.get(field)}, not {want}")

    urls = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    urls = urls.get("project", {}).get("urls", {})
    for key, want in (("Homepage", site_url(repo)), ("Repository", repository_url(repo))):
        if urls.get(key) != want:
            found.append(f"pyproject.toml: [project.urls] {key} is {urls.get(key)}, not {want}")

    for name in WORKFLOWS:
        text = (root / name).read_text(encoding="utf-8")
        gates = GATE.findall(text)
        if not gates or any(g != repo for g in gates):
            found.append(f"{name}: runs for {', '.join(gates) or 'no repository'}, not {repo}")
        if [b.strip() for b in BRANCHES.findall(text)] != [branch]:
            found.append(f"{name}: does not run on pushes to {branch} only")
    return found


def _rewrite(path: Path, pairs: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def set_repository(repo: str, branch: str, root: Path = ROOT) -> list[str]:
    """Move the setting, and every place written from it, to REPO at BRANCH; then check."""
    repository_url(repo)  # refuses a malformed OWNER/NAME before anything is written
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch):
        raise LinkError(f"the branch should be a name like main, not {branch!r}")
    old_repo, old_branch = setting(root)
    links = root / LINKS
    text = links.read_text(encoding="utf-8")
    text = text.replace(f'COURSE_REPO = "{old_repo}"', f'COURSE_REPO = "{repo}"')
    text = text.replace(f'COURSE_BRANCH = "{old_branch}"', f'COURSE_BRANCH = "{branch}"')
    links.write_text(text, encoding="utf-8")

    old_binder = f"https://mybinder.org/v2/gh/{old_repo}/{old_branch}?"
    new_binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?"
    urls = [
        (old_binder, new_binder),
        (site_url(old_repo), site_url(repo)),
        (repository_url(old_repo), repository_url(repo)),
    ]
    for name in (*PAGES_LINKED, *(n for n in EDITION_README if (root / n).is_file())):
        _rewrite(root / name, urls)
    for name in WORKFLOWS:
        _rewrite(
            root / name,
            [
                (f"github.repository == '{old_repo}'", f"github.repository == '{repo}'"),
                (f"branches: [{old_branch}]", f"branches: [{branch}]"),
            ],
        )
    return disagreements(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/set_repository.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("repo", nargs="?", help="the GitHub OWNER/NAME the course moves to")
    parser.add_argument("--branch", help="the branch classes use (default: keep the current)")
    args = parser.parse_args(argv)
    if args.repo is None:
        if args.branch:
            parser.error("--branch goes with OWNER/NAME")
        problems = disagreements()
    else:
        try:
            problems = set_repository(args.repo, args.branch or setting()[1])
        except LinkError as exc:
            print(f"set_repository: {exc}", file=sys.stderr)
            return 2
    repo, branch = setting()
    for problem in problems:
        print(f"set_repository: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"set_repository: every link follows {repo} at {branch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
