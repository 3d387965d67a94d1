"""Checks for exercises 04 · Tabulating with pandas.

Every expected value is computed from the article through the library (`cadres_table`,
`ranks_table`, `split_post`, `home_level`, `glossary_table`), or from the new report below.
"""

from __future__ import annotations

from typing import Any

from secondment.checks import Hint, question
from secondment.checks.expect import expect_frame, expect_size, expect_type, shown

#: The report of question 04.8, exactly as the exercise notebook gives it to students.
NEW_REPORT = """\
　　本报讯（记者 李明）北京市第二批赴河北挂职干部共40名，已于2016年3月陆续到岗。
　　北京市发改委副主任、挂任张家口市副市长的刘建华，到岗后走访了崇礼的冬奥会场馆工地。
　　北京市交通委处长周海挂任保定市交通运输局副局长，他推动开通了3条京保公交线路。
　　——王立新，北京市交通委副处长，挂任保定市交通运输局总工程师。
　　——陈静，北京市环保局调研员，挂任廊坊市环保局副局长。"""


# ---------------------------------------------------------------- shared helpers


def _pd() -> Any:
    import pandas as pd

    return pd


def _cadres() -> Any:
    """The course's cadres table with the lesson's derived columns (library versions)."""
    from secondment.tables import cadres_table, home_level, split_post

    cadres = cadres_table()
    cadres = cadres.join(split_post(cadres["host_post"]).add_prefix("host_"))
    cadres = cadres.join(split_post(cadres["home_post"]).add_prefix("home_"))
    cadres["home_level"] = home_level(cadres["home_post"])
    return cadres


def _counts(answer: Any, what: str) -> dict[str, int]:
    """A Series or dict of counts as {label: count}, labels stripped, zero counts dropped."""
    import pandas as pd

    if isinstance(answer, pd.DataFrame):
        raise Hint(
            f"{what} should be a Series or a dict, not a DataFrame: count one column "
            "with value_counts()"
        )
    if isinstance(answer, pd.Series):
        pairs = list(answer.items())
    elif isinstance(answer, dict):
        pairs = list(answer.items())
    else:
        raise Hint(f"{what} should be a Series or a dict, but it is a {type(answer).__name__}")
    counts: dict[str, int] = {}
    for label, value in pairs:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            and not hasattr(value, "__index__")
        ):
            raise Hint(f"{what}: the values should be counts (numbers), not {shown(value)}")
        if pd.isna(value):
            raise Hint(f"{what} contains a missing count (NaN)")
        if value != int(value):
            raise Hint(f"{what}: the counts should be whole numbers, not shares")
        if int(value) != 0:
            key = str(label).strip()
            counts[key] = counts.get(key, 0) + int(value)
    return counts


def _tally(column: Any, answer: Any) -> tuple[dict[str, int], dict[str, int]]:
    """The counts of a column's values, and the answer's counts, both as {label: count}."""
    return _counts(column.value_counts(), "expected"), _counts(answer, "answer")


def _report_cadres() -> Any:
    """The officials of NEW_REPORT with host_org and host_role, as the lesson would build them."""
    from dataclasses import asdict

    import pandas as pd

    from secondment.extract import find_cadres
    from secondment.tables import split_post

    cadres = pd.DataFrame([asdict(c) for c in find_cadres(NEW_REPORT)])
    return cadres.join(split_post(cadres["host_post"]).add_prefix("host_"))


# ---------------------------------------------------------------- the questions


@question("04.1")
def q1(answer: Any) -> str:
    """The cadres DataFrame: name, home_post, host_post, one row per official."""
    from secondment.tables import cadres_table

    expected = cadres_table()[["name", "home_post", "host_post"]]
    expect_type(answer, _pd().DataFrame, what="answer")
    if "home_post" in answer.columns:
        homes = set(answer["home_post"].astype("string").str.strip())
        if homes == set(expected["host_post"]):
            raise Hint("home_post and host_post are swapped: home is the post in Hebei")
    expect_frame(answer, expected, what="answer", sort_by=["name"])
    return "8 officials, one per row, posts as written"


@question("04.2")
def q2(answer: Any) -> str:
    """ranks with count converted from text such as 15名 to an integer dtype."""
    pd = _pd()
    from secondment.tables import ranks_table

    expected = ranks_table()[["rank", "count"]]
    expect_type(answer, pd.DataFrame, what="answer")
    for column in expected.columns:
        if column not in answer.columns:
            raise Hint(f"answer is missing the column {shown(column)}")
    if len(answer) != len(expected):
        raise Hint(f"answer has {len(answer)} rows; it should have {len(expected)}")
    dtype = answer["count"].dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        step = (
            "remove 名, then convert"
            if answer["count"].astype(str).str.contains("名").any()
            else "convert it"
        )
        raise Hint(f"column 'count' is still text (dtype {dtype}): {step} to int64")
    if not pd.api.types.is_integer_dtype(dtype):
        raise Hint(f"column 'count' is {dtype}: counts are whole numbers, use int64")
    expect_frame(answer, expected, what="answer", sort_by=["rank"])
    total = int(answer["count"].sum())
    return f"count is {dtype} now, and the four ranks add up to {total}"


@question("04.3")
def q3(answer: Any) -> str:
    """host_org and host_role split from host_post at the longest job-title suffix."""
    pd = _pd()
    cadres = _cadres()
    expected = cadres[["name", "host_org", "host_role"]]
    expect_type(answer, pd.DataFrame, what="answer")
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        raise Hint(f"answer is missing the column(s) {', '.join(missing)}")
    if len(answer) != len(expected):
        raise Hint(f"answer has {len(answer)} rows; it should have {len(expected)}")
    unmatched = int(answer[["host_org", "host_role"]].isna().any(axis=1).sum())
    if unmatched:
        raise Hint(
            f"{unmatched} post(s) did not match the pattern (<NA>): is every title of the "
            "Beijing posts in your list of titles?"
        )
    got = answer.assign(
        **{c: answer[c].astype("string").str.strip() for c in expected.columns}
    ).set_index("name")
    want = expected.set_index("name")
    if sorted(got.index) != sorted(want.index):
        raise Hint("the names are not the 8 officials of the cadres table")
    got = got.loc[want.index]
    if set(got["host_org"]) <= set(cadres["home_org"]):
        raise Hint("these are the home posts (in Hebei); split host_post, the post in Beijing")
    if (got["host_org"] + got["host_role"] != cadres.set_index("name")["host_post"]).any():
        raise Hint("host_org + host_role should give back host_post, character for character")
    if got["host_org"].str.endswith("副").any():
        raise Hint("some organisations end in 副: the role lost its 副 (a greedy `.+`?)")
    wrong = int((got["host_org"] != want["host_org"]).sum())
    if wrong:
        raise Hint(f"{wrong} post(s) are split at the wrong place: the role is the longest title")
    return "every host post splits into an organisation and the longest job title"


@question("04.4")
def q4(answer: Any) -> str:
    """Officials per home level (省级, 市级, 县级), by the first of 省, 市, 县."""
    cadres = _cadres()
    expected, got = _tally(cadres["home_level"], answer)
    levels = set(expected) | {"省级", "市级", "县级"}
    if set(got) <= {"省", "市", "县"}:
        raise Hint("label the levels 省级, 市级 and 县级, not 省, 市 and 县")
    if not set(got) <= levels:
        raise Hint("the labels should be the levels 省级, 市级 and 县级")
    if sum(got.values()) != sum(expected.values()):
        raise Hint(f"the counts add up to {sum(got.values())}, not to the number of officials")
    if got == {"市级": len(cadres)}:
        raise Hint("every post is 市级: did you use host_post? Levels are for home posts")
    if got.get("市级", 0) > expected.get("市级", 0):
        raise Hint(
            "too many 市级: in 威县市场…, 市 is part of 市场; the FIRST of 省, 市, 县 counts"
        )
    if got != expected:
        raise Hint("some levels have the wrong count: look at each home post's first 省, 市 or 县")
    return "six provincial departments, one city and one county"


@question("04.5")
def q5(answer: Any) -> str:
    """Left merge with the glossary: host_org_en for every official, no row lost or doubled."""
    pd = _pd()
    from secondment.tables import glossary_table

    cadres = _cadres()
    names = glossary_table()[["term", "english"]].rename(
        columns={"term": "host_org", "english": "host_org_en"}
    )
    expected = cadres.merge(names, on="host_org", how="left", validate="many_to_one")
    expected = expected[["name", "host_org", "host_org_en"]]
    expect_type(answer, pd.DataFrame, what="answer")
    if "host_org_en" not in answer.columns and "english" in answer.columns:
        raise Hint("answer has 'english' but no 'host_org_en': rename the glossary's column")
    expect_size(
        len(answer),
        len(expected),
        more=f"answer has {len(answer)} rows, more than the {len(expected)} officials: a key "
        "appears twice on the right; validate='many_to_one' would have said so",
        fewer=f"answer has {len(answer)} rows instead of {len(expected)}: the merge dropped "
        "officials; how='left' keeps them all",
    )
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        raise Hint(f"answer is missing the column(s) {', '.join(missing)}")
    unnamed = int(answer["host_org_en"].isna().sum())
    if unnamed:
        raise Hint(
            f"{unnamed} official(s) have no English name (<NA>): look the organisation "
            "(host_org) up among the glossary's terms"
        )
    expect_frame(answer, expected, what="answer", sort_by=["name"])
    return "all 8 officials kept, each with the English name of the Beijing organisation"


@question("04.6")
def q6(answer: Any) -> str:
    """Pivot table: home levels in the rows, host roles in the columns, officials counted."""
    pd = _pd()
    cadres = _cadres()
    expected = pd.pivot_table(
        cadres,
        index="home_level",
        columns="host_role",
        values="name",
        aggfunc="count",
        fill_value=0,
        observed=True,
    )
    if isinstance(answer, pd.Series):
        raise Hint("answer is a Series (one column): a two-way table is a DataFrame")
    expect_type(answer, pd.DataFrame, what="answer")
    if answer.columns.nlevels > 1:
        raise Hint("the columns have two levels: pass values='name' to pivot_table")
    rows = {str(i).strip() for i in answer.index}
    cols = {str(c).strip() for c in answer.columns}
    want_rows = {str(i) for i in expected.index}
    want_cols = {str(c) for c in expected.columns}
    totals = {"All", "total", "Total", "合计", "总计"}
    if rows & totals or cols & totals:
        raise Hint("leave out the totals (margins): only the counts themselves")
    if rows == want_cols and cols == want_rows:
        raise Hint("rows and columns are swapped: home levels in the rows, host roles across")
    if rows != want_rows:
        raise Hint("the rows should be the home levels (省级, 市级, 县级)")
    if cols != want_cols:
        raise Hint("the columns should be the host roles (副主任, 副区长 …)")
    if answer.isna().to_numpy().any():
        raise Hint("empty cells show NaN: a pair that never occurs counts 0 (fill_value=0)")
    got = {(str(i).strip(), str(c).strip()): v for (i, c), v in answer.stack().items()}
    want = {(str(i), str(c)): v for (i, c), v in expected.stack().items()}
    if sum(got.values()) != sum(want.values()):
        raise Hint(
            f"the cells add up to {sum(got.values()):g}, not to the number of officials: "
            "count names, do not add up mentions"
        )
    if any(got[k] != want[k] for k in want):
        raise Hint("some cells are not right: count the officials for each (level, role) pair")
    return "each home level went to one kind of Beijing post"


@question("04.7")
def q7(answer: Any) -> str:
    """The first three bytes of a CSV file written with encoding='utf-8-sig': the BOM."""
    import codecs

    bom = codecs.BOM_UTF8
    if isinstance(answer, str):
        raise Hint("answer is text (str); read the file as bytes, with read_bytes()")
    expect_type(answer, bytes, bytearray, what="answer")
    got = bytes(answer)
    if got == bom:
        return "EF BB BF: the byte-order mark that tells Excel the file is UTF-8"
    if got.startswith(bom):
        raise Hint(f"answer has {len(got)} bytes: keep only the first 3 ([:3])")
    if got.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Hint("that is a UTF-16 mark: write with encoding='utf-8-sig'")
    if got[:1].isalpha():
        raise Hint("these bytes are the header's first letters: the file has no BOM")
    raise Hint("these are not the first 3 bytes of a file written with utf-8-sig")


@question("04.8")
def q8(answer: Any) -> str:
    """Officials per host organisation in NEW_REPORT (Beijing → Hebei)."""
    cadres = _report_cadres()
    expected, got = _tally(cadres["host_org"], answer)
    total, want_total = sum(got.values()), sum(expected.values())
    if set(got) <= set(cadres["host_post"]):
        raise Hint("the labels are whole posts: split off the role and count organisations")
    if any(k.startswith("北京市") for k in got):
        raise Hint("these are the Beijing (home) organisations: count the host side, in Hebei")
    if any(k.endswith("副") for k in got):
        raise Hint("an organisation ends in 副: the role lost its 副 (a greedy `.+`?)")
    if total < want_total:
        raise Hint(
            f"the counts add up to {total}, but the report names {want_total} seconded "
            "officials: does your pattern handle full-width ，?"
        )
    if total > want_total:
        raise Hint(f"the counts add up to {total}, more than the {want_total} officials named")
    if got != expected:
        raise Hint("some organisations have the wrong count; check each host post's split")
    return "the same steps work on a new report, in the other direction"
