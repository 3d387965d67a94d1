"""The course's tables as a contract: each table's columns, their dtypes and meaning, declared once.

The extractor's records become rows, `Schema.frame` turns rows into a DataFrame with exactly
these columns and dtypes, the CSV writer writes that frame, and `Schema.read` reads a CSV back
into an equal frame (dtypes included). The datasheet in `datasets/README.md` shows the same
declaration (`datasheet_table`), and a test keeps it in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from secondment.errors import SchemaError

__all__ = ["SCHEMAS", "Column", "Schema", "SchemaError", "datasheet_table", "refresh_datasheet"]


#: dtypes a column can have. `number` is numeric as the values need it: int64 when every value
#: is whole, float64 otherwise; reading a CSV back infers the same.
DTYPES = ("string", "category", "int64", "number")


@dataclass(frozen=True)
class Column:
    """One column: its name, its pandas dtype and what it holds, in a line."""

    name: str
    dtype: str
    meaning: str


@dataclass(frozen=True)
class Schema:
    """One table: its CSV file, what a row is, and its columns in order."""

    name: str
    row: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        """The table's CSV file name."""
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        """Column names, in order."""
        return [c.name for c in self.columns]

    def frame(self, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """Rows (dicts with at least these keys) as a DataFrame of exactly these columns."""
        return self._typed(pd.DataFrame(list(rows), columns=self.names))

    def read(self, path: str | Path) -> pd.DataFrame:
        """A CSV written from `frame`, read back into an equal DataFrame."""
        text = {c.name: "string" for c in self.columns if c.dtype in ("string", "category")}
        redo = "rebuild it with `python -m secondment tables`"
        try:
            df = pd.read_csv(
                path, encoding="utf-8", dtype=text, keep_default_na=False, na_values=[""]
            )
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchemaError(f"{path}: not a readable {self.file} ({reason}); {redo}") from None
        missing = [n for n in self.names if n not in df.columns]
        if missing:
            raise SchemaError(
                f"{path}: no column {', '.join(missing)}; it is not a {self.file}: {redo}"
            )
        try:
            return self._typed(df[self.names])
        except (ValueError, TypeError) as exc:
            reason = str(exc).strip().splitlines()[0]
            raise SchemaError(f"{path}: a value of the wrong kind ({reason}); {redo}") from None

    def _typed(self, df: pd.DataFrame) -> pd.DataFrame:
        for c in self.columns:
            if c.dtype == "number":
                df[c.name] = pd.to_numeric(df[c.name])
            elif c.dtype == "category":
                # Through `string` first, so that built and read-back categories are alike.
                df[c.name] = df[c.name].astype("string").astype("category")
            elif c.dtype == "string":
                # An empty text is written as an empty field, which reads back as missing.
                df[c.name] = df[c.name].astype("string").replace("", pd.NA)
            else:
                df[c.name] = df[c.name].astype(c.dtype)
        return df


def _schema(name: str, row: str, *columns: tuple[str, str, str]) -> Schema:
    for _, dtype, _ in columns:
        assert dtype in DTYPES, dtype
    return Schema(name, row, tuple(Column(*c) for c in columns))


SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        _schema(
            "cadres",
            "seconded official named in the body",
            ("name", "string", "the official's name"),
            ("home_post", "string", "post at home, as written"),
            ("host_post", "string", "post in the host city during the secondment, as written"),
            ("shape", "category", "the sentence layout that named them (see below)"),
            ("mentions", "int64", "sentences that name them with their posts"),
            ("sentence", "string", "the first of those sentences"),
            ("alt_name", "string", "the other reading of a name whose end the text leaves open"),
            (
                "trigger",
                "string",
                "the words that mark the secondment, as written: 挂任, 挂职担任 …",
            ),
            ("found_by", "string", "which step of the extractor found each field"),
        ),
        _schema(
            "ranks",
            "rank in the breakdown of the officials",
            ("rank", "string", "rank label as written: 厅局级, 县处级, 乡科级, 专业技术人才"),
            ("count", "int64", "officials at that rank"),
            ("sentence", "string", "the sentence of the breakdown"),
        ),
        _schema(
            "quantities",
            "figure as written (a fact, not an occurrence)",
            ("text", "string", "number, qualifier and measure word as written: 60多次"),
            ("value", "number", "the number: 60"),
            ("qualifier", "category", "exact, more_than (多 余 以上), about (左右 约), less_than"),
            ("unit", "string", "the measure word: 次, 家, 月 …"),
            ("mentions", "int64", "how often the article writes this figure"),
            ("paragraph", "int64", "paragraph of the first mention"),
            ("sentence", "string", "sentence of the first mention"),
        ),
        _schema(
            "events",
            "dated statement, in reading order",
            ("start", "string", "ISO date: 2015-07-24 (day) or 2015-11 (month)"),
            ("end", "string", "ISO date, never before start; equal to start for one date"),
            ("precision", "category", "day or month"),
            ("date_text", "string", "the date as written: 2015年11月至2016年5月"),
            ("paragraph", "int64", "the paragraph"),
            ("text", "string", "the sentence"),
        ),
    )
}


DATASHEET_START = "<!-- schema: generated from secondment.schema, do not edit by hand -->"
DATASHEET_END = "<!-- /schema -->"


def refresh_datasheet(text: str) -> str:
    """The datasheet's text with its generated column table brought up to date."""
    before, rest = text.split(DATASHEET_START + "\n", 1)
    _, after = rest.split(DATASHEET_END, 1)
    return f"{before}{DATASHEET_START}\n{datasheet_table()}\n{DATASHEET_END}{after}"


def datasheet_table() -> str:
    """The Markdown table of every column of every table, for the datasheet."""
    lines = ["| file | column | dtype | meaning |", "|---|---|---|---|"]
    for schema in SCHEMAS.values():
        for i, c in enumerate(schema.columns):
            file = f"`{schema.file}` (one row per {schema.row})" if i == 0 else ""
            lines.append(f"| {file} | `{c.name}` | {c.dtype} | {c.meaning} |")
    return "\n".join(lines)
