"""The capstone's second report: shipped, documented, the same as its gold report, read in full."""

import tomllib
from fnmatch import fnmatch

from secondment.article import datasets_dir, load_article, second_report_path
from secondment.evaluate import corpus_dir, evaluate_report, load_gold
from secondment.paths import SECOND_REPORT_FILE, require_course_root

ROOT = require_course_root()
GOLD = corpus_dir() / "r02_beijing_to_hebei_adverbs.json"


def test_it_is_the_gold_reports_text_byte_for_byte():
    assert second_report_path().read_bytes() == load_gold(GOLD).report.read_bytes()


def test_it_ships_in_the_package():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["secondment.datasets"]
    assert any(fnmatch(SECOND_REPORT_FILE, p) for p in patterns)


def test_the_datasheet_describes_it_as_written_for_the_course():
    sheet = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    entry = sheet[sheet.index(f"## The second report: `{SECOND_REPORT_FILE}`") :]
    entry = entry[: entry.index("\n## ", 1)]
    article = load_article(second_report_path())
    assert "not real news" in entry and GOLD.name[:-5] in entry
    assert article.title in entry and article.published.replace("T", " ") in entry
    assert f"{second_report_path().stat().st_size:,} bytes" in entry


def test_the_extractor_finds_exactly_what_the_gold_file_holds():
    score = evaluate_report(load_gold(GOLD)).total
    assert score.fp == 0 and score.fn == 0 and score.tp > 0
