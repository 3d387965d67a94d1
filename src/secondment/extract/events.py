"""Dates and date ranges in the body, as ISO strings, with the year worked out from context."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from secondment.article import Article
from secondment.extract.clauses import paragraphs, sentences
from secondment.extract.normalise import normalise

__all__ = ["Event", "find_events"]


@dataclass
class Event:
    """A dated statement: ISO start and end (`2015-07-24`, or `2015-11` for a month)."""

    start: str
    end: str
    precision: str  # day or month
    text: str
    date_text: str
    paragraph: int = -1


_RANGE_SEP = r"(?:至|到|—|-|~|～|–)"
_EVENT = re.compile(
    r"(?P<from>自|从|于)?(?:(?P<ay>\d{4})年)?(?P<am>\d{1,2})月(?:(?P<ad>\d{1,2})[日号])?"
    r"(?:上旬|中旬|下旬|初|底|末)?"
    # The end may leave out what it shares with the start: 10月8日至12日, 2016年1月至3月.
    rf"(?:{_RANGE_SEP}(?=\d)(?:(?P<by>\d{{4}})年)?(?:(?P<bm>\d{{1,2}})月)?(?:(?P<bd>\d{{1,2}})[日号])?"
    r"(?:上旬|中旬|下旬|初|底|末)?)?"
)


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not 1 <= m <= 12 or (d is not None and not 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d is not None else "")


def _range_end(m: re.Match[str], year: int, start: str) -> tuple[str, int] | None:
    """The ISO end of a range and its year, or None when the end is missing or impossible."""
    if not (m["bm"] or m["bd"]) or (m["bd"] and not m["bm"] and not m["ad"]):
        return None  # `5月至12日` names no day to start from: not a range we can read
    month = int(m["bm"]) if m["bm"] else int(m["am"])
    day = int(m["bd"]) if m["bd"] else None
    end_year = int(m["by"]) if m["by"] else year
    end = _iso(end_year, month, day)
    if end is not None and not m["by"] and end[:7] < start[:7]:
        # An end without a year that would come before its start is in the next year:
        # 2015年11月至3月5日 ends in March 2016.
        end_year += 1
        end = _iso(end_year, month, day)
    if end is None or end[: len(start)] < start[: len(end)]:
        return None  # no event ends before it starts
    return end, end_year


def find_events(source: Article | str, default_year: int | None = None) -> list[Event]:
    """Dates and date ranges in the body; a date without a year is placed near its neighbours."""
    published = source.published[:10] if isinstance(source, Article) else ""
    key = tuple(paragraphs(source))
    return [replace(e) for e in _events_of(key, default_year, published or None)]


def _months(iso: str) -> float:
    """A date as a count of months, to compare distances (a month alone is its middle)."""
    day = int(iso[8:10]) if len(iso) == 10 else 15
    return int(iso[:4]) * 12 + int(iso[5:7]) - 1 + (day - 1) / 31


def _year_for(month: int, previous: str | None, published: str | None, future: bool) -> int | None:
    """The year of a date written without one, or None when nothing tells."""
    if previous:
        # Dates in a text stay close to each other: after 2015年11月下旬至12月上旬, 1月18日 is in
        # 2016; after 2016年1月6日, 12月30日 is in 2015.
        y = int(previous[:4])
        here = _months(previous)
        return min((y - 1, y, y + 1), key=lambda c: abs(c * 12 + month - 1 - here))
    if published:
        # The first date of a report is in its past (8月 in a report of April is last August),
        # unless the sentence says it is to come (将, 拟, 计划).
        y, pub = int(published[:4]), int(published[5:7])
        if future:
            return y if month >= pub else y + 1
        return y if month <= pub else y - 1
    return None


_FUTURE = re.compile(r"将|拟|计划")


@functools.lru_cache(maxsize=4)
def _events_of(
    paragraphs: tuple[tuple[int, str], ...], default_year: int | None, published: str | None
) -> tuple[Event, ...]:
    out: list[Event] = []
    seen: set[tuple[str, str, str]] = set()
    previous: str | None = None  # the last date read, as ISO
    year: int | None
    for index, text in paragraphs:
        for printed in sentences(text):
            # Matched on the normalised form (traditional 號 reads as 号); cut as printed.
            sentence = normalise(printed)
            for m in _EVENT.finditer(sentence):
                if m["ay"]:
                    year = int(m["ay"])
                elif previous is None and default_year is not None:
                    year = default_year
                else:
                    future = bool(_FUTURE.search(sentence[max(0, m.start() - 4) : m.start()]))
                    year = _year_for(int(m["am"]), previous, published, future)
                if year is None:
                    continue
                start = _iso(year, int(m["am"]), int(m["ad"]) if m["ad"] else None)
                if start is None:
                    continue
                end, date_text = start, printed[m.start() : m.end()].lstrip("自從从於于")
                if (read := _range_end(m, year, start)) is not None:
                    end = read[0]
                else:
                    # No readable end: the event is the start date, written as it was.
                    start_end = m.end("ad") + 1 if m["ad"] else m.end("am") + 1
                    date_text = printed[m.start() + len(m["from"] or "") : start_end]
                previous = end
                precision = "day" if len(start) == 10 else "month"
                key = (start, end, printed)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Event(start, end, precision, printed, date_text, index))
    return tuple(out)
