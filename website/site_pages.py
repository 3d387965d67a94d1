"""The pages the site generates at build time: the course map, the navigation, the glossary.

Everything here is read from the course's own files (notebook headers, README.md,
datasets/glossary.csv), so the site never holds a second copy of what they say.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LESSONS = "notebooks"
EXERCISES = "exercises"
INSTRUCTORS = "instructors"

# The repository's guides beside README.md: pages of the site where the course has them.
ABOUT_PAGES = ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "CHANGELOG.md")

_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_TIME = re.compile(r"^\*\*(?:Time:|时间：)\*\*\s*(.+?)\s*$", re.MULTILINE)
#: The Chinese edition: its folder (a copy of the course's layout) and the words of its pages.
EDITION = "zh-CN"
LABELS = {
    "en": {
        "map": "| # | lesson | time | practice | practice time |",
        "all": "| | **in all** | **{teach} min teaching · {practise} min practice** | | |",
        "exercises": "exercises",
        "capstone": "capstone brief",
        "glossary": "# Glossary",
        "glossary intro": "The {n} Chinese terms of the course, with pinyin and English. "
        "The same list is `datasets/glossary.csv`, which the notebooks can load.",
        "glossary head": "| term | pinyin | English | explanation |",
    },
    EDITION: {
        "map": "| # | 课 | 时间 | 练习 | 练习时间 |",
        "all": "| | **合计** | **讲授 {teach} 分钟 · 练习 {practise} 分钟** | | |",
        "exercises": "练习",
        "capstone": "综合项目任务书",
        "glossary": "# 术语表",
        "glossary intro": "课程中的 {n} 个中文术语，附拼音、英文和释义。同一份列表是 "
        "`datasets/glossary.csv`，笔记本可以直接读取。",
        "glossary head": "| 术语 | 拼音 | 英文 | 释义 |",
    },
}


@dataclass(frozen=True)
class Notebook:
    """What the site needs to know of one notebook: where it is, its title and time line."""

    path: str  # relative to the course root, with the .ipynb suffix
    title: str
    time: str

    @property
    def docname(self) -> str:
        return self.path.removesuffix(".ipynb")


def read_header(root: Path, path: str) -> Notebook:
    """A notebook's title (its first `# ` heading) and `**Time:**` line, from its first cell."""
    nb = json.loads((root / path).read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"]) if nb["cells"] else ""
    title = _TITLE.search(first)
    time = _TIME.search(first)
    return Notebook(path, title[1] if title else Path(path).stem, time[1] if time else "")


def lessons(root: Path) -> list[Notebook]:
    """Every lesson notebook, in course order (their names start with the lesson number)."""
    return [read_header(root, p.relative_to(root).as_posix()) for p in _notebooks(root, LESSONS)]


def exercise_for(root: Path, lesson: Notebook) -> Notebook | None:
    """The student exercise notebook of a lesson (never its solutions), if it has one.

    A lesson taught in parts (03a, 03b) has one exercise notebook, 03, after its last part."""
    number = Path(lesson.path).name[:2]
    parts = [p.name for p in _notebooks(root, LESSONS) if p.name[:2] == number]
    if parts and Path(lesson.path).name != parts[-1]:
        return None
    found = sorted((root / EXERCISES).glob(f"{number}-*-exercises.ipynb"))
    return read_header(root, found[0].relative_to(root).as_posix()) if found else None


#: A course notebook's name: its lesson number, a letter for a part of a lesson, a hyphen.
COURSE_NOTEBOOK = re.compile(r"\d\d[a-z]?-.+\.ipynb")


def _notebooks(root: Path, folder: str) -> list[Path]:
    found = (root / folder).glob("[0-9][0-9]*.ipynb")
    return sorted(p for p in found if p.is_file() and COURSE_NOTEBOOK.fullmatch(p.name))


def sessions(root: Path) -> list[str]:
    """The instructor pages: guide first, the session plans in order, then the question answers."""
    folder = root / INSTRUCTORS
    plans = sorted(folder.glob("session-*.md"), key=lambda p: int(re.sub(r"\D", "", p.stem)))
    guide = [folder / "README.md"] if (folder / "README.md").is_file() else []
    answers = [folder / "questions.md"] if (folder / "questions.md").is_file() else []
    return [p.relative_to(root).with_suffix("").as_posix() for p in guide + plans + answers]


def course_order(root: Path) -> list[str]:
    """Every lesson followed by its exercises: the order of the previous/next links."""
    order = []
    for lesson in lessons(root):
        order.append(lesson.docname)
        exercise = exercise_for(root, lesson)
        if exercise is not None:
            order.append(exercise.docname)
    return order


def reference_pages(root: Path) -> list[str]:
    """The reference part of the navigation: glossary, datasheet, README and the guides."""
    about = [Path(name).stem for name in ABOUT_PAGES if (root / name).is_file()]
    return ["glossary", "datasets/README", "README", *about, "licence"]


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ").strip()


def course_map(root: Path, language: str = "en") -> str:
    """The course map as a Markdown table: lesson, its time, its exercises and their time.

    For the Chinese edition, `root` is its folder (zh-CN/, laid out as the course is)."""
    words = LABELS[language]
    rows = [words["map"], "|---|---|---|---|---|"]
    for lesson in lessons(root):
        number, _, name = lesson.title.partition(" · ")
        exercise = exercise_for(root, lesson)
        practice = f"[{_practice_label(exercise, words)}]({exercise.path})" if exercise else "—"
        practice_time = _short_time(exercise.time) if exercise else ""
        rows.append(
            f"| {_cell(number)} | [{_cell(name or lesson.title)}]({lesson.path}) "
            f"| {_cell(lesson.time)} | {practice} | {_cell(practice_time)} |"
        )
    teach, practise = _total_minutes(lesson.time for lesson in lessons(root))
    if teach or practise:
        rows.append(words["all"].format(teach=teach, practise=practise))
    return "\n".join(rows)


def _total_minutes(times: Iterable[str]) -> tuple[int, int]:
    """Teaching and practice minutes added up over "N min teaching · M min practice" lines."""
    teach = practise = 0
    for time in times:
        if m := re.search(r"(\d+)\s*min teaching|讲授\s*(\d+)\s*分钟", time):
            teach += int(m[1] or m[2])
        if m := re.search(r"(\d+)\s*min practi[cs]e|练习\s*(\d+)\s*分钟", time):
            practise += int(m[1] or m[2])
    return teach, practise


def _short_time(time: str) -> str:
    """The first clause of a time line: "about 40 min: questions 1–4 …" gives "about 40 min"."""
    return re.split(r"[.:;](?:\s|$)|[。：；]", time, maxsplit=1)[0].strip()


def _practice_label(exercise: Notebook, words: dict[str, str]) -> str:
    # From the file name, which is the same in both languages.
    return words["capstone"] if "capstone" in Path(exercise.path).name else words["exercises"]


def readme_intro(root: Path) -> str:
    """README.md's opening paragraphs (what the course is, who it is for), without the badge."""
    text = (root / "README.md").read_text(encoding="utf-8")
    body = text.split("\n## ", 1)[0]
    paragraphs = [p for p in body.split("\n\n")[1:] if p.strip() and not p.startswith("[![")]
    return "\n\n".join(paragraphs).strip()


def toctree(caption: str, entries: list[str]) -> str:
    """A hidden MyST toctree: it builds the sidebar and the previous/next links."""
    lines = [f"```{{toctree}}\n:caption: {caption}\n:hidden:\n"]
    lines += [f"/{entry}" for entry in entries]
    return "\n".join(lines) + "\n```\n"


def glossary_page(
    root: Path, language: str = "en", terms: list[dict[str, str]] | None = None
) -> str:
    """datasets/glossary.csv as a page: one row per term (the given rows, for a translation)."""
    if terms is None:
        with (root / "datasets" / "glossary.csv").open(encoding="utf-8", newline="") as f:
            terms = list(csv.DictReader(f))
    words = LABELS[language]
    lines = [
        words["glossary"],
        "",
        words["glossary intro"].format(n=len(terms)),
        "",
        words["glossary head"],
        "|---|---|---|---|",
    ]
    for row in terms:
        lines.append(
            f"| **{_cell(row['term'])}** | {_cell(row['pinyin'])} | {_cell(row['english'])} "
            f"| {_cell(row['explanation'])} |"
        )
    return "\n".join(lines) + "\n"


def edition_index(root: Path) -> str:
    """The home page of the Chinese edition: its README's opening, its course map, its pages."""
    edition = root / EDITION
    text = (edition / "README.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.DOTALL)
    title = _TITLE.search(text)
    body = text.split("\n## ", 1)[0]
    intro = [p for p in body.split("\n\n")[1:] if p.strip() and not p.startswith("[![")]
    order = [f"{EDITION}/{d}" for d in course_order(edition)]
    return "\n".join(
        [
            f"# {title[1] if title else EDITION}",
            "",
            "\n\n".join(intro).strip(),
            "",
            "## 课程地图",
            "",
            "时间为每一课的*讲授 · 练习*时间，以及练习所需的时间。",
            "",
            course_map(edition, EDITION),
            "",
            "代码与英文版完全相同，只有文字是中文；练习中的自检也用中文给出结果和提示。",
            "",
            toctree("开始", [f"{EDITION}/notebooks/00-start-here", f"{EDITION}/setup"]),
            toctree("课程与练习", order[1:]),
            toctree("参考", [f"{EDITION}/glossary", f"{EDITION}/README"]),
        ]
    )


def search_dictionary(root: Path) -> str:
    """A jieba user dictionary of the course's own words: glossary terms and cadres' names.

    Without it jieba splits names such as 段润保 into pieces, and a search for the name would
    find nothing.
    """
    words: list[str] = []
    with (root / "datasets" / "glossary.csv").open(encoding="utf-8", newline="") as f:
        words += [row["term"] for row in csv.DictReader(f)]
    cadres = root / "datasets" / "cadres.csv"
    if cadres.is_file():
        with cadres.open(encoding="utf-8", newline="") as f:
            words += [row["name"] for row in csv.DictReader(f)]
    unique = sorted({w.strip() for w in words if w.strip() and " " not in w.strip()})
    return "".join(f"{word} 100000\n" for word in unique)
