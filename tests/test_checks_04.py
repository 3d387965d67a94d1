"""Checks of exercises 04: right answers pass, realistic wrong answers get a helpful hint."""

from __future__ import annotations

from dataclasses import asdict

import nbformat
import pandas as pd
import pytest
from checks_support import hint, passes

from secondment.article import datasets_dir, load_article
from secondment.checks import evaluate
from secondment.checks.ex04 import NEW_REPORT
from secondment.extract import find_cadres
from secondment.paths import require_course_root
from secondment.tables import cadres_table, home_level, ranks_table, split_post

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "04-tabulating-with-pandas-solutions.ipynb"

# The lesson's job titles and pattern (question 3 gives TITLES to students).
TITLES = ["主任科员", "主任", "厅长", "局长", "处长", "科长", "市长", "区长", "县长", "镇长助理",
          "镇长", "巡视员", "调研员", "总工程师", "书记"]  # fmt: skip
ROLE = rf"(?:专职|常务)?副?(?:{'|'.join(TITLES)})"
POST = rf"^(?P<org>.+?)(?P<role>{ROLE})$"
GREEDY = rf"^(?P<org>.+)(?P<role>{ROLE})$"


# ---------------------------------------------------------------- the right answers


def records_frame():
    return pd.DataFrame([asdict(c) for c in find_cadres(load_article())])


def answer_1():
    return records_frame()[["name", "home_post", "host_post"]]


def ranks_as_text():
    ranks = ranks_table()[["rank", "count"]].astype({"count": "string"})
    ranks["count"] = ranks["count"] + "名"
    return ranks


def answer_2():
    text = ranks_as_text()
    return text.assign(count=text["count"].str.removesuffix("名").astype("int64"))


def split(pattern, column="host_post"):
    cadres = cadres_table()
    return cadres[["name"]].join(cadres[column].str.extract(pattern).add_prefix("host_"))


def answer_3():
    return split(POST)


def levels():
    first = cadres_table()["home_post"].str.extract(r"([省市县])", expand=False)
    return first.map({"省": "省级", "市": "市级", "县": "县级"})


def answer_4():
    return levels().value_counts()


def with_host_org():
    cadres = cadres_table()
    return cadres.join(split_post(cadres["host_post"]).add_prefix("host_"))


def glossary():
    return pd.read_csv(datasets_dir() / "glossary.csv", dtype="string")


def org_names():
    return glossary()[["term", "english"]].rename(
        columns={"term": "host_org", "english": "host_org_en"}
    )


def answer_5():
    named = with_host_org().merge(org_names(), on="host_org", how="left", validate="many_to_one")
    return named[["name", "host_org", "host_org_en"]]


def levels_roles():
    table = cadres_table()
    table["home_level"] = home_level(table["home_post"])
    return table.join(split_post(table["host_post"]).add_prefix("host_"))


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
    ranks_table()[["rank", "count"]].to_csv(path, index=False, encoding=encoding)
    return path.read_bytes()


def report_officials():
    officials = pd.DataFrame([asdict(c) for c in find_cadres(NEW_REPORT)])
    return officials.join(split_post(officials["host_post"]).add_prefix("host_"))


def answer_8():
    return report_officials()["host_org"].value_counts()


# ---------------------------------------------------------------- every question


@pytest.mark.parametrize("qid", [f"04.{n}" for n in range(1, 9)])
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


# 04.1 · the cadres DataFrame


def test_q1_right_answers_pass():
    right = answer_1()
    passes("04.1", right)
    passes("04.1", records_frame())  # extra columns are fine
    passes("04.1", cadres_table())
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
    plain = cadres_table()[["name"]].join(cadres_table()["host_post"].str.extract(POST))
    assert "missing the column(s) host_org, host_role" in hint("04.3", plain)
    last_three = cadres_table()[["name"]].assign(
        host_org=cadres_table()["host_post"].str[:-3],
        host_role=cadres_table()["host_post"].str[-3:],
    )
    assert "wrong place" in hint("04.3", last_three)
    only_org = answer_3().assign(host_role="")
    assert "give back host_post" in hint("04.3", only_org)


# 04.4 · home levels counted


def test_q4_right_answers_pass():
    passes("04.4", answer_4())
    passes("04.4", dict(answer_4()))
    passes("04.4", home_level(cadres_table()["home_post"]).value_counts(sort=False))
    passes("04.4", {"县级": 1, "市级": 1, "省级": 6, "区级": 0})


def test_q4_wrong_answers_get_hints():
    home = cadres_table()["home_post"]
    by_contains = home.str.contains("市").map({True: "市级", False: "省级"})
    assert "市场" in hint("04.4", by_contains.value_counts())
    first = home.str.extract(r"([省市县])", expand=False)
    assert "省级, 市级 and 县级" in hint("04.4", first.value_counts())
    host = home_level(cadres_table()["host_post"]).value_counts()
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
    home = cadres.join(split_post(cadres["home_post"]).add_prefix("home_"))
    home_names = names.rename(columns={"host_org": "home_org"})
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
    officials = pd.DataFrame([asdict(c) for c in find_cadres(NEW_REPORT)])
    mine = officials["host_post"].astype("string").str.extract(POST)
    passes("04.8", mine["org"].value_counts())


def test_q8_wrong_answers_get_hints():
    officials = report_officials()
    assert "whole posts" in hint("04.8", officials["host_post"].value_counts())
    home = split_post(officials["home_post"])["org"]
    assert "Beijing (home)" in hint("04.8", home.value_counts())
    assert "add up to 3" in hint("04.8", officials["host_org"].iloc[:3].value_counts())
    assert "full-width" in hint("04.8", officials["host_org"].iloc[:3].value_counts())
    greedy = officials["host_post"].astype("string").str.extract(GREEDY)["org"]
    assert "副" in hint("04.8", greedy.value_counts())
    assert "not a DataFrame" in hint("04.8", officials[["name", "host_org"]])
    one_each = {org: 1 for org in officials["host_org"].unique()} | {"廊坊市环保局": 2}
    assert "wrong count" in hint("04.8", one_each)
