"""Step 3, triggers: the verbs and frames that mark a secondment, one row of a table each.

A trigger says "this sentence seconds someone to the post that follows". The table is data:
each row has its pattern (on the normalised text), what it means, and an example sentence that
a test reads with the whole pipeline. A weak verb (任, 担任, 出任: take up a post) counts only in a
sentence that speaks of the exchange, since `他曾任…` or `任命` say nothing of a secondment.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from secondment.article import HAN

__all__ = ["CONTEXT", "TRIGGERS", "Trigger", "TriggerRow", "find_triggers", "starts_with_trigger"]

# A date may stand before a place: `2015年7月赴廊坊挂职,任…`.
_WHEN = r"(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}[日号])?起?)?"
# 挂职 is the verb only where a post follows; 挂职干部 (seconded officials), 挂职期间 (during the
# secondment) and 挂职的 use it as a modifier.
_NOT_VERB_AFTER_GUAZHI = r"(?!干部|期间|时间|期限|期满|锻炼|工作|以来|人员|单位|岗位|的|[,;:。]|$)"
# 任 as a verb, not inside 现任/曾任/原任/时任/历任/兼任 (which name a post held, not the
# secondment) nor in 任务, 任期, 任职, 任命, 任何, 任内, 任免.
_REN = r"(?<![现曾原时历兼主责信继担出挂就升离留续到委])任(?![务期职命何内免])"


@dataclass(frozen=True)
class TriggerRow:
    """One way of writing "seconded as": its name, pattern, meaning and an example sentence."""

    name: str
    pattern: str
    meaning: str
    example: str
    strong: bool = True  # a strong trigger that reads no cadre is reported; a weak one is not
    to_unit: bool = False  # what follows may be a unit without a title: 挂职于北京市商务委


TRIGGERS: tuple[TriggerRow, ...] = (
    TriggerRow(
        "到…挂职,任",
        rf"{_WHEN}(?:赴|到|来|去|在){HAN}{{2,10}}?挂职\s*,?\s*(?:担任|任)",
        "go to a place on secondment, holding a post",
        "北京市规划委副主任韦东2015年7月赴廊坊挂职,任廊坊市副市长。",
    ),
    TriggerRow(
        "交流到…任",
        rf"交流(?:到|至){HAN}{{2,12}}?(?:担任|任)",
        "exchanged to a place, holding a post",
        "北京市教委处长包新华交流到保定市任教育局副局长。",
    ),
    TriggerRow(
        "挂职担任",
        r"挂职(?:担任|任)",
        "serve on secondment as (two words)",
        "省审计厅副厅长苗青,挂职担任北京市审计局副局长。",
    ),
    TriggerRow(
        "挂任",
        r"挂任",
        "serve on secondment as",
        "省工信厅副厅长段润保挂任北京市经信委副主任。",
    ),
    TriggerRow(
        "挂职于",
        r"挂职于",
        "seconded to",
        "邢台市商务局局长牛犇挂职于北京市商务委,协助分管外资工作。",
        to_unit=True,
    ),
    TriggerRow(
        "挂职",
        rf"挂职{_NOT_VERB_AFTER_GUAZHI}",
        "seconded as (only with a post after it)",
        "邯郸市旅游局副局长宫琳挂职北京市旅游委处长,分管宣传。",
    ),
    TriggerRow(
        "担任",
        r"(?<![挂职])担任",
        "hold a post (only where the sentence speaks of the exchange)",
        "作为挂职干部,唐山市发改委副主任甘霖担任北京市发改委处长。",
        strong=False,
    ),
    TriggerRow(
        "出任",
        r"出任",
        "take up a post (only where the sentence speaks of the exchange)",
        "经双方选派,北京市科委处长苏望出任石家庄市科技局副局长。",
        strong=False,
    ),
    TriggerRow(
        "任",
        _REN,
        "hold a post (only where the sentence speaks of the exchange)",
        "首批赴冀挂职干部中,北京市水务局处长左峰任衡水市水务局副局长。",
        strong=False,
    ),
)

#: Words that show a sentence speaks of the exchange, so that a weak trigger counts in it.
CONTEXT = re.compile(r"挂职|挂任|交流|选派|赴京|赴冀|派驻|互派")


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a sentence: where it is and which row of the table it matched."""

    start: int
    end: int
    row: TriggerRow


@functools.cache
def _pattern() -> re.Pattern[str]:
    # One alternation, in the table's order: at any position the earlier row wins, so
    # `挂职担任` is read as one trigger and not as 挂职 + 担任.
    return re.compile("|".join(f"(?P<t{i}>{row.pattern})" for i, row in enumerate(TRIGGERS)))


def find_triggers(simple: str, context: str = "") -> list[Trigger]:
    """The triggers in a normalised sentence, in order; weak ones only if the sentence or
    `context` (the sentence before it) speaks of the exchange."""
    if not any(w in simple for w in ("挂", "任")):
        return []  # most sentences of a long text have neither: skip the big pattern
    found = []
    speaks = None
    for m in _pattern().finditer(simple):
        row = TRIGGERS[int(next(k for k, v in m.groupdict().items() if v is not None)[1:])]
        if not row.strong:
            if speaks is None:
                speaks = bool(CONTEXT.search(simple) or CONTEXT.search(context))
            if not speaks:
                continue
        found.append(Trigger(m.start(), m.end(), row))
    return found


def starts_with_trigger(simple: str) -> bool:
    """Whether a normalised text opens with a trigger (what may follow a person's name)."""
    return _pattern().match(simple) is not None
