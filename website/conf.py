"""Sphinx configuration of the course website (built by `python3 course.py site`).

The pages are the course's own files, read from a staging folder of links to them that
site_build.py makes (notebooks/, exercises/ without solutions/, instructors/, datasets/,
README.md), plus the few pages of this folder. Notebooks are shown with their stored outputs,
never executed.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import jieba

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
# jieba reports loading its dictionary on stderr at every build.
jieba.setLogLevel(logging.WARNING)

import site_pages  # noqa: E402
from site_build import SEARCH_DICT, staging_dir  # noqa: E402

from secondment.teach.links import COURSE_BRANCH, COURSE_REPO, binder_link  # noqa: E402

# ---------------------------------------------------------------- where the buttons go
# A fork sets its own repository, branch and JupyterHub here (or in these environment
# variables) and rebuilds: every launch button and link of the site follows.
launch_repo = os.environ.get("COURSE_REPO", COURSE_REPO)
launch_ref = os.environ.get("COURSE_REF", COURSE_BRANCH)
# Empty: the JupyterHub button asks the reader for their hub's address.
launch_hub = os.environ.get("COURSE_HUB", "")

project = "Reading a Chinese news article with Python"
author = "the course authors"
copyright = "the course authors; article © Hebei Daily, quoted for teaching"
language = "en"

extensions = ["myst_nb", "site_notebooks", "site_theme"]
root_doc = "index"
exclude_patterns = [
    "exercises/solutions/**",  # the site never shows solutions
    "**/.ipynb_checkpoints",
    "_search_dict.txt",
]
suppress_warnings: list[str] = []
# The text is written with the quotes it means; docutils would turn the apostrophe of pinyin
# such as Dōng'àohuì into a curly quote.
smartquotes = False

# Stored outputs only: building the site never starts a kernel.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["substitution", "colon_fence"]
myst_heading_anchors = 3
myst_substitutions = {
    "course_intro": site_pages.readme_intro(ROOT),
    "course_map": site_pages.course_map(ROOT),
    "binder_start": f"[launch lesson 00 on Binder]({binder_link(launch_repo, launch_ref)})",
    "navigation": "\n".join(
        [
            site_pages.toctree("Start", ["notebooks/00-start-here", "setup"]),
            site_pages.toctree("Lessons and exercises", site_pages.course_order(ROOT)[1:]),
            site_pages.toctree("For instructors", site_pages.sessions(ROOT)),
            site_pages.toctree("Reference", site_pages.reference_pages(ROOT)),
            *(
                [site_pages.toctree("简体中文版", [f"{site_pages.EDITION}/index"])]
                if (ROOT / site_pages.EDITION / "README.md").is_file()
                else []
            ),
        ]
    ),
}

html_theme = "sphinx_book_theme"
html_title = "Reading a Chinese news article"
# The theme made light and accessible (site_theme.py says what and why).
templates_path = ["_templates"]
html_sidebars = {"**": ["course-home.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["course.css", "icons.css", "course-font.css"]
html_js_files = [("search-zh.js", {"priority": 200}), "launch.js"]
html_use_index = False  # no index entries: the page would be empty
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
# Unset, the theme logs "Got invalid theme mode" in the browser's console.
html_context = {"default_mode": "auto"}
html_theme_options = {
    "repository_url": f"https://github.com/{launch_repo}",
    "repository_branch": launch_ref,
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # Not the Read the Docs advertisement slot the theme keeps at the foot of the sidebar.
    "primary_sidebar_end": [],
}

# Chinese search: jieba cuts the pages into words, with the course's names and terms as its
# user dictionary (written into the staging folder by site_build.py).
html_search_language = "zh"
html_search_options = {"dict": str(staging_dir(ROOT) / SEARCH_DICT)}
