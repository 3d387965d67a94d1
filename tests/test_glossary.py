"""The course glossary, datasets/glossary.csv: format, content, and coverage of the cadres' posts.

Lesson 04 splits each post into an organisation and a role and merges English names onto them
from the glossary. The tests below take `home_level` and `split_post` from the lesson notebook
itself, so the glossary is checked against exactly the rule students run.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pandas as pd
import pytest

from secondment.article import datasets_dir
from secondment.paths import require_course_root
from secondment.tables import cadres_table

ROOT = require_course_root()
GLOSSARY = datasets_dir() / "glossary.csv"
LESSON = ROOT / "notebooks" / "04a-dataframes-and-dtypes.ipynb"
COLUMNS = ["term", "pinyin", "english", "explanation"]
REQUIRED = ["挂职", "厅局级", "县处级", "乡科级", "发改委", "京津冀"]

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Syllables in Latin letters (with tone marks, ü), joined by spaces, hyphens or apostrophes.
PINYIN = re.compile(rf"[A-Za-zü{TONE_MARKS}{TONE_MARKS.upper()}]+(?:[ '\-][A-Za-zü{TONE_MARKS}]+)*")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def glossary() -> pd.DataFrame:
    return pd.read_csv(GLOSSARY, dtype="string", keep_default_na=False)


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The lesson's `home_level` and `split_post`, defined by running the cells that define them."""
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"pd": pd}
    for name in ("def home_level(", "def split_post("):
        sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        matches = [s for s in sources if name in s]
        assert len(matches) == 1, f"{LESSON.name}: expected one cell with {name!r}"
        exec(matches[0], namespace)
    return namespace


@pytest.fixture(scope="module")
def cadres(lesson: dict) -> pd.DataFrame:
    df = cadres_table()
    df = df.join(lesson["split_post"](df["host_post"]).add_prefix("host_"))
    df = df.join(lesson["split_post"](df["home_post"]).add_prefix("home_"))
    df["home_level"] = lesson["home_level"](df["home_post"])
    return df


def test_file_is_plain_utf8_with_lf() -> None:
    data = GLOSSARY.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert b"\r" not in data, "LF line ends only"
    assert data.endswith(b"\n")
    text = data.decode("utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_columns(glossary: pd.DataFrame) -> None:
    assert list(glossary.columns) == COLUMNS
    assert 50 <= len(glossary) <= 90


def test_terms_unique(glossary: pd.DataFrame) -> None:
    duplicated = glossary.loc[glossary["term"].duplicated(), "term"].tolist()
    assert not duplicated


def test_no_empty_or_padded_cells(glossary: pd.DataFrame) -> None:
    for column in COLUMNS:
        values = glossary[column]
        assert (values.str.len() > 0).all(), f"empty {column}"
        assert (values == values.str.strip()).all(), f"spaces around a {column}"


def test_terms_are_chinese_and_english_is_not(glossary: pd.DataFrame) -> None:
    for row in glossary.itertuples():
        assert all(HAN.match(ch) for ch in row.term), row.term
        assert not HAN.search(row.english), row.term


def test_pinyin_has_tone_marks(glossary: pd.DataFrame) -> None:
    for row in glossary.itertuples():
        assert PINYIN.fullmatch(row.pinyin), f"{row.term}: {row.pinyin!r} is not pinyin"
        assert any(ch in TONE_MARKS for ch in row.pinyin.lower()), f"{row.term}: no tone mark"


def test_explanations_are_short(glossary: pd.DataFrame) -> None:
    too_long = glossary.loc[glossary["explanation"].str.len() > 120, "term"].tolist()
    assert not too_long


def test_required_terms(glossary: pd.DataFrame) -> None:
    assert set(REQUIRED) <= set(glossary["term"])
    row = glossary.set_index("term").loc["挂职"]
    assert (row["pinyin"], row["english"]) == ("guàzhí", "secondment")


def test_every_post_is_split(cadres: pd.DataFrame) -> None:
    parts = ["host_org", "host_role", "home_org", "home_role"]
    assert cadres[parts].notna().all().all(), cadres[["name", *parts]]
    assert (cadres["host_org"] + cadres["host_role"] == cadres["host_post"]).all()
    assert (cadres["home_org"] + cadres["home_role"] == cadres["home_post"]).all()


@pytest.mark.parametrize("column", ["host_org", "home_org", "host_role", "home_role"])
def test_every_organisation_and_role_has_an_english_name(
    cadres: pd.DataFrame, glossary: pd.DataFrame, column: str
) -> None:
    names = glossary[["term", "english"]].rename(columns={"term": column})
    merged = cadres.merge(names, on=column, how="left", validate="many_to_one", indicator=True)
    assert len(merged) == len(cadres)
    unmatched = merged.loc[merged["_merge"] != "both", column].tolist()
    assert not unmatched, f"no glossary entry for {unmatched}"


def test_home_levels_and_ranks_are_glossed(cadres: pd.DataFrame, glossary: pd.DataFrame) -> None:
    terms = set(glossary["term"])
    assert set(cadres["home_level"].cat.categories) <= terms
    assert cadres["home_level"].notna().all()
    assert {"厅局级", "县处级", "乡科级", "专业技术人才"} <= terms


def test_lesson_rules_on_hard_cases(lesson: dict) -> None:
    posts = pd.Series(["北京市环保局副总工程师", "威县市场监督管理局副主任科员"], dtype="string")
    split = lesson["split_post"](posts)
    assert split.values.tolist() == [
        ["北京市环保局", "副总工程师"],
        ["威县市场监督管理局", "副主任科员"],
    ]
    assert lesson["home_level"](posts).tolist() == ["市级", "县级"]
