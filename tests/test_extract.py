"""Facts extracted from the article, and from variants of it the library has never seen."""

from pathlib import Path

import pytest

from secondment.article import load_article, parse_article, read_article_text
from secondment.extract import (
    chinese_number,
    find_cadres,
    find_events,
    find_quantities,
    find_ranks,
    parse_number,
)

DATA = Path(__file__).parent / "data"

EIGHT_CADRES = [
    ("张涛", "省科技厅副巡视员", "北京市中关村科技园区管理委员会副主任"),
    ("张国洪", "省沿海办专职副主任", "北京市发改委副主任"),
    ("王普清", "省交通运输厅副厅长", "北京市交通委副主任"),
    ("张健", "威县市场监督管理局副主任科员", "北京市顺义区南彩镇镇长助理"),
    ("奚献军", "省商务厅副厅长", "北京市商务委副主任"),
    ("段润保", "省工信厅副厅长", "北京市经信委副主任"),
    ("杨猛", "保定市副市长", "北京市丰台区副区长"),
    ("孙学军", "省环保厅总工程师", "北京市环保局副总工程师"),
]


@pytest.fixture(scope="module")
def art():
    return load_article()


def _triples(cadres):
    return [(c.name, c.home_post, c.host_post) for c in cadres]


def test_the_eight_cadres_and_their_posts(art):
    assert _triples(find_cadres(art)) == EIGHT_CADRES


def test_each_sentence_shape_is_used(art):
    shapes = {c.name: c.shape for c in find_cadres(art)}
    assert shapes["张健"] == shapes["奚献军"] == "dash"
    assert shapes["段润保"] == "joined"
    assert shapes["张国洪"] == "he_is"
    assert shapes["孙学军"] == "appositive"  # after a leading 在


def test_reporter_and_editor_are_not_cadres(art):
    names = {c.name for c in find_cadres(art)}
    assert not names & {"赵建", "赵 建", "周一清"}
    assert not any(len(n) < 2 or n.startswith(("在", "的")) for n in names)


def test_full_width_copy_gives_the_same_cadres():
    text = read_article_text()
    wide = text.replace(",", "，").replace(":", "：").replace("(", "（").replace(")", "）")
    wide = wide.replace("?", "？")
    assert "," not in wide
    assert _triples(find_cadres(parse_article(wide))) == EIGHT_CADRES


def test_ranks_sum_to_one_hundred(art):
    ranks = find_ranks(art)
    assert [(r.rank, r.count) for r in ranks] == [
        ("厅局级", 15),
        ("县处级", 45),
        ("乡科级", 28),
        ("专业技术人才", 12),
    ]
    assert sum(r.count for r in ranks) == 100


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        ("60多次", 60, "more_than", "次"),
        ("50多个", 50, "more_than", "个"),
        ("200多项", 200, "more_than", "项"),
        ("1000余家", 1000, "more_than", "家"),
        ("5个多月", 5, "more_than", "月"),
        ("5个月", 5, "exact", "月"),
        ("三个小时左右", 3, "about", "小时"),
        ("百名", 100, "exact", "名"),
        ("89家", 89, "exact", "家"),
    ],
)
def test_quantities(art, text, value, qualifier, unit):
    found = {q.text: q for q in find_quantities(art)}
    assert text in found
    q = found[text]
    assert (q.value, q.qualifier, q.unit) == (value, qualifier, unit)


def test_quantities_exclude_ordinals_words_years_and_chrome(art):
    texts = {q.text for q in find_quantities(art)}
    for wrong in ("三条", "第三条", "多次", "多轮", "两地", "三地", "150元", "1500元", "2022年",
                  "2015年", "一座", "一员", "4个"):  # fmt: skip
        assert wrong not in texts, wrong


def test_repeated_figures_agree(art):
    mentions = [q.text for q in find_quantities(art)]
    assert mentions.count("60多次") == 3
    assert mentions.count("50多个") == 3
    assert mentions.count("200多项") == 2


def test_the_five_dates_of_the_body(art):
    events = find_events(art)
    assert [(e.start, e.end, e.precision) for e in events] == [
        ("2015-07-24", "2015-07-24", "day"),
        ("2015-08-28", "2015-08-28", "day"),
        ("2015-11-27", "2015-11-27", "day"),
        ("2015-11", "2016-05", "month"),
    ]
    dates = {e.start for e in events} | {e.end for e in events}
    assert dates == {"2015-07-24", "2015-08-28", "2015-11-27", "2015-11", "2016-05"}
    assert "2016-01-04" not in dates  # the page's timestamp is chrome


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("百", 100), ("一百零五", 105),
     ("三百五十", 350), ("三百五", 350), ("两万三", 23000), ("两千", 2000), ("一万二千", 12000), ("十万", 100000)],
)  # fmt: skip
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_parse_number_forms():
    assert parse_number("1,000") == 1000
    assert parse_number("2.5") == 2.5
    assert parse_number("3万") == 30000
    with pytest.raises(ValueError):
        parse_number("abc")


# ---------------------------------------------------------------- unseen articles


@pytest.fixture(scope="module")
def variant():
    return load_article(DATA / "variant_beijing_to_hebei.txt")


def test_variant_other_direction_full_width(variant):
    assert variant.reporter == "王芳" and variant.editor == "李四"
    assert _triples(find_cadres(variant)) == [
        ("李红梅", "北京市科委副主任", "河北省科技厅副厅长"),
        ("刘志强", "北京市海淀区副区长", "廊坊市副市长"),
        ("欧阳明", "北京市交通委副主任", "河北省交通运输厅副厅长"),
        ("陈晓东", "北京市经信委副主任", "河北省工信厅副厅长"),
    ]


def test_variant_facts(variant):
    assert [(r.rank, r.count) for r in find_ranks(variant)] == [
        ("厅局级", 12), ("县处级", 50), ("乡科级", 30), ("专业技术人才", 8),
    ]  # fmt: skip
    q = {x.text: (x.value, x.qualifier) for x in find_quantities(variant)}
    assert q["30余次"] == (30, "more_than")
    assert q["约40个"] == (40, "about")
    assert q["两个小时左右"] == (2, "about")
    assert q["三轮"] == (3, "exact")
    assert "200元" not in q and "第二批" not in q
    assert [(e.start, e.end) for e in find_events(variant)] == [
        ("2015-07-24", "2015-07-24"),
        ("2015-09-03", "2015-09-03"),
        ("2015-10", "2016-02"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("市发改委副主任、挂任河北省发改委副主任的赵大勇表示,合作顺利。",
         ("赵大勇", "市发改委副主任", "河北省发改委副主任")),
        ("在市环保局局长、挂任北京市环保局副局长的钱丽等人推动下,机制建立。",
         ("钱丽", "市环保局局长", "北京市环保局副局长")),
        ("——孙小美,邯郸市副市长,挂任北京市西城区副区长。",
         ("孙小美", "邯郸市副市长", "北京市西城区副区长")),
        ("省水利厅副厅长周建国挂任北京市水务局副局长,他积极推动项目。",
         ("周建国", "省水利厅副厅长", "北京市水务局副局长")),
        ("我省挂职干部吴海涛发挥了作用。他是省农业厅副厅长,挂任北京市农委副主任,分管合作。",
         ("吴海涛", "省农业厅副厅长", "北京市农委副主任")),
        ("我省挂职干部王强发挥了作用。他是省农业厅副厅长,挂任北京市农委副主任。",
         ("王强", "省农业厅副厅长", "北京市农委副主任")),
        ("省商务厅副厅长、挂任北京市商务委副主任的王强发言。",
         ("王强", "省商务厅副厅长", "北京市商务委副主任")),
        ("省商务厅副厅长、挂任北京市商务委副主任的刘保和说。",
         ("刘保和", "省商务厅副厅长", "北京市商务委副主任")),
        ("“很忙。”省教育厅副巡视员、挂任北京市教委副主任的郑伟说。",
         ("郑伟", "省教育厅副巡视员", "北京市教委副主任")),
    ],
)  # fmt: skip
def test_unseen_sentences(sentence, expected):
    assert _triples(find_cadres(sentence)) == [expected]


def test_vague_numbers_are_not_quantities():
    assert find_quantities("数十名干部和几百家企业") == []


def test_text_without_facts_gives_nothing():
    text = "今天天气很好。我们去公园散步,看到很多人。"
    assert find_cadres(text) == [] and find_ranks(text) == [] and find_events(text) == []
    assert find_quantities(text) == []


def test_ge_followed_by_a_noun_is_the_measure_word():
    got = [(q.text, q.value, q.unit) for q in find_quantities("等3个项目提前开工,用了两个星期。")]
    assert got == [("3个", 3, "个"), ("两个星期", 2, "星期")]
    assert [(q.text, q.unit) for q in find_quantities("接待600余人次。")] == [("600余人次", "人次")]


# ---------------------------------------------------------------- shapes of other reports


@pytest.mark.parametrize(
    ("sentence", "expected", "shape"),
    [
        ("省林业厅副厅长韩立军，挂任北京市园林绿化局副局长，分管造林。",
         ("韩立军", "省林业厅副厅长", "北京市园林绿化局副局长"), "joined_comma"),
        ("挂任北京市民政局副局长的省民政厅副厅长卢晓红表示，养老合作大有可为。",
         ("卢晓红", "省民政厅副厅长", "北京市民政局副局长"), "host_first"),
        ("北京市海淀区副区长陈立新目前挂任保定市副市长,分管科技。",
         ("陈立新", "北京市海淀区副区长", "保定市副市长"), "joined"),
        ("北京市水务局副处长孔德明此前挂任承德市水务局副局长。",
         ("孔德明", "北京市水务局副处长", "承德市水务局副局长"), "joined"),
        ("北京市商务委副主任郑雪曾挂任廊坊市副市长。",
         ("郑雪", "北京市商务委副主任", "廊坊市副市长"), "joined"),
        ("北京市园林绿化局副局长何平现已挂任张家口市副市长。",
         ("何平", "北京市园林绿化局副局长", "张家口市副市长"), "joined"),
        ("北京市统计局处长唐颖现挂任石家庄市统计局副局长。",
         ("唐颖", "北京市统计局处长", "石家庄市统计局副局长"), "joined"),
        ("省审计厅副厅长苗青，挂职担任北京市审计局副局长。",
         ("苗青", "省审计厅副厅长", "北京市审计局副局长"), "joined_comma"),
        ("北京市规划委副主任韦东2015年7月赴廊坊挂职,任廊坊市副市长。",
         ("韦东", "北京市规划委副主任", "廊坊市副市长"), "joined"),
        ("——上官婉清，北京市教委处长，挂职担任保定市教育局副局长。",
         ("上官婉清", "北京市教委处长", "保定市教育局副局长"), "dash"),
        ("北京市东城区副区长吴迪,2015年7月起挂任承德市副市长。",
         ("吴迪", "北京市东城区副区长", "承德市副市长"), "joined_comma"),
        ("北京市西城区副区长张丽萍挂职担任石家庄市副市长以来,推动多个项目。",
         ("张丽萍", "北京市西城区副区长", "石家庄市副市长"), "joined"),
        ("来自承德的挂职干部、承德市双桥区副区长于洋挂任北京市密云区副区长。",
         ("于洋", "承德市双桥区副区长", "北京市密云区副区长"), "joined"),
        ("——邯郸市副市长郭小川,挂任北京市石景山区副区长;",
         ("郭小川", "邯郸市副市长", "北京市石景山区副区长"), "joined_comma"),
    ],
)  # fmt: skip
def test_shapes_of_other_reports(sentence, expected, shape):
    (cadre,) = find_cadres(sentence)
    assert (cadre.name, cadre.home_post, cadre.host_post) == expected
    assert cadre.shape == shape and cadre.sentence == sentence.replace("，", ",")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("河北赴京挂职干部林涛格外忙碌。他是省住建厅副厅长，挂任北京市住建委副主任。", "林涛"),
        ("河北赴京挂职干部皇甫建华同样没有休息。她是省民政厅副厅长,挂任北京市民政局副局长。", "皇甫建华"),
        ("我省挂职干部司马青云积极推动合作。她是省卫生计生委副主任,挂任北京市卫生计生委副主任。", "司马青云"),
        ("省科技厅副厅长、挂任北京市科委副主任的宁静,推动了对接。", "宁静"),
        ("省商务厅副厅长、挂任北京市商务委副主任的欧阳明说。", "欧阳明"),
        ("省发改委副主任、挂任北京市发改委副主任的刘国庆作了发言。", "刘国庆"),
    ],
)  # fmt: skip
def test_name_boundaries_from_what_follows(text, name):
    assert [c.name for c in find_cadres(text)] == [name]


def test_he_serves_takes_name_and_home_post_from_the_speaker_before():
    text = "“机遇难得。”北京市旅游委副主任李文博说。他挂任张家口市旅游委副主任,带团滑雪。"
    (cadre,) = find_cadres(text)
    assert (cadre.name, cadre.home_post, cadre.host_post, cadre.shape) == (
        "李文博", "北京市旅游委副主任", "张家口市旅游委副主任", "he_serves",
    )  # fmt: skip
    assert find_cadres("他挂任张家口市旅游委副主任。") == []  # no one named before: no record


def test_lists_parentheses_and_chained_appositives():
    both = (
        "省发改委副主任王小明、省财政厅副厅长李强分别挂任北京市发改委副主任、北京市财政局副局长。"
    )
    assert _triples(find_cadres(both)) == [
        ("王小明", "省发改委副主任", "北京市发改委副主任"),
        ("李强", "省财政厅副厅长", "北京市财政局副局长"),
    ]
    uneven = "省发改委副主任王小明、省财政厅副厅长李强分别挂任北京市发改委副主任。"
    assert find_cadres(uneven) == []  # two people, one post: no pairing is safe
    inside = "在生态领域，韩晓燕（省林业厅副厅长，挂任北京市园林绿化局副局长）参与编制了规划。"
    assert _triples(find_cadres(inside)) == [("韩晓燕", "省林业厅副厅长", "北京市园林绿化局副局长")]
    chained = "省商务厅副厅长、挂任北京市商务委副主任的周涛和省农业厅副厅长、挂任北京市农委副主任的吴建平，共同推动。"
    assert [c.name for c in find_cadres(chained)] == ["周涛", "吴建平"]
    comrade = "北京市东城区发改委主任何建国同志,目前挂职担任保定市徐水区副区长。"
    assert _triples(find_cadres(comrade)) == [
        ("何建国", "北京市东城区发改委主任", "保定市徐水区副区长")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "省交通厅副厅长、现挂任北京市交通委副主任的高远说。",
        "——高远,省交通厅副厅长,现挂任北京市交通委副主任。",
        "我省挂职干部高远,工作很忙。他原为省交通厅副厅长,现挂任北京市交通委副主任。",
    ],
)
def test_an_adverb_before_the_verb_in_every_shape(text):
    assert _triples(find_cadres(text)) == [("高远", "省交通厅副厅长", "北京市交通委副主任")]


def test_he_is_after_de_needs_a_name_not_a_word():
    named = "来自北京市农委的孟静格外引人注目。她原是北京市农委处长,挂任保定市定兴县副县长。"
    assert [c.name for c in find_cadres(named)] == ["孟静"]
    word = "这是我们的工作。他是北京市农委处长,挂任保定市定兴县副县长。"
    assert find_cadres(word) == []


def test_an_ambiguous_boundary_keeps_the_shorter_name_and_the_alternative():
    (cadre,) = find_cadres("省商务厅副厅长、挂任北京市商务委副主任的王刚才说。")
    assert (cadre.name, cadre.alt_name) == ("王刚", "王刚才")  # 王刚|才说 or 王刚才|说
    (cadre,) = find_cadres("“很忙。”省教育厅副巡视员、挂任北京市教委副主任的郑伟说。")
    assert (cadre.name, cadre.alt_name) == ("郑伟", None)  # 说 ends the clause: no rival
    # Nothing after 高远 or 高远忙 reads as a boundary: the shorter, with the longer beside it.
    (cadre,) = find_cadres(
        "我省挂职干部高远忙个不停。他原为省交通厅副厅长,现挂任北京市交通委副主任。"
    )
    assert (cadre.name, cadre.alt_name) == ("高远", "高远忙")


def test_field_lines_and_tables_are_read_from_their_structure():
    fields = "姓名：钱程　原任职务：北京市体育局处长　拟挂职务：张家口市体育局副局长"
    assert _triples(find_cadres(fields)) == [("钱程", "北京市体育局处长", "张家口市体育局副局长")]
    table = "名单如下:\n序号  姓名  工作单位及职务  挂职单位及职务\n1  钱程  北京市体育局处长  张家口市体育局副局长\n2  诸葛红  北京市民委副主任  承德市民宗局副局长\n以上同志挂职一年。"  # noqa: E501
    cadres = find_cadres(table)
    assert _triples(cadres) == [
        ("钱程", "北京市体育局处长", "张家口市体育局副局长"),
        ("诸葛红", "北京市民委副主任", "承德市民宗局副局长"),
    ]
    assert {c.shape for c in cadres} == {"table"}
    assert find_cadres("序号 姓名 派出单位及职务 挂职单位及职务\n以上名单已公示。") == []
    padded = "序号　姓名　原单位职务　挂职单位职务\n1　王　芳　北京市卫生计生委处长　张家口市卫生计生委副主任"
    assert _triples(find_cadres(padded)) == [
        ("王芳", "北京市卫生计生委处长", "张家口市卫生计生委副主任")
    ]
    card = "姓名：贺军\n挂职前职务：承德市丰宁县副县长\n挂职职务：北京市怀柔区副区长"
    assert _triples(find_cadres(card)) == [("贺军", "承德市丰宁县副县长", "北京市怀柔区副区长")]
    numbered = "1.周明,北京市东城区教委副主任,挂任承德市教育局副局长;\n(2)吴桐,北京市卫生计生委处长,挂任承德市卫生计生委副主任。"
    cadres = find_cadres(numbered)
    assert [(c.name, c.shape) for c in cadres] == [("周明", "numbered"), ("吴桐", "numbered")]
    lines = "姓名：钱程\n原任职务：北京市体育局处长\n拟挂职务：张家口市体育局副局长\n他说：好。"
    assert _triples(find_cadres(lines)) == [("钱程", "北京市体育局处长", "张家口市体育局副局长")]


def test_unread_sentences_name_their_paragraph():
    from secondment.extract import unread_sentences

    text = "标题\n选派干部挂任北京市有关部门副职。\n省水利厅副厅长马卫东挂任北京市水务局副局长。"
    assert unread_sentences(text) == [(1, "选派干部挂任北京市有关部门副职。")]
    assert unread_sentences(load_article()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015年11月至3月5日,开展对接。", [("2015-11", "2016-03-05")]),
        ("2015年12月28日至1月6日,开展对接。", [("2015-12-28", "2016-01-06")]),
        ("2015年10月8日至12日,开展对接。", [("2015-10-08", "2015-10-12")]),
        ("2016年1月至3月,开展整治。", [("2016-01", "2016-03")]),
        ("2016年6月20日至6月26日公示。", [("2016-06-20", "2016-06-26")]),
        ("2016年5月至2015年3月,开展整治。", [("2016-05", "2016-05")]),  # an end before its start
    ],
)
def test_date_ranges(text, expected):
    assert [(e.start, e.end) for e in find_events(text)] == expected


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        # The first yearless date is in the report's past, unless the sentence says 将.
        ("2016-04-11", "10月8日至12日,他带队考察。", [("2015-10-08", "2015-10-12")]),
        ("2016-04-11", "3月1日,他到岗。", [("2016-03-01", "2016-03-01")]),
        ("2016-07-22", "第二批干部将于8月到岗。", [("2016-08", "2016-08")]),
        ("2016-02-18", "第二批干部将于1月到岗。", [("2017-01", "2017-01")]),
        # Later ones stay close to the date before them, across a year end either way.
        ("2016-01-06", "2015年11月下旬至12月上旬,调研。1月18日—22日,培训。",
         [("2015-11", "2015-12"), ("2016-01-18", "2016-01-22")]),
        ("2016-02-01", "2015年12月28日至2016年1月6日,对接。12月30日,签约。",
         [("2015-12-28", "2016-01-06"), ("2015-12-30", "2015-12-30")]),
    ],
)  # fmt: skip
def test_dates_without_a_year(published, text, expected):
    art = parse_article(f"{published[:4]}年{published[5:7]}月{published[8:]}日 要闻\n标题\n{text}")
    assert art.published == published
    assert [(e.start, e.end) for e in find_events(art)] == expected


def test_parts_of_a_month_and_ages_and_tenths():
    got = [(e.start, e.end) for e in find_events("2015年11月下旬至12月上旬,干部回冀调研。")]
    assert got == [("2015-11", "2015-12")]
    q = {x.text: (x.value, x.qualifier, x.unit) for x in find_quantities("45岁以下的占六成以上。")}
    assert q == {"45岁以下": (45, "less_than", "岁"), "六成以上": (6, "more_than", "成")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一年多来,成果丰硕。", [("一年多", 1, "more_than", "年")]),
        ("一天多次往返。", [("一天", 1, "exact", "天")]),  # 多 qualifies 次 here, not 一天
        ("争取资金2300多万元。", [("2300多万元", 2300, "more_than", "万元")]),
    ],
)
def test_more_after_the_unit(text, expected):
    assert [(q.text, q.value, q.qualifier, q.unit) for q in find_quantities(text)] == expected


def test_every_day_is_not_a_quantity():
    texts = [q.text for q in find_quantities("每一天都有新任务,每3天开一次会,用了一天。")]
    assert texts == ["3天", "一天"]


# Shapes of sentences the corpus did not have when the extractor was written; the names and
# organisations are new to it. Each sentence is read whole: name, home post and host post.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A date after the name opens with 于, 自 or 在: the name ends before it.
        ("承德市农业局副局长葛晓于2016年4月挂任北京市农委处长。",
         ("葛晓", "承德市农业局副局长", "北京市农委处长")),
        ("唐山市商务局副局长邝志平自2016年5月起挂任北京市商务委处长。",
         ("邝志平", "唐山市商务局副局长", "北京市商务委处长")),
        # 现任/时任 before the home post, which reaches the name through 的.
        ("时任邢台市科技局副局长的车思源挂任北京市科委副处长。",
         ("车思源", "邢台市科技局副局长", "北京市科委副处长")),
        ("现任衡水市审计局局长乔青挂任北京市审计局副局长。",
         ("乔青", "衡水市审计局局长", "北京市审计局副局长")),
        # A title ending in 助理 is one title; the name comes after it.
        ("廊坊银行行长助理贝嘉挂任北京市金融工作局处长。",
         ("贝嘉", "廊坊银行行长助理", "北京市金融工作局处长")),
        ("张家口市公安局局长助理闵涛挂任北京市公安局处长。",
         ("闵涛", "张家口市公安局局长助理", "北京市公安局处长")),
        ("国家林业局造林司副司长郁晨挂任承德市副市长。",
         ("郁晨", "国家林业局造林司副司长", "承德市副市长")),
        # Posts of two titles joined by 、, and a rank in brackets.
        ("北京市延庆区委常委、副区长柯岩挂任张家口市委常委、副市长。",
         ("柯岩", "北京市延庆区委常委、副区长", "张家口市委常委、副市长")),
        ("北京市民政局党组成员、副局长芮东挂任河北省民政厅副厅长。",
         ("芮东", "北京市民政局党组成员、副局长", "河北省民政厅副厅长")),
        ("北京市水务局副局长（正处级）栾青挂任衡水市水务局副局长。",
         ("栾青", "北京市水务局副局长(正处级)", "衡水市水务局副局长")),
        # 挂职 alone, followed by the whole host post.
        ("邯郸市旅游局副局长宫琳挂职北京市旅游委处长,分管宣传。",
         ("宫琳", "邯郸市旅游局副局长", "北京市旅游委处长")),
        # The name first, then the home post after a comma or 现任.
        ("卓一航,唐山市副市长,挂任北京市通州区副区长。",
         ("卓一航", "唐山市副市长", "北京市通州区副区长")),
        ("居芳同志，北京市侨办副主任，挂任河北省侨办副主任。",
         ("居芳", "北京市侨办副主任", "河北省侨办副主任")),
        ("晏飞现任北京市体育局处长,挂任张家口市体育局副局长。",
         ("晏飞", "北京市体育局处长", "张家口市体育局副局长")),
        # A name that is also a place in the dictionary (江城, 衡山) is still a name there.
        ("江城，邢台市商务局局长，挂任北京市商务委处长。",
         ("江城", "邢台市商务局局长", "北京市商务委处长")),
        ("衡山现任北京市侨办处长,挂任唐山市侨办副主任。",
         ("衡山", "北京市侨办处长", "唐山市侨办副主任")),
        ("霍思远,北京市海淀区科学技术委员会副主任,挂任保定市科学技术局副局长。",
         ("霍思远", "北京市海淀区科学技术委员会副主任", "保定市科学技术局副局长")),
        ("北京市农委处长乔羽被选派挂任承德市农牧局副局长。",
         ("乔羽", "北京市农委处长", "承德市农牧局副局长")),
    ],
)  # fmt: skip
def test_posts_and_names_of_unseen_shapes(text, expected):
    from secondment.extract import unread_sentences

    assert _triples(find_cadres(text)) == [expected]
    assert unread_sentences(text) == []


def test_a_list_joined_by_and_pairs_names_and_hosts_respectively():
    text = ("北京市国资委处长詹宁与北京市卫生和计划生育委员会处长祁悦分别挂任"
            "河北省国资委副主任、河北省卫生和计划生育委员会副主任。")  # fmt: skip
    cadres = find_cadres(text)
    assert _triples(cadres) == [
        ("詹宁", "北京市国资委处长", "河北省国资委副主任"),
        ("祁悦", "北京市卫生和计划生育委员会处长", "河北省卫生和计划生育委员会副主任"),
    ]
    assert {c.shape for c in cadres} == {"respectively"}


@pytest.mark.parametrize(
    "text",
    [
        "北京市公安局局长助理挂任廊坊市公安局副局长。",  # a title where the name should be
        "他说,挂职干部座谈会在京召开。",
        "在丰台区挂职的干部交流了经验。",
        "近日,北京市发改委副主任,挂任河北省发改委副主任。",  # 近日 (lately) is no name
    ],
)
def test_a_title_or_a_mention_of_guazhi_is_no_cadre(text):
    assert find_cadres(text) == []


def test_every_unread_verb_is_reported_once():
    from secondment.extract import unread_sentences

    one_of_two = "保定市副市长贺鸣挂任北京市丰台区副区长,另选派干部挂任北京市有关部门副职。"
    assert _triples(find_cadres(one_of_two)) == [("贺鸣", "保定市副市长", "北京市丰台区副区长")]
    assert unread_sentences(one_of_two) == [(0, one_of_two)]
    two = "选派干部挂任北京市有关部门副职,另有干部挂任区县副职。"
    assert unread_sentences(two) == [(0, two), (0, two)]
    untitled = "北京市公安局局长助理挂任廊坊市公安局副局长。"
    assert unread_sentences(untitled) == [(0, untitled)]


@pytest.mark.parametrize(
    "text",
    [
        "姓名：裴远，原职务：沧州市科技局副局长，挂职职务：北京市科委处长",
        "姓名:裴远;原职务:沧州市科技局副局长;挂职职务:北京市科委处长",
        "姓 名：裴远　原职务：沧州市科技局副局长　挂职职务：北京市科委处长",
        "姓　名：裴远，\n原职务：沧州市科技局副局长；\n挂职职务：北京市科委处长",
        "序号　姓 名　原单位及职务　挂职单位及职务\n1　裴远　沧州市科技局副局长　北京市科委处长",
        "序号\t姓 名\t原单位及职务\t挂职单位及职务\n1\t裴远\t沧州市科技局副局长\t北京市科委处长",
    ],
)
def test_fields_parted_by_commas_and_labels_padded_with_a_space(text):
    assert _triples(find_cadres(text)) == [("裴远", "沧州市科技局副局长", "北京市科委处长")]
