"""Links that open the course for a class: on mybinder.org, or on a JupyterHub via nbgitpuller."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from secondment.errors import SecondmentError

__all__ = [
    "COURSE_BRANCH",
    "COURSE_REPO",
    "LinkError",
    "binder_badge",
    "binder_link",
    "hub_link",
    "repository_url",
    "site_url",
]

BINDER = "https://mybinder.org/v2/gh"

# The course's one setting of where it lives: its GitHub repository and the branch classes use.
# The README's badge and launch links, the website's address, CITATION.cff and the workflows'
# repository checks are written from these two lines, and a test fails when any of them
# disagrees. A fork sets its own with `python tools/set_repository.py OWNER/NAME [--branch B]`,
# which rewrites these lines and every place written from them.
COURSE_REPO = "hebei-daily-course/secondment"
COURSE_BRANCH = "main"


class LinkError(SecondmentError, ValueError):
    """A repository or hub that no link can be made for; the message says what is expected."""


def _check_repo(repo: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise LinkError(f"the repository should look like OWNER/NAME (as on GitHub), not {repo!r}")
    return repo


def binder_link(
    repo: str, ref: str = "main", notebook: str = "notebooks/00-start-here.ipynb"
) -> str:
    """A mybinder.org link that builds REPO at REF and opens NOTEBOOK in JupyterLab."""
    path = quote(f"lab/tree/{notebook}", safe="/")
    return f"{BINDER}/{_check_repo(repo)}/{quote(ref, safe='')}?urlpath={path}"


def binder_badge(
    repo: str, ref: str = "main", notebook: str = "notebooks/00-start-here.ipynb"
) -> str:
    """The Markdown of a Binder badge for the link above."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_link(repo, ref, notebook)})"


def hub_link(
    hub: str, repo: str, ref: str = "main", notebook: str = "notebooks/00-start-here.ipynb"
) -> str:
    """An nbgitpuller link: the hub clones or updates the repo per student, then opens NOTEBOOK."""
    if not re.match(r"https?://", hub):
        raise LinkError(f"the hub should be its URL, like https://hub.example.edu, not {hub!r}")
    name = _check_repo(repo).split("/")[1]
    query = urlencode(
        {
            "repo": f"https://github.com/{repo}",
            "branch": ref,
            "urlpath": f"lab/tree/{name}/{notebook}",
        }
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def repository_url(repo: str = COURSE_REPO) -> str:
    """The repository's page on GitHub."""
    return f"https://github.com/{_check_repo(repo)}"


def site_url(repo: str = COURSE_REPO) -> str:
    """Where GitHub Pages serves the course website built from REPO."""
    owner, name = _check_repo(repo).split("/")
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"
