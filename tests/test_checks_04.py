"""Checks of exercises 04: right answers pass, realistic wrong answers get a helpful hint.

The facts of the article are written out below as literals, read once from the article by hand;
the right answers are built from them, so a regression in the library that the checker also uses
fails `test_the_library_reads_the_article_as_written_here` instead of moving both together.
"""

from __future__ import annotations

from dataclasses import asdict

import nbformat
import pandas as pd
import pytest
from checks_support import hint, passes

from secondment.article import load_article
from secondment.checks import evaluate
from secondment.checks.ex04 import NEW_REPORT
from secondment.extract import find_cadres
from secondment.paths import datasets_dir, require_course_root
from secondment.tables import cadres_table, glossary_table, home_level, ranks_table, split_post

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "04-tabulating-with-pandas-solutions.ipynb"

# The lesson's job titles and pattern (question 3 gives TITLES to students).
TITLES = ["主任科员", "主任", "厅长", "局长", "处长", "科长", "市长", "区长", "县长", "镇长助理",
          "镇长", "巡视员", "调研员", "总工程师", "书记"]  # fmt: skip
ROLE = rf"(?:专职|常务)?副?(?:{'|'.join(TITLES)})"
POST = rf"^(?P<org>.+?)(?P<role>{ROLE})$"
GREEDY = rf"^(?P<org>.+)(?P<role>{ROLE})$"


# ---------------------------------------------------------------- the article's facts, as written

#: The eight named officials, in the article's order: name, home post (Hebei), host post
#: (Beijing), the shape of the sentence that names them, and how often they are mentioned.
CADRES = [
    ("张涛", "省科技厅副巡视员", "北京市中关村科技园区管理委员会副主任", "appositive", 2),
    ("张国洪", "省沿海办专职副主任", "北京市发改委副主任", "he_is", 1),
    ("王普清", "省交通运输厅副厅长", "北京市交通委副主任", "appositive", 1),
    ("张健", "威县市场监督管理局副主任科员", "北京市顺义区南彩镇镇长助理", "dash", 1),
    ("奚献军", "省商务厅副厅长", "北京市商务委副主任", "dash", 1),
    ("段润保", "省工信厅副厅长", "北京市经信委副主任", "joined", 1),
    ("杨猛", "保定市副市长", "北京市丰台区副区长", "appositive", 1),
    ("孙学军", "省环保厅总工程师", "北京市环保局副总工程师", "appositive", 1),
]
#: Each post split into organisation and role at the longest title, and the home level.
SPLITS = {  # name: (home_org, home_role, host_org, host_role, home_level)
    "张涛": ("省科技厅", "副巡视员", "北京市中关村科技园区管理委员会", "副主任", "省级"),
    "张国洪": ("省沿海办", "专职副主任", "北京市发改委", "副主任", "省级"),
    "王普清": ("省交通运输厅", "副厅长", "北京市交通委", "副主任", "省级"),
    "张健": ("威县市场监督管理局", "副主任科员", "北京市顺义区南彩镇", "镇长助理", "县级"),
    "奚献军": ("省商务厅", "副厅长", "北京市商务委", "副主任", "省级"),
    "段润保": ("省工信厅", "副厅长", "北京市经信委", "副主任", "省级"),
    "杨猛": ("保定市", "副市长", "北京市丰台区", "副区长", "市级"),
    "孙学军": ("省环保厅", "总工程师", "北京市环保局", "副总工程师", "省级"),
}
#: The library's ordered levels of a home post.
LEVELS = pd.CategoricalDtype(["省级", "市级", "县级"], ordered=True)
HOME_LEVELS = {"省级": 6, "市级": 1, "县级": 1}
#: (home level, host role): officials, the cells of question 6's pivot table that are not 0.
PIVOT = {("省级", "副主任"): 5, ("省级", "副总工程师"): 1, ("市级", "副区长"): 1,
         ("县级", "镇长助理"): 1}  # fmt: skip
#: The sentence 我省百名挂职干部包括厅局级干部15名,县处级干部45名,乡科级干部28名,专业技术人才12名.
RANKS = {"厅局级": 15, "县处级": 45, "乡科级": 28, "专业技术人才": 12}
#: The glossary's English names of the eight Beijing organisations.
ORG_EN = {
    "北京市中关村科技园区管理委员会": "Zhongguancun Science Park Administrative Committee, Beijing",
    "北京市发改委": "Beijing Municipal Commission of Development and Reform",
    "北京市交通委": "Beijing Municipal Commission of Transport",
    "北京市顺义区南彩镇": "Nancai Town, Shunyi District, Beijing",
    "北京市商务委": "Beijing Municipal Commission of Commerce",
    "北京市经信委": "Beijing Municipal Commission of Economy and Information Technology",
    "北京市丰台区": "Fengtai District, Beijing",
    "北京市环保局": "Beijing Municipal Environmental Protection Bureau",
}
#: The four officials of question 8's report (Beijing → Hebei): name, home post, host post,
#: host organisation, host role.
REPORT = [
    ("刘建华", "北京市发改委副主任", "张家口市副市长", "张家口市", "副市长"),
    ("周海", "北京市交通委处长", "保定市交通运输局副局长", "保定市交通运输局", "副局长"),
    ("王立新", "北京市交通委副处长", "保定市交通运输局总工程师", "保定市交通运输局", "总工程师"),
    ("陈静", "北京市环保局调研员", "廊坊市环保局副局长", "廊坊市环保局", "副局长"),
]
REPORT_HOST_ORGS = {"张家口市": 1, "保定市交通运输局": 2, "廊坊市环保局": 1}


def test_the_facts_written_here_add_up():
    assert sum(RANKS.values()) == 100
    assert list(SPLITS) == [name for name, *_ in CADRES]
    assert sum(HOME_LEVELS.values()) == sum(PIVOT.values()) == len(CADRES) == 8
    for name, home, host, *_ in CADRES:
        home_org, home_role, host_org, host_role, _ = SPLITS[name]
        assert (home_org + home_role, host_org + host_role) == (home, host)
    assert set(ORG_EN) == {split[2] for split in SPLITS.values()}
    assert all(org + role == host for _, _, host, org, role in REPORT)
    assert sum(REPORT_HOST_ORGS.values()) == len(REPORT)


def test_the_library_reads_the_article_as_written_here():
    """What the checker computes through the library: the same facts as the literals above."""
    cadres = cadres_table()
    columns = ["name", "home_post", "host_post", "shape", "mentions"]
    assert [tuple(row) for row in cadres[columns].itertuples(index=False)] == CADRES
    assert [tuple(r) for r in split_post(cadres["home_post"]).itertuples(index=False)] == [
        split[:2] for split in SPLITS.values()
    ]
    assert [tuple(r) for r in split_post(cadres["host_post"]).itertuples(index=False)] == [
        split[2:4] for split in SPLITS.values()
    ]
    levels = home_level(cadres["home_post"])
    assert levels.dtype == LEVELS
    assert levels.tolist() == [split[4] for split in SPLITS.values()]
    assert levels.value_counts(sort=False).to_dict() == HOME_LEVELS
    ranks = ranks_table()
    assert dict(zip(ranks["rank"], ranks["count"], strict=True)) == RANKS
    assert list(ranks["rank"]) == list(RANKS)
    glossary = glossary_table().set_index("term")["english"]
    assert {org: glossary[org] for org in ORG_EN} == ORG_EN
    officials = pd.DataFrame([asdict(c) for c in find_cadres(NEW_REPORT)])
    split = split_post(officials["host_post"])
    read = zip(officials["name"], officials["home_post"], officials["host_post"],
               split["org"], split["role"], strict=True)  # fmt: skip
    assert list(read) == REPORT
    assert len(find_cadres(load_article())) == len(CADRES)


# ---------------------------------------------------------------- the right answers


def cadres_frame():
    """The cadres table as the library gives it (text columns of dtype string), from CADRES."""
    frame = pd.DataFrame(CADRES, columns=["name", "home_post", "host_post", "shape", "mentions"])
    return frame.astype({"name": "string", "home_post": "string", "host_post": "string",
                         "shape": "category"})  # fmt: skip


def answer_1():
    return cadres_frame()[["name", "home_post", "host_post"]]


def ranks_frame():
    return pd.DataFrame({"rank": list(RANKS), "count": list(RANKS.values())}).astype(
        {"rank": "string", "count": "int64"}
    )


def ranks_as_text():
    ranks = ranks_frame().astype({"count": "string"})
    ranks["count"] = ranks["count"] + "名"
    return ranks


def answer_2():
    text = ranks_as_text()
    return text.assign(count=text["count"].str.removesuffix("名").astype("int64"))


def split(pattern, column="host_post"):
    cadres = cadres_frame()
    return cadres[["name"]].join(cadres[column].str.extract(pattern).add_prefix("host_"))


def answer_3():
    frame = pd.DataFrame(
        [(name, s[2], s[3]) for name, s in SPLITS.items()],
        columns=["name", "host_org", "host_role"],
    )
    return frame.astype("string")


def levels():
    first = cadres_frame()["home_post"].str.extract(r"([省市县])", expand=False)
    return first.map({"省": "省级", "市": "市级", "县": "县级"})


def home_levels():
    """The home level of each official, as a categorical column like the library's."""
    return pd.Series([s[4] for s in SPLITS.values()], name="home_level", dtype=LEVELS)


def answer_4():
    return pd.Series(HOME_LEVELS, name="count")


def with_host_org():
    cadres = cadres_frame()
    organisations = pd.DataFrame(
        [s[2:4] for s in SPLITS.values()], columns=["host_org", "host_role"], dtype="string"
    )
    return cadres.join(organisations)


def glossary():
    return pd.read_csv(datasets_dir() / "glossary.csv", dtype="string")


def org_names():
    return pd.DataFrame({"host_org": list(ORG_EN), "host_org_en": list(ORG_EN.values())}).astype(
        "string"
    )


def answer_5():
    named = with_host_org().merge(org_names(), on="host_org", how="left", validate="many_to_one")
    return named[["name", "host_org", "host_org_en"]]


def levels_roles():
    return with_host_org().assign(home_level=home_levels())


def pivot(**changes):
    options = dict(
        index="home_level",
        columns="host_role",
        values="name",
        aggfunc="count",
        fill_value=0,
        observed=True,
    )
    return pd.pivot_table(levels_roles(), **(options | changes))


def csv_bytes(tmp_path, encoding):
    path = tmp_path / "ranks.csv"
    ranks_frame().to_csv(path, index=False, encoding=encoding)
    return path.read_bytes()


def report_officials():
    columns = ["name", "home_post", "host_post", "host_org", "host_role"]
    return pd.DataFrame(REPORT, columns=columns).astype("string")


def answer_8():
    return pd.Series(REPORT_HOST_ORGS, name="count")


def test_the_right_answers_hold_the_facts():
    assert answer_1()["name"].tolist() == list(SPLITS)
    assert answer_2()["count"].tolist() == [15, 45, 28, 12]
    assert home_levels().value_counts(sort=False).to_dict() == HOME_LEVELS
    assert levels().value_counts().to_dict() == HOME_LEVELS
    table = pivot()
    assert {k: v for k, v in table.stack().items() if v} == PIVOT
    assert report_officials()["host_org"].value_counts().to_dict() == REPORT_HOST_ORGS


# ---------------------------------------------------------------- every question


@pytest.mark.parametrize("qid", [f"04.{n}" for n in range(1, 9)])
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


# 04.1 · the cadres DataFrame


def test_q1_right_answers_pass():
    right = answer_1()
    passes("04.1", right)
    passes("04.1", cadres_frame())  # extra columns are fine
    passes("04.1", levels_roles())
    shuffled = right[["host_post", "name", "home_post"]].iloc[::-1].set_index("name", drop=False)
    passes("04.1", shuffled)
    padded = right.assign(name=right["name"] + " ")
    passes("04.1", padded)


def test_q1_wrong_answers_get_hints():
    right = answer_1()
    assert "7 rows" in hint("04.1", right.iloc[:7])
    assert "missing the column(s) host_post" in hint("04.1", right[["name", "home_post"]])
    tail = right.copy()
    tail.loc[1, "host_post"] = "北京市发改委副主任,直接分管推动新首钢建设"
    assert "comma" in hint("04.1", tail)
    swapped = right.rename(columns={"home_post": "host_post", "host_post": "home_post"})
    assert "swapped" in hint("04.1", swapped)
    assert "should be a DataFrame" in hint("04.1", right.to_dict("records"))
    short_names = right.assign(name=right["name"].str[:2])
    assert "column 'name'" in hint("04.1", short_names)


# 04.2 · counts that are text


def test_q2_right_answers_pass():
    right = answer_2()
    assert right["count"].sum() == 100
    passes("04.2", right)
    passes("04.2", right.astype({"count": "Int64"}).iloc[::-1])
    text = ranks_as_text()
    digits = text["count"].str.extract(r"(\d+)", expand=False)
    passes("04.2", text.assign(count=pd.to_numeric(digits)))


def test_q2_wrong_answers_get_hints():
    text = ranks_as_text()
    assert "still text (dtype string): remove 名" in hint("04.2", text)
    stripped = text.assign(count=text["count"].str.removesuffix("名"))
    assert "still text (dtype string): convert it" in hint("04.2", stripped)
    assert "whole numbers" in hint("04.2", answer_2().astype({"count": "float64"}))
    assert "should be a DataFrame" in hint("04.2", 100)
    assert "3 rows" in hint("04.2", answer_2().iloc[:3])
    lengths = text.assign(count=text["count"].str.len())  # counted characters, not read them
    assert "column 'count'" in hint("04.2", lengths)
    assert "missing the column 'rank'" in hint("04.2", answer_2()[["count"]])


# 04.3 · organisation and role


def test_q3_right_answers_pass():
    passes("04.3", answer_3())
    passes("04.3", with_host_org()[["host_role", "host_org", "name"]].iloc[::-1])


def test_q3_wrong_answers_get_hints():
    assert "副" in hint("04.3", split(GREEDY))
    assert "greedy" in hint("04.3", split(GREEDY))
    fewer = [t for t in TITLES if t != "镇长助理"]
    no_assistant = rf"^(?P<org>.+?)(?P<role>(?:专职|常务)?副?(?:{'|'.join(fewer)}))$"
    assert "1 post(s) did not match" in hint("04.3", split(no_assistant))
    assert "home posts" in hint("04.3", split(POST, column="home_post"))
    cadres = cadres_frame()
    plain = cadres[["name"]].join(cadres["host_post"].str.extract(POST))
    assert "missing the column(s) host_org, host_role" in hint("04.3", plain)
    last_three = cadres[["name"]].assign(
        host_org=cadres["host_post"].str[:-3],
        host_role=cadres["host_post"].str[-3:],
    )
    assert "wrong place" in hint("04.3", last_three)
    only_org = answer_3().assign(host_role="")
    assert "give back host_post" in hint("04.3", only_org)


# 04.4 · home levels counted


def test_q4_right_answers_pass():
    passes("04.4", answer_4())
    passes("04.4", dict(answer_4()))
    passes("04.4", home_levels().value_counts(sort=False))
    passes("04.4", {"县级": 1, "市级": 1, "省级": 6, "区级": 0})


def test_q4_wrong_answers_get_hints():
    home = cadres_frame()["home_post"]
    by_contains = home.str.contains("市").map({True: "市级", False: "省级"})
    assert "市场" in hint("04.4", by_contains.value_counts())
    first = home.str.extract(r"([省市县])", expand=False)
    assert "省级, 市级 and 县级" in hint("04.4", first.value_counts())
    host = pd.Series(["市级"] * len(CADRES), dtype=LEVELS).value_counts()  # every host post
    assert "host_post" in hint("04.4", host)
    assert "Series or a dict" in hint("04.4", [6, 1, 1])
    assert "should be the levels" in hint("04.4", home.value_counts())
    assert "whole numbers" in hint("04.4", levels().value_counts(normalize=True))
    assert "add up to 7" in hint("04.4", {"省级": 5, "市级": 1, "县级": 1})


# 04.5 · English names from the glossary


def test_q5_right_answers_pass():
    passes("04.5", answer_5())
    merged = with_host_org().merge(glossary(), left_on="host_org", right_on="term", how="left")
    passes("04.5", merged.rename(columns={"english": "host_org_en"}))


def test_q5_wrong_answers_get_hints():
    cadres = with_host_org()
    on_post = org_names().rename(columns={"host_org": "host_post"})
    assert "dropped" in hint("04.5", cadres.merge(on_post, on="host_post"))
    assert "no English name" in hint("04.5", cadres.merge(on_post, on="host_post", how="left"))
    names = org_names()
    doubled = pd.concat([names, names[names["host_org"] == "北京市环保局"]])
    assert "appears twice" in hint("04.5", cadres.merge(doubled, on="host_org", how="left"))
    missing_one = names[names["host_org"] != "北京市丰台区"]
    assert "how='left'" in hint("04.5", cadres.merge(missing_one, on="host_org"))
    not_renamed = glossary()[["term", "english"]].rename(columns={"term": "host_org"})
    assert "rename" in hint("04.5", cadres.merge(not_renamed, on="host_org", how="left"))
    home = cadres.assign(home_org=[s[0] for s in SPLITS.values()])
    home_names = glossary()[["term", "english"]].rename(
        columns={"term": "home_org", "english": "host_org_en"}
    )
    wrong_side = home.merge(home_names, on="home_org", how="left")
    assert "column 'host_org_en'" in hint("04.5", wrong_side)


# 04.6 · a pivot table


def test_q6_right_answers_pass():
    passes("04.6", pivot())
    passes("04.6", pivot(observed=False))
    grouped = levels_roles().groupby(["home_level", "host_role"], observed=True).size()
    passes("04.6", grouped.unstack(fill_value=0))
    passes("04.6", pivot().iloc[::-1, ::-1])


def test_q6_wrong_answers_get_hints():
    assert "swapped" in hint("04.6", pivot().T)
    assert "fill_value=0" in hint("04.6", pivot(fill_value=None))
    assert "totals" in hint("04.6", pivot(margins=True))
    assert "mentions" in hint("04.6", pivot(values="mentions", aggfunc="sum"))
    grouped = levels_roles().groupby(["home_level", "host_role"], observed=True).size()
    assert "Series" in hint("04.6", grouped)
    two_levels = pd.pivot_table(
        levels_roles()[["home_level", "host_role", "name", "mentions"]],
        index="home_level",
        columns="host_role",
        aggfunc="count",
        fill_value=0,
        observed=True,
    )
    assert "two levels" in hint("04.6", two_levels)
    by_shape = pivot(columns="shape")
    assert "host roles" in hint("04.6", by_shape)


# 04.7 · a CSV file for Excel


def test_q7_right_answers_pass(tmp_path):
    passes("04.7", csv_bytes(tmp_path, "utf-8-sig")[:3])
    passes("04.7", bytearray(csv_bytes(tmp_path, "utf-8-sig")[:3]))


def test_q7_wrong_answers_get_hints(tmp_path):
    assert "no BOM" in hint("04.7", csv_bytes(tmp_path, "utf-8")[:3])
    assert "first 3" in hint("04.7", csv_bytes(tmp_path, "utf-8-sig"))
    path = tmp_path / "ranks.csv"
    assert "read_bytes" in hint("04.7", path.read_text(encoding="utf-8")[:3])
    assert "UTF-16" in hint("04.7", csv_bytes(tmp_path, "utf-16")[:3])
    assert "not the first 3 bytes" in hint("04.7", "挂职".encode()[:3])


# 04.8 · a new report, the other way round


def test_the_notebook_gives_students_the_checked_report():
    nb = nbformat.read(SOLUTION, as_version=4)
    given = [c.source for c in nb.cells if c.cell_type == "code" and "report = " in c.source]
    namespace: dict[str, str] = {}
    exec(given[0], namespace)
    assert namespace["report"] == NEW_REPORT
    assert "，" in NEW_REPORT and "," not in NEW_REPORT  # full-width, unlike the article


def test_q8_right_answers_pass():
    right = answer_8()
    assert right.sum() == 4 and right.max() == 2
    passes("04.8", right)
    passes("04.8", {k: int(v) for k, v in right.items()})
    mine = report_officials()["host_post"].str.extract(POST)
    passes("04.8", mine["org"].value_counts())


def test_q8_wrong_answers_get_hints():
    officials = report_officials()
    assert "whole posts" in hint("04.8", officials["host_post"].value_counts())
    home = officials["home_post"].str.extract(POST)["org"]
    assert "Beijing (home)" in hint("04.8", home.value_counts())
    assert "add up to 3" in hint("04.8", officials["host_org"].iloc[:3].value_counts())
    assert "full-width" in hint("04.8", officials["host_org"].iloc[:3].value_counts())
    greedy = officials["host_post"].astype("string").str.extract(GREEDY)["org"]
    assert "副" in hint("04.8", greedy.value_counts())
    assert "not a DataFrame" in hint("04.8", officials[["name", "host_org"]])
    one_each = {org: 1 for org in officials["host_org"].unique()} | {"廊坊市环保局": 2}
    assert "wrong count" in hint("04.8", one_each)
