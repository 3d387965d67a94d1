"""Measure the extractor against hand-checked gold files: precision, recall and F1."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from secondment.article import Article, parse_article, read_article_text
from secondment.errors import EvaluateError
from secondment.extract import find_cadres, find_events, find_quantities, find_ranks
from secondment.paths import datasets_dir

__all__ = [
    "FIELDS",
    "SPLITS",
    "EvaluateError",
    "Gold",
    "ReportScore",
    "Score",
    "corpus_dir",
    "evaluate_corpus",
    "evaluate_report",
    "format_scores",
    "load_gold",
    "pooled",
    "predicted_items",
]

#: What is scored, each as a set of items: a cadre is (name, home_post, host_post), `names` and
#: `posts` score the name and the pair of posts on their own, a quantity is (text, value,
#: qualifier) counted once per fact, an event is (start, end).
FIELDS = ("cadres", "names", "posts", "ranks", "events", "quantities", "reporter", "editor")

#: The halves of the corpus, fixed in each gold file: the extractor may be tuned on `tune`;
#: `test` is held out, so its score is the honest one.
SPLITS = ("tune", "test")
Split = Literal["tune", "test"]


@dataclass
class Score:
    """Counts of one comparison: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    # Nothing to find and nothing found is a perfect score, not a division by zero: a report
    # without ranks should not count against an extractor that finds none.
    @property
    def precision(self) -> float:
        """Share of what was found that is in the gold file."""
        found = self.tp + self.fp
        return self.tp / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of the gold file that was found."""
        wanted = self.tp + self.fn
        return self.tp / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Gold:
    """One report and the facts a careful reader finds in it."""

    path: Path
    report: Path
    encoding: str
    split: Split
    items: dict[str, set] = field(default_factory=dict)


@dataclass
class ReportScore:
    """The scores of one report, field by field, with what was missed and what was extra."""

    name: str
    split: Split
    scores: dict[str, Score]
    missed: dict[str, set]
    extra: dict[str, set]

    @property
    def total(self) -> Score:
        """All fields of this report pooled."""
        return sum(self.scores.values(), Score())


def corpus_dir() -> Path:
    """The course's further reports on the exchange, with their gold files (`datasets/reports`)."""
    return datasets_dir() / "reports"


def _one(value: str) -> set:
    return {value} if value else set()


def load_gold(path: str | Path) -> Gold:
    """Read a gold JSON file and the items it expects, field by field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        report = path.parent / data["report"]
        split = data["split"]
        items = {
            "cadres": {(c["name"], c["home_post"], c["host_post"]) for c in data["cadres"]},
            "names": {c["name"] for c in data["cadres"]},
            "posts": {(c["home_post"], c["host_post"]) for c in data["cadres"]},
            "ranks": {(r["rank"], r["count"]) for r in data["ranks"]},
            "events": {(e["start"], e["end"]) for e in data["events"]},
            "quantities": {(q["text"], q["value"], q["qualifier"]) for q in data["quantities"]},
            "reporter": _one(data["reporter"]),
            "editor": _one(data["editor"]),
        }
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluateError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise EvaluateError(f"{path}: not valid JSON (line {exc.lineno})") from None
    except (KeyError, TypeError) as exc:
        raise EvaluateError(f"{path}: a gold file needs the key {exc}") from None
    if split not in SPLITS:
        raise EvaluateError(f'{path}: split must be "tune" or "test", not {split!r}')
    return Gold(path, report, data.get("encoding", "utf-8"), split, items)


def predicted_items(article: Article) -> dict[str, set]:
    """What the extractor finds in an article, as the same sets a gold file holds."""
    cadres = find_cadres(article)
    return {
        "cadres": {(c.name, c.home_post, c.host_post) for c in cadres},
        "names": {c.name for c in cadres},
        "posts": {(c.home_post, c.host_post) for c in cadres},
        "ranks": {(r.rank, r.count) for r in find_ranks(article)},
        "events": {(e.start, e.end) for e in find_events(article)},
        "quantities": {(q.text, q.value, q.qualifier) for q in find_quantities(article)},
        "reporter": _one(article.reporter),
        "editor": _one(article.editor),
    }


def evaluate_report(gold: Gold) -> ReportScore:
    """Score the extractor on one gold report."""
    article = parse_article(read_article_text(gold.report, gold.encoding))
    got = predicted_items(article)
    scores, missed, extra = {}, {}, {}
    for name in FIELDS:
        want, have = gold.items[name], got[name]
        scores[name] = Score(len(want & have), len(have - want), len(want - have))
        missed[name], extra[name] = want - have, have - want
    return ReportScore(gold.report.stem, gold.split, scores, missed, extra)


def evaluate_corpus(
    gold_dir: str | Path | None = None, split: Split | Literal["all"] | None = None
) -> list[ReportScore]:
    """Score every `*.json` gold file in a folder (the course corpus by default), or one half."""
    if split not in (*SPLITS, "all", None):
        raise EvaluateError(f"unknown split {split!r}; choose tune, test or all")
    folder = corpus_dir() if gold_dir is None else Path(gold_dir)
    if not folder.is_dir():
        raise EvaluateError(f"{folder}: no such folder; give a folder of gold .json files")
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise EvaluateError(f"{folder}: no gold .json files in this folder")
    # Every gold file is read first, so a file without its split is an error whatever is chosen.
    golds = [load_gold(path) for path in paths]
    chosen = [g for g in golds if split in ("all", None) or g.split == split]
    if not chosen:
        raise EvaluateError(f"{folder}: no gold file of the {split} half in this folder")
    return [evaluate_report(gold) for gold in chosen]


def pooled(results: list[ReportScore], name: str | None = None) -> Score:
    """Counts summed over reports, for one field or (name=None) for every field."""
    names = FIELDS if name is None else (name,)
    return sum((r.scores[n] for r in results for n in names), Score())


def _pooled_lines(title: str, results: list[ReportScore]) -> list[str]:
    lines = [f"{title}: {len(results)} report{'' if len(results) == 1 else 's'}"]
    lines.append(f"{'field':<12} {'tp':>4} {'fp':>4} {'fn':>4}  precision  recall     F1")
    for name in (*FIELDS, None):
        s = pooled(results, name)
        label = name or "pooled"
        lines.append(
            f"{label:<12} {s.tp:>4} {s.fp:>4} {s.fn:>4}  {s.precision:9.2f} {s.recall:7.2f}"
            f" {s.f1:6.2f}"
        )
    return lines


def format_scores(results: list[ReportScore]) -> str:
    """A plain-text table: F1 per report and field, then P/R/F1 per field for each half and all."""
    width = max(len(r.name) for r in results)
    head = f"{'report':<{width}}  split " + " ".join(f"{n:>10}" for n in FIELDS)
    lines = [head + "      P     R    F1"]
    for r in results:
        total = r.total
        cells = " ".join(f"{r.scores[n].f1:>10.2f}" for n in FIELDS)
        p, rc, f1 = total.precision, total.recall, total.f1
        lines.append(f"{r.name:<{width}}  {r.split:<5} {cells}  {p:5.2f} {rc:5.2f} {f1:5.2f}")
    halves = [(s, [r for r in results if r.split == s]) for s in SPLITS]
    halves = [(s, rs) for s, rs in halves if rs]
    if len(halves) > 1:
        halves.append(("all", results))
    for title, chosen in halves:
        lines += ["", *_pooled_lines(title, chosen)]
    return "\n".join(lines)
