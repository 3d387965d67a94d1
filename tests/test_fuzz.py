"""Property tests: whatever text the parser is given, what it returns holds together."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondment.article import normalise, parse_article
from secondment.extract import find_cadres, find_events, find_quantities, find_ranks
from secondment.tables import build_tables

# Text drawn mostly from the characters and shapes this domain uses, so the patterns get
# exercised: prose, dash lists, field lines, table rows, ranges with and without years.
PIECES = st.sampled_from(
    list("省市县区厅局委副主任长挂任职的干部名多余个次项家月年日至——,，。、:：“”()（） \n\t0123456789")
    + ["挂任", "挂职担任", "副主任", "他是", "她是", "干部", "目前", "曾", "2015年", "11月", "27日",
       "至3月5日", "至12日", "每一天", "相关阅读", "责任编辑:", "分享", "60多次", "三个小时左右",
       "厅局级干部15名", "张国洪", "欧阳晓光", "林涛格外", "——张健,", "姓名:", "原职务:", "挂职职务:",
       "序号\t姓名\t派出单位及职务\t挂职单位及职务\n", "本报讯(记者 ", "通讯员", ")", "分别",
       "同志", "他挂任", "她原是", "赴廊坊挂职,任", "王　芳"]
)  # fmt: skip
DOMAIN_TEXT = st.lists(PIECES, max_size=80).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), DOMAIN_TEXT)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WIDE = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})


def _records(source):
    return (find_cadres(source), find_quantities(source), find_events(source, 2015),
            find_ranks(source))  # fmt: skip


@FAST
@given(ANY_TEXT)
def test_parser_never_crashes(text):
    art = parse_article(text)
    for records in (_records(art), _records(text)):
        assert all(isinstance(r, list) for r in records)
    frames = build_tables(art)
    assert set(frames) == {"cadres.csv", "ranks.csv", "quantities.csv", "events.csv"}


@FAST
@given(DOMAIN_TEXT)
def test_events_are_valid_iso_dates_that_never_end_before_they_start(text):
    import datetime as dt

    for e in find_events(text, default_year=2015):
        for value in (e.start, e.end):
            dt.datetime.strptime(value, "%Y-%m-%d" if len(value) == 10 else "%Y-%m")
        shared = min(len(e.start), len(e.end))  # compare at the precision both have
        assert e.start[:shared] <= e.end[:shared], (e.start, e.end)
        assert e.precision == ("day" if len(e.start) == 10 else "month")


@FAST
@given(DOMAIN_TEXT)
def test_values_are_non_negative(text):
    cadres, quantities, _, ranks = _records(text)
    assert all(q.value >= 0 for q in quantities)
    assert all(r.count >= 0 for r in ranks)
    assert all(c.mentions >= 1 for c in cadres)


@FAST
@given(DOMAIN_TEXT)
def test_every_record_comes_from_a_sentence_of_the_text(text):
    flat = normalise(text)
    cadres, quantities, events, ranks = _records(text)
    for sentence in (
        [c.sentence for c in cadres]
        + [q.sentence for q in quantities]
        + [e.text for e in events]
        + [r.sentence for r in ranks]
    ):
        assert sentence and sentence in flat
    for c in cadres:
        assert c.name and c.name in flat and c.home_post and c.host_post
        assert c.alt_name != c.name
    for q in quantities:
        assert q.text in q.sentence


@FAST
@given(DOMAIN_TEXT)
def test_output_does_not_depend_on_punctuation_width(text):
    wide = text.translate(WIDE)
    assert _records(wide) == _records(text)
    a, b = parse_article(wide), parse_article(text)
    assert (a.title, a.reporter, a.editor, a.body) == (b.title, b.reporter, b.editor, b.body)
