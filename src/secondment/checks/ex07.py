"""Checks for the capstone brief (07): the pieces of a data story, not its ideas.

These checks confirm each piece is there and backed by the data; the story itself is graded
by hand with the rubric in the brief.
"""

from __future__ import annotations

import re
from typing import Any

from secondment.checks import Hint, question
from secondment.checks.expect import expect_type

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _known_figures() -> set[str]:
    """Every number the course's tables hold, as text (60, 100, 2015, 0.45 → 45 …)."""
    from secondment.tables import cadres_table, events_table, quantities_table, ranks_table

    figures: set[str] = set()
    ranks = ranks_table()
    total = int(ranks["count"].sum())
    for value in ranks["count"]:
        figures |= {str(int(value)), str(round(100 * value / total))}
    figures.add(str(total))
    for value in quantities_table()["value"]:
        figures.add(f"{value:g}")
    for col in ("start", "end"):
        for date in events_table()[col]:
            figures |= set(_NUMBER.findall(str(date).replace("-", " ")))
            figures |= {str(int(p)) for p in str(date).split("-")}
    figures.add(str(len(cadres_table())))
    return figures


@question("07.1")
def question_text(answer: Any) -> str:
    expect_type(answer, str, what="your question")
    text = answer.strip()
    if not text.endswith(("?", "？")):
        raise Hint("write it as a question, ending with ?")
    if len(text) < 15:
        raise Hint("make the question specific: who, what, when or how many, about the article")
    return "a clear question: now find the evidence"


@question("07.2")
def evidence_table(answer: Any) -> str:
    import pandas as pd

    expect_type(answer, pd.DataFrame, what="your table")
    if not 2 <= len(answer) <= 20:
        raise Hint(f"your table has {len(answer)} rows; a reader can take in 2 to 20")
    if answer.shape[1] < 2:
        raise Hint("a table needs at least two columns: a label and a value")
    if answer.isna().any().any():
        raise Hint("your table has missing values: drop or explain them")
    if not any(pd.api.types.is_numeric_dtype(answer[c]) for c in answer.columns):
        raise Hint("your table has no numeric column: what is the evidence?")
    return "a readable table"


@question("07.3")
def evidence_chart(answer: Any) -> str:
    from matplotlib.axes import Axes

    expect_type(answer, Axes, what="your chart (the Axes, e.g. `ax`)")
    if not answer.get_title():
        raise Hint("your chart needs a title that says what it shows")
    if not (answer.get_xlabel() and answer.get_ylabel()):
        raise Hint("label both axes, with units where there are any")
    marks = len(answer.patches) + len(answer.lines) + len(answer.collections)
    if marks == 0:
        raise Hint("your chart has no bars, lines or points yet")
    family = answer.title.get_fontfamily()
    if "Secondment Sans CJK" not in family:
        raise Hint("call use_course_style() before plotting, or Chinese will show as boxes")
    return "a titled, labelled chart in the course font"


@question("07.4")
def alt_text(answer: Any) -> str:
    expect_type(answer, str, what="your alt text")
    text = answer.strip()
    if not 40 <= len(text) <= 300:
        raise Hint(f"alt text of {len(text)} characters; aim for one sentence of 40 to 300")
    if not _NUMBER.search(text):
        raise Hint("say what the chart shows, with at least one of its figures")
    return "alt text a screen reader can use"


@question("07.5")
def sentences(answer: Any) -> str:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(s, str) for s in answer):
        raise Hint(f"give a list of sentences (strings), not a {type(answer).__name__}")
    if len(answer) != 3:
        raise Hint(f"write exactly three sentences; you have {len(answer)}")
    known = _known_figures()
    for i, sentence in enumerate(answer, 1):
        found = _NUMBER.findall(sentence)
        if not found:
            raise Hint(f"sentence {i} has no figure: back each claim with a number")
        if not any(f in known for f in found):
            raise Hint(f"sentence {i}: its figures are not in the course's tables; compute them")
    return "three sentences, each backed by a figure from the tables"


@question("07.6")
def caveats(answer: Any) -> str:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(s, str) for s in answer):
        raise Hint("give your caveats as a list of strings")
    real = [c for c in answer if len(c.strip()) >= 15]
    if len(real) < 2:
        raise Hint("name at least two limits of the evidence, each in a full sentence")
    return "caveats stated"
