"""Turn extracted records into pandas DataFrames and write them as the course's CSV tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from secondment.article import Article, load_article
from secondment.errors import TablesError
from secondment.extract import (
    find_cadres,
    find_events,
    find_quantities,
    find_ranks,
    post_parts,
    unread_sentences,
)
from secondment.files import write_all_or_none
from secondment.paths import datasets_dir
from secondment.schema import SCHEMAS

__all__ = [
    "TABLE_FILES",
    "TablesError",
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

TABLE_FILES = (*(s.file for s in SCHEMAS.values()), "article.json")


def _source(article: Article | None) -> Article:
    return load_article() if article is None else article


def cadres_table(article: Article | None = None) -> pd.DataFrame:
    """One row per seconded official: name, home_post, host_post (as written), and evidence."""
    return SCHEMAS["cadres"].frame(vars(c) for c in find_cadres(_source(article)))


def ranks_table(article: Article | None = None) -> pd.DataFrame:
    """The rank breakdown: rank label as written and the number of officials at that rank."""
    return SCHEMAS["ranks"].frame(vars(r) for r in find_ranks(_source(article)))


def quantities_table(article: Article | None = None) -> pd.DataFrame:
    """One row per figure as written (`60多次`), however often the article repeats it."""
    facts: dict[str, dict] = {}
    for q in find_quantities(_source(article)):
        # vars, not asdict: the fields are plain values, and asdict's deep copy is slow on
        # the tens of thousands of mentions a long text has.
        row = facts.setdefault(q.text, {**vars(q), "mentions": 0})
        row["mentions"] += 1
    return SCHEMAS["quantities"].frame(facts.values())


def events_table(article: Article | None = None) -> pd.DataFrame:
    """Dated statements with ISO start and end (day or month precision), in reading order."""
    return SCHEMAS["events"].frame(vars(e) for e in find_events(_source(article)))


#: Levels of government a home post belongs to, from the top down.
LEVELS = pd.CategoricalDtype(["省级", "市级", "县级"], ordered=True)


def split_post(posts: pd.Series) -> pd.DataFrame:
    """Split posts into `org` and `role`: `北京市发改委副主任` → 北京市发改委, 副主任."""
    parts = [post_parts(p) if isinstance(p, str) else (pd.NA, pd.NA) for p in posts]
    none = [(pd.NA, pd.NA) if role == "" else (org, role) for org, role in parts]
    return pd.DataFrame(none, index=posts.index, columns=["org", "role"], dtype="string")


def home_level(posts: pd.Series) -> pd.Series:
    """省级, 市级 or 县级: the first of 省, 市, 县 in a post names its level (NA if none)."""
    first = posts.astype("string").str.extract(r"([省市县])", expand=False)
    return first.map({"省": "省级", "市": "市级", "县": "县级"}).astype(LEVELS)


def glossary_table() -> pd.DataFrame:
    """The course glossary: term, pinyin, english, explanation (all strings)."""
    return pd.read_csv(datasets_dir() / "glossary.csv", encoding="utf-8", dtype="string")


def build_tables(article: Article) -> dict[str, pd.DataFrame]:
    """All four tables of an article, keyed by their CSV file names."""
    return {
        "cadres.csv": cadres_table(article),
        "ranks.csv": ranks_table(article),
        "quantities.csv": quantities_table(article),
        "events.csv": events_table(article),
    }


def unread_warnings(article: Article) -> list[str]:
    """One warning line for every verb of secondment that gave no cadre, and one more when a
    text that mentions 挂任 or 挂职 gave no cadre at all."""
    lines = []
    for index, sentence in unread_sentences(article):
        shown = sentence if len(sentence) <= 40 else sentence[:40] + "…"
        lines.append(
            f"warning: paragraph {index}: no cadre read from a sentence with 挂任/挂职: {shown}"
        )
    mentions = sum(article.body.count(word) for word in ("挂任", "挂职"))
    if mentions and not find_cadres(article):
        times = "once" if mentions == 1 else f"{mentions} times"
        lines.append(f"warning: no cadre read from a text that mentions 挂任/挂职 {times}")
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
    """One of the course's derived tables from `datasets/` (`cadres`, `ranks` …), its dtypes
    as the library builds them: equal to the table built from the article."""
    stem = name.removesuffix(".csv")
    if stem not in SCHEMAS:
        raise TablesError(f"no table {name!r}: the course has {', '.join(SCHEMAS)}")
    path = datasets_dir() / SCHEMAS[stem].file
    if not path.is_file():
        raise TablesError(
            f"{path} is missing: restore it with `git checkout datasets/` "
            "or `python -m secondment refresh-datasets`"
        )
    return SCHEMAS[stem].read(path)
