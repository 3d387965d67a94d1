"""The extractor's steps one by one: normalise, clauses, triggers, posts, people, roles."""

import subprocess
import sys

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from secondment.__main__ import main
from secondment.article import load_article, parse_article, read_article_text
from secondment.extract import (
    find_cadres,
    find_events,
    find_quantities,
    find_ranks,
    unread_sentences,
)
from secondment.extract.clauses import runs
from secondment.extract.normalise import normalise
from secondment.extract.people import could_be_name, gap_length, read_name
from secondment.extract.posts import is_organisation, post_parts, title_ends
from secondment.extract.roles import FRAMES, label
from secondment.extract.triggers import TRIGGERS, find_triggers
from secondment.script import simplify

EIGHT = {
    "张涛", "张国洪", "王普清", "张健", "奚献军", "段润保", "杨猛", "孙学军",
}  # fmt: skip


# ---------------------------------------------------------------- normalise


def test_normalise_keeps_every_position():
    text = "河北省環保廳總會計師孫學軍，掛任北京市環保局副局長（正處級）。"
    plain = normalise(text)
    assert plain == "河北省环保厅总会计师孙学军,挂任北京市环保局副局长(正处级)。"
    assert len(plain) == len(text)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_normalise_never_changes_the_length(text):
    assert len(normalise(text)) == len(text) == len(simplify(text))


# ---------------------------------------------------------------- clauses and posts


def test_runs_part_a_sentence_at_its_marks_but_keep_a_rank_in_brackets():
    plain = normalise("北京市水务局副局长（正处级）栾青,挂任衡水市水务局副局长。")
    parts = [plain[r.start : r.end] for r in runs(plain) if not r.mark]
    assert parts == ["北京市水务局副局长(正处级)栾青", "挂任衡水市水务局副局长"]


@pytest.mark.parametrize(
    ("post", "org", "role"),
    [
        ("省环保厅总会计师", "省环保厅", "总会计师"),  # a title no list of whole posts holds
        ("北京市顺义区南彩镇镇长助理", "北京市顺义区南彩镇", "镇长助理"),
        ("张家口市委常委、副市长", "张家口市委", "常委、副市长"),
        ("北京市中关村科技园区管理委员会副主任", "北京市中关村科技园区管理委员会", "副主任"),
        ("河北省環保廳總工程師", "河北省環保廳", "總工程師"),  # as printed, in traditional
        ("北京市发改委", "北京市发改委", ""),
    ],
)
def test_posts_are_organisations_ending_in_titles(post, org, role):
    assert post_parts(post) == (org, role)


def test_a_title_followed_by_a_unit_is_still_an_organisation():
    plain = "北京市科学技术委员会主任"
    assert [plain[a:b] for a, b in title_ends(plain)] == ["主任"]  # not 委员 of 委员会
    assert is_organisation("省沿海办") and not is_organisation("近日") and not is_organisation("省")


# ---------------------------------------------------------------- people


@pytest.mark.parametrize(
    ("run", "after", "name"),
    [
        ("钟明于去年", "挂任北京市财政局副局长", "钟明"),  # a time phrase after the name
        ("欧阳晓光表示", "", "欧阳晓光"),  # a compound surname: three or four characters
        ("张涛在中关村", "", "张涛"),  # 在 (at) opens what follows
        (
            "韦志刚",
            ",邢台市商务局局长",
            "韦志刚",
        ),  # 刚 (just) cannot end a clause: part of the name
        ("郑伟说", "。", "郑伟"),  # 说 (says) can
    ],
)
def test_a_name_ends_where_what_follows_begins(run, after, name):
    length, _ = read_name(normalise(run), normalise(after))
    assert run[:length] == name


def test_what_can_be_a_name():
    assert could_be_name("段润保") and could_be_name("司马青云")
    assert not could_be_name("一般") and not could_be_name("近日") and not could_be_name("其中")
    assert not could_be_name("助理") and not could_be_name("他说")
    assert not could_be_name("高远") and could_be_name("高远", strict=False)  # also an adverb
    assert gap_length("于2016年3月挂任") == len("于2016年3月")
    assert gap_length("目前挂任") == 2 and gap_length("挂任") == 0


# ---------------------------------------------------------------- triggers and roles


@pytest.mark.parametrize("row", TRIGGERS, ids=lambda r: r.name)
def test_each_trigger_row_reads_its_example(row):
    (cadre,) = find_cadres(row.example)
    plain = normalise(row.example)
    assert [t.row for t in find_triggers(plain)] == [row]
    assert cadre.trigger == row.example[plain.index(cadre.trigger) :][: len(cadre.trigger)]
    assert unread_sentences(row.example) == []


def test_weak_triggers_count_only_where_the_exchange_is_spoken_of():
    assert find_cadres("北京市水务局处长左峰任衡水市水务局副局长。") == []  # an appointment
    assert find_cadres("他曾任保定市副市长,现任唐山市市长。") == []  # posts held, not a secondment
    seconded = "首批挂职干部中,北京市水务局处长左峰任衡水市水务局副局长。"
    assert [c.name for c in find_cadres(seconded)] == ["左峰"]


@pytest.mark.parametrize("frame", FRAMES, ids=lambda f: f.name)
def test_each_frame_reads_its_example(frame):
    cadres = find_cadres(frame.example)
    assert cadres and {c.shape for c in cadres} == {frame.name}
    assert all(f"frame {frame.name}" in c.found_by for c in cadres)


def test_a_sentence_becomes_a_row_of_letters():
    plain = normalise("省工信厅副厅长段润保挂任北京市经信委副主任。")
    tokens = label(plain, find_triggers(plain))
    assert "".join(t.kind for t in tokens) == "PNTPX"
    assert [plain[t.start : t.end] for t in tokens][:3] == ["省工信厅副厅长", "段润保", "挂任"]


@pytest.mark.parametrize(
    "text",
    [
        "北京市委组织部表示，挂职干部一般挂任平级岗位实职。",  # a rule, not a person
        "挂职期间，干部原职务不变。",
        "他说,挂职干部座谈会在京召开。",
    ],
)
def test_statements_about_secondment_name_no_one(text):
    assert find_cadres(text) == []


def test_every_row_says_where_it_came_from():
    (row,) = find_cadres("河北省環保廳總會計師孫學軍於去年掛任北京市環保局副局長。")
    assert (row.name, row.home_post, row.host_post) == (
        "孫學軍",
        "河北省環保廳總會計師",
        "北京市環保局副局長",
    )
    assert row.trigger == "掛任" and row.shape == "joined"
    assert row.found_by == (
        "name: people (surname 孫); home: posts (title 總會計師); "
        "host: posts (title 副局長); roles: frame joined"
    )
    (table,) = find_cadres(
        "序号\t姓名\t原职务\t挂职职务\n1\t钱程\t北京市体育局处长\t张家口市体育局副局长"
    )
    assert table.found_by == "clauses: a table row" and table.shape == "table"


# ---------------------------------------------------------------- traditional characters


def test_the_article_printed_in_traditional_characters_gives_the_same_people():
    traditional = opencc.OpenCC("s2t").convert(read_article_text())
    cadres = find_cadres(parse_article(traditional))
    assert {simplify(c.name) for c in cadres} == EIGHT
    assert "孫學軍" in {c.name for c in cadres}  # as printed, not respelt
    assert [(simplify(c.home_post), simplify(c.host_post)) for c in cadres] == [
        (c.home_post, c.host_post) for c in find_cadres(load_article())
    ]
    assert (
        parse_article(traditional).editor == "週一清"
    )  # chrome is recognised, and kept as printed


def test_numbers_dates_and_ranks_of_a_traditional_printing_are_read_as_printed():
    traditional = parse_article(opencc.OpenCC("s2t").convert(read_article_text()))
    simple = load_article()
    assert [(r.rank, r.count) for r in find_ranks(traditional)][0] == ("廳局級", 15)
    assert [(simplify(r.rank), r.count) for r in find_ranks(traditional)] == [
        (r.rank, r.count) for r in find_ranks(simple)
    ]
    facts = {(simplify(q.text), q.value, q.qualifier) for q in find_quantities(traditional)}
    assert facts == {(q.text, q.value, q.qualifier) for q in find_quantities(simple)}
    assert [(e.start, e.end) for e in find_events(traditional)] == [
        (e.start, e.end) for e in find_events(simple)
    ]


def test_big5_reads_with_its_option_and_is_named_without_it(tmp_path, capsys):
    report = tmp_path / "hk.txt"
    report.write_bytes(
        "標題\n\n  河北省環保廳總工程師孫學軍掛任北京市環保局副局長。\n".encode("big5")
    )
    assert main(["tables", str(report), "--out", str(tmp_path / "a")]) == 2
    assert "it looks Big5-encoded: rerun with --encoding big5" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    assert main(["tables", str(report), "--encoding", "big5", "--out", str(tmp_path / "b")]) == 0
    assert "孫學軍,河北省環保廳總工程師,北京市環保局副局長" in (
        tmp_path / "b" / "cadres.csv"
    ).read_text(encoding="utf-8")


def test_gbk_is_still_named_gbk(tmp_path, capsys):
    report = tmp_path / "gbk.txt"
    report.write_bytes(
        "标题\n\n  河北省环保厅总工程师孙学军挂任北京市环保局副局长。\n".encode("gbk")
    )
    assert main(["tables", str(report), "--out", str(tmp_path / "a")]) == 2
    assert "it looks GBK-encoded: rerun with --encoding gbk" in capsys.readouterr().err


# ---------------------------------------------------------------- structure


def test_the_extractor_does_not_import_the_words_module():
    # extract and words once imported each other; now words builds on extract, not back.
    code = "import sys, secondment.extract; print('secondment.words' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
