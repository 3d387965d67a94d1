"""Turn extracted records into pandas DataFrames and write them as the course's CSV tables."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from secondment.article import Article, datasets_dir, load_article
from secondment.errors import SecondmentError
from secondment.extract import (
    TITLES,
    find_cadres,
    find_events,
    find_quantities,
    find_ranks,
    unread_sentences,
)
from secondment.files import write_all_or_none

__all__ = [
    "TABLE_FILES",
    "TablesError",
    "article_metadata",
    "build_tables",
    "cadres_table",
    "events_table",
    "glossary_table",
    "home_level",
    "split_post",
    "load_table",
    "quantities_table",
    "ranks_table",
    "unread_warnings",
    "write_tables",
]

CADRE_COLUMNS = ["name", "home_post", "host_post", "shape", "mentions", "sentence", "alt_name"]
RANK_COLUMNS = ["rank", "count", "sentence"]
QUANTITY_COLUMNS = ["text", "value", "qualifier", "unit", "mentions", "paragraph", "sentence"]
EVENT_COLUMNS = ["start", "end", "precision", "date_text", "paragraph", "text"]
TABLE_FILES = ("cadres.csv", "ranks.csv", "quantities.csv", "events.csv", "article.json")


class TablesError(SecondmentError):
    """Tables that cannot be written where they were asked for; nothing was written."""


def _frame(rows: list[dict], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    return df.astype({c: t for c, t in dtypes.items() if c in df.columns})


def _source(article: Article | None) -> Article:
    return load_article() if article is None else article


def cadres_table(article: Article | None = None) -> pd.DataFrame:
    """One row per seconded official: name, home_post, host_post (as written), and evidence."""
    rows = [asdict(c) for c in find_cadres(_source(article))]
    return _frame(
        rows,
        CADRE_COLUMNS,
        {"name": "string", "home_post": "string", "host_post": "string", "shape": "category",
         "mentions": "int64", "sentence": "string", "alt_name": "string"},
    )  # fmt: skip


def ranks_table(article: Article | None = None) -> pd.DataFrame:
    """The rank breakdown: rank label as written and the number of officials at that rank."""
    rows = [asdict(r) for r in find_ranks(_source(article))]
    return _frame(rows, RANK_COLUMNS, {"rank": "string", "count": "int64", "sentence": "string"})


def quantities_table(article: Article | None = None) -> pd.DataFrame:
    """One row per figure as written (`60多次`), however often the article repeats it."""
    facts: dict[str, dict] = {}
    for q in find_quantities(_source(article)):
        # vars, not asdict: the fields are plain values, and asdict's deep copy is slow on
        # the tens of thousands of mentions a long text has.
        row = facts.setdefault(q.text, {**vars(q), "mentions": 0})
        row["mentions"] += 1
    df = _frame(
        list(facts.values()),
        QUANTITY_COLUMNS,
        {"text": "string", "qualifier": "category", "unit": "string", "mentions": "int64",
         "paragraph": "int64", "sentence": "string"},
    )  # fmt: skip
    df["value"] = pd.to_numeric(df["value"])
    return df


def events_table(article: Article | None = None) -> pd.DataFrame:
    """Dated statements with ISO start and end (day or month precision), in reading order."""
    rows = [vars(e) for e in find_events(_source(article))]
    return _frame(
        rows,
        EVENT_COLUMNS,
        {"start": "string", "end": "string", "precision": "category", "date_text": "string",
         "paragraph": "int64", "text": "string"},
    )  # fmt: skip


#: Levels of government a home post belongs to, from the top down.
LEVELS = pd.CategoricalDtype(["省级", "市级", "县级"], ordered=True)
# A role is one or more job titles at the end of a post (镇长助理 = 镇长 + 助理).
_ROLE = rf"(?:专职|常务)?(?:{'|'.join(TITLES)})+"
_POST = rf"^(?P<org>.+?)(?P<role>{_ROLE})$"


def split_post(posts: pd.Series) -> pd.DataFrame:
    """Split posts into `org` and `role`: `北京市发改委副主任` → 北京市发改委, 副主任."""
    return posts.astype("string").str.extract(_POST).astype("string")


def home_level(posts: pd.Series) -> pd.Series:
    """省级, 市级 or 县级: the first of 省, 市, 县 in a post names its level (NA if none)."""
    first = posts.astype("string").str.extract(r"([省市县])", expand=False)
    return first.map({"省": "省级", "市": "市级", "县": "县级"}).astype(LEVELS)


def glossary_table() -> pd.DataFrame:
    """The course glossary: term, pinyin, english, explanation (all strings)."""
    return pd.read_csv(datasets_dir() / "glossary.csv", encoding="utf-8", dtype="string")


def article_metadata(article: Article | None = None) -> dict:
    """The article's metadata and sections as plain data (what article.json holds)."""
    return _source(article).to_dict()


def build_tables(article: Article) -> dict[str, pd.DataFrame]:
    """All four tables of an article, keyed by their CSV file names."""
    return {
        "cadres.csv": cadres_table(article),
        "ranks.csv": ranks_table(article),
        "quantities.csv": quantities_table(article),
        "events.csv": events_table(article),
    }


def unread_warnings(article: Article) -> list[str]:
    """One warning line for every sentence that seconds someone but gave no cadre."""
    lines = []
    for index, sentence in unread_sentences(article):
        shown = sentence if len(sentence) <= 40 else sentence[:40] + "…"
        lines.append(
            f"warning: paragraph {index}: no cadre read from a sentence with 挂任/挂职: {shown}"
        )
    return lines


def write_tables(article: Article, out_dir: str | Path) -> list[Path]:
    """Write the four CSVs and article.json to out_dir; all of them or, on failure, none."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise TablesError(f"{out}: is a file; the tables need a folder (choose another --out)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TablesError(
            f"{out}: cannot make the folder ({exc.strerror}); choose another --out"
        ) from None
    contents: dict[str, bytes] = {
        name: df.to_csv(index=False, lineterminator="\n").encode("utf-8")
        for name, df in build_tables(article).items()
    }
    meta = json.dumps(article.to_dict(), ensure_ascii=False, indent=2) + "\n"
    contents["article.json"] = meta.encode("utf-8")
    # All or nothing: a failure leaves the folder as it was.
    try:
        return write_all_or_none({out / name: data for name, data in contents.items()})
    except OSError as exc:
        raise TablesError(
            f"{out}: cannot write the tables there ({exc.strerror}); choose another --out"
        ) from None


def load_table(name: str) -> pd.DataFrame:
    """Read one of the course's derived tables from `datasets/` (`cadres`, `ranks` …)."""
    path = datasets_dir() / (name if name.endswith(".csv") else f"{name}.csv")
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: restore it with `git checkout datasets/` "
            "or `python -m secondment refresh-datasets`"
        )
    return pd.read_csv(path, encoding="utf-8", dtype={"start": "string", "end": "string"})
