"""The Simplified Chinese edition: complete catalogues, zh-CN/ made from them, the same code and
the same verdicts as the English, and links that reach it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import translate

from secondment.checks import Verdict, evaluate, questions
from secondment.checks.language import LanguageError, use_language
from secondment.checks.language import translate as say
from secondment.paths import notebooks, require_course_root

ROOT = require_course_root()
CATALOGUES = sorted((ROOT / translate.CATALOGUES).rglob("*.po"))
HANZI = re.compile(r"[\u4e00-\u9fff]")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_is_one_catalogue_per_notebook_plus_the_pages_and_the_checks() -> None:
    expected = {s.catalogue for s in translate.sources(ROOT)}
    assert {p.relative_to(ROOT) for p in CATALOGUES} == expected
    assert len(expected) == len(notebooks("lessons", "exercises")) + 4


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_message_is_translated_not_fuzzy_and_keeps_its_code_links_and_placeholders(
    path: Path,
) -> None:
    found = translate.catalogue_problems(path)
    assert not found, f"{len(found)} problems, e.g.\n" + "\n".join(found[:10])


def test_the_catalogues_and_the_edition_are_up_to_date_with_the_english() -> None:
    stale = translate.out_of_date(ROOT)
    assert not stale, "\n".join(stale)


def test_a_changed_paragraph_keeps_its_translation_marked_fuzzy_and_others_stay(
    tmp_path: Path,
) -> None:
    root = tmp_path
    (root / "README.md").write_text(
        "# Title\n\nThe first paragraph.\n\nThe second paragraph, as it was.\n", "utf-8"
    )
    source = translate.Source(Path("README.md"), Path("README.po"), "markdown")
    cat = translate.updated_catalogue(source, root, memory={})
    for msg, zh in zip(list(cat)[1:], ["标题", "第一段。", "第二段，原样。"], strict=True):
        msg.string = zh
    (root / "README.po").write_bytes(translate.catalogue_bytes(cat))
    (root / "README.md").write_text(
        "# Title\n\nA new paragraph.\n\nThe first\nparagraph.\n\n"
        "The second paragraph, as it is now.\n",
        "utf-8",
    )
    after = {str(m.id): m for m in translate.updated_catalogue(source, root, memory={}) if m.id}
    assert after["The first paragraph."].string == "第一段。"  # re-wrapped: same message
    assert not after["The first paragraph."].fuzzy
    changed = after["The second paragraph, as it is now."]
    assert changed.fuzzy and changed.string == "第二段，原样。"
    new = after["A new paragraph."]
    assert new.fuzzy or not new.string  # a guess at most, never taken as a translation
    assert "The second paragraph, as it was." not in after


def test_markup_around_a_message_is_kept_and_links_follow_the_edition() -> None:
    text = (
        "## 1 · Why\n\n- see [lesson 02](../notebooks/02-parsing-structure.ipynb) and\n"
        "  [the guide](../instructors/README.md)\n\n> **Pitfall:** long\n> words\n\n"
        "| a | b |\n|---|---|\n| one | `two` |\n\n<details><summary>One answer</summary>\n"
    )
    zh = {
        "1 · Why": "1 · 为什么",
        "see [lesson 02](../notebooks/02-parsing-structure.ipynb) and [the guide]"
        "(../instructors/README.md)": "见[第 02 课](../notebooks/02-parsing-structure.ipynb)"
        "和[指南](../instructors/README.md)",
        "**Pitfall:** long words": "**陷阱：** 长词",
        "one": "一",
        "One answer": "参考答案",
    }
    out = translate.translate_markdown(text, zh.get)
    assert out.startswith("## 1 · 为什么\n\n- 见[第 02 课]")
    assert "> **陷阱：** 长词\n" in out and "| 一 | `two` |" in out and "| a | b |" in out
    assert "<summary>参考答案</summary>" in out
    linked = translate.relink(out, Path("exercises/02-parsing-structure-exercises.ipynb"), ROOT)
    # The lesson has a Chinese twin beside the exercise's; the guide is only in English.
    assert "](../notebooks/02-parsing-structure.ipynb)" in linked
    assert "](../../instructors/README.md)" in linked


def _code(path: Path) -> list[str]:
    return [_source(c) for c in _cells(path) if c["cell_type"] == "code"]


@pytest.mark.parametrize(
    "english", notebooks("lessons", "exercises"), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_the_edition_runs_the_english_code_and_only_the_setup_cell_chooses_the_language(
    english: Path,
) -> None:
    twin = ROOT / translate.EDITION / english.relative_to(ROOT)
    en, zh = _code(english), _code(twin)
    assert len(en) == len(zh)
    if english.parent.name == "exercises":
        setup_en, setup_zh = en.pop(0), zh.pop(0)
        assert setup_zh.replace(translate.CHECK_IMPORT_ZH, translate.CHECK_IMPORT).replace(
            translate.USE_LANGUAGE.rstrip("\n"), ""
        ).rstrip("\n") == setup_en.rstrip("\n")
        assert 'use_language("zh-CN")' in setup_zh
    assert en == zh
    # The prose is Chinese: every markdown cell with English words has hanzi in the edition.
    prose = [_source(c) for c in _cells(twin) if c["cell_type"] == "markdown"]
    assert prose and all(HANZI.search(p) for p in prose)


def test_the_edition_stores_chinese_verdicts() -> None:
    twin = ROOT / translate.EDITION / "exercises" / "01-reading-the-article-exercises.ipynb"
    lines = [
        "".join(o.get("data", {}).get("text/plain", ""))
        for c in _cells(twin)
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    ]
    verdicts = [line for line in lines if line.startswith(("✅", "❌"))]
    assert len(verdicts) >= 8 and all(HANZI.search(v) for v in verdicts), verdicts


# ---------------------------------------------------------------- the self-checks in Chinese

#: Wrong answers of every kind, to bring out each question's first hints.
ODD_ANSWERS = (None, "", "你好", 0, 3.5, [], ["a", "b"], {"a": 1}, (1, 2), True, ...)
_ENGLISH = re.compile(r"\b[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


def _without_code(text: str) -> str:
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"'[^']*'|\"[^\"]*\"|\([^()]*\)", "", text)


def _verdicts(qid: str) -> list[Verdict]:
    return [evaluate(qid, answer) for answer in ODD_ANSWERS]


@pytest.mark.parametrize("qid", questions())
def test_a_chinese_check_gives_the_same_verdicts_in_chinese_words(qid: str) -> None:
    use_language("en")
    english = _verdicts(qid)
    english_lines = [v.line for v in english]
    try:
        use_language("zh-CN")
        chinese = _verdicts(qid)
        chinese_lines = [v.line for v in chinese]
    finally:
        use_language("en")
    assert [(v.passed, v.status, v.message) for v in chinese] == [
        (v.passed, v.status, v.message) for v in english
    ]
    for en, zh in zip(english_lines, chinese_lines, strict=True):
        assert zh[:1] == en[:1]  # the same ✅ or ❌
        assert HANZI.search(zh), f"not translated: {en}"
        assert not _ENGLISH.search(_without_code(zh)), f"English left in {zh!r} (from {en!r})"


def test_a_message_fills_its_chinese_template_with_translated_values() -> None:
    hint = "the answer should be a number, not the text '12': convert it with int()"
    zh = say(hint, "zh-CN")
    assert HANZI.search(zh) and "'12'" in zh and "int()" in zh
    assert say("correct", "zh-CN") != "correct"
    unknown = "Nothing the course writes"
    assert say(unknown, "zh-CN") == unknown
    with pytest.raises(LanguageError, match="choose one of 'en', 'zh-CN'"):
        use_language("fr")


# ---------------------------------------------------------------- reach


def test_the_readme_and_lesson_00_lead_to_the_edition_and_its_binder() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "](zh-CN/README.md)" in readme
    assert "urlpath=lab/tree/zh-CN/notebooks/00-start-here.ipynb" in readme
    lesson = "\n".join(_source(c) for c in _cells(ROOT / "notebooks" / "00-start-here.ipynb"))
    assert "](../zh-CN/notebooks/00-start-here.ipynb)" in lesson
    zh_readme = (ROOT / "zh-CN" / "README.md").read_text("utf-8")
    binder = re.findall(r"urlpath=lab/tree/([\w./-]+)", zh_readme)
    assert binder and all(p.startswith("zh-CN/") for p in binder), binder
    assert "](../README.md)" in zh_readme  # back to the English
    zh_lesson = "\n".join(
        _source(c) for c in _cells(ROOT / "zh-CN" / "notebooks" / "00-start-here.ipynb")
    )
    assert "](../../notebooks/00-start-here.ipynb)" in zh_lesson


def test_every_relative_link_of_the_edition_resolves() -> None:
    broken = []
    for path in sorted((ROOT / translate.EDITION).rglob("*")):
        if path.suffix == ".ipynb":
            text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
        elif path.suffix == ".md":
            text = path.read_text("utf-8")
        else:
            continue
        for href in re.findall(r"\]\(([^)\s]+)", text):
            if re.match(r"[a-z][\w+.-]*:|#", href):
                continue
            if not (path.parent / href.split("#")[0]).exists():
                broken.append(f"{path.relative_to(ROOT)}: {href}")
    assert not broken, "\n".join(broken)
