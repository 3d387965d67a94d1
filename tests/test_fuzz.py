"""Property tests: the parser never crashes, whatever text it is given."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondment.article import parse_article
from secondment.extract import find_cadres, find_events, find_quantities, find_ranks
from secondment.tables import build_tables

# Text drawn mostly from the characters this domain uses, so the patterns get exercised.
PIECES = st.sampled_from(
    list("省市县区厅局委副主任长挂任职的干部名多余个次项家月年日至——,，。、:“”() \n0123456789")
    + ["挂任", "副主任", "他是", "干部", "2015年", "11月", "27日", "相关阅读", "责任编辑:", "分享",
       "60多次", "三个小时左右", "厅局级干部15名", "张国洪", "——张健,"]
)  # fmt: skip
DOMAIN_TEXT = st.lists(PIECES, max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), DOMAIN_TEXT))
def test_parser_never_crashes(text):
    art = parse_article(text)
    for finder in (find_cadres, find_quantities, find_events, find_ranks):
        assert isinstance(finder(art), list)
        assert isinstance(finder(text), list)
    frames = build_tables(art)
    assert set(frames) == {"cadres.csv", "ranks.csv", "quantities.csv", "events.csv"}


@settings(max_examples=200, deadline=None)
@given(DOMAIN_TEXT)
def test_events_are_valid_iso_dates(text):
    import datetime as dt

    for e in find_events(text, default_year=2015):
        for value in (e.start, e.end):
            fmt = "%Y-%m-%d" if len(value) == 10 else "%Y-%m"
            dt.datetime.strptime(value, fmt)
        assert e.start <= e.end or len(e.start) != len(e.end)
