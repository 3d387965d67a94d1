"""The derived tables: correct dtypes, and the CSVs in datasets/ match what the CLI makes now."""

import json

import pandas as pd
import pytest

from secondment.__main__ import main
from secondment.article import datasets_dir, load_article, parse_article
from secondment.tables import (
    TABLE_FILES,
    build_tables,
    cadres_table,
    load_table,
    quantities_table,
    ranks_table,
    write_tables,
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    assert (
        main(["tables", str(datasets_dir() / "000_1fbbca7256bb50ad.txt"), "--out", str(out)]) == 0
    )
    return out


@pytest.mark.parametrize("name", TABLE_FILES)
def test_datasets_are_in_sync_with_the_cli(fresh, name):
    shipped = (datasets_dir() / name).read_bytes()
    assert shipped == (fresh / name).read_bytes(), (
        f"datasets/{name} is stale: regenerate it with `python -m secondment refresh-datasets`"
    )


def test_contract_columns(fresh):
    need = {
        "cadres.csv": {"name", "home_post", "host_post"},
        "ranks.csv": {"rank", "count"},
        "quantities.csv": {"text", "value", "qualifier", "unit", "sentence"},
        "events.csv": {"start", "end", "precision", "text"},
    }
    for name, columns in need.items():
        df = pd.read_csv(fresh / name, encoding="utf-8")
        assert columns <= set(df.columns), name
    meta = json.loads((fresh / "article.json").read_text(encoding="utf-8"))
    assert {"published", "title", "reporter", "editor", "sections"} <= set(meta)
    assert [s["heading"].split("——")[0] for s in meta["sections"]] == [
        "他们是北京的一员", "他们是对接联络员", "他们是项目推进员",
    ]  # fmt: skip


def test_dtypes():
    cadres, ranks, qty = cadres_table(), ranks_table(), quantities_table()
    assert str(cadres["name"].dtype) == "string" and len(cadres) == 8
    assert ranks["count"].dtype == "int64" and ranks["count"].sum() == 100
    assert pd.api.types.is_numeric_dtype(qty["value"])
    assert set(qty["qualifier"].cat.categories) <= {"exact", "more_than", "about", "less_than"}


def test_quantities_count_facts_not_occurrences():
    qty = quantities_table().set_index("text")
    assert qty.index.is_unique
    assert qty.loc["60多次", "mentions"] == 3
    assert qty.loc["60多次", "value"] == 60 and qty.loc["60多次", "qualifier"] == "more_than"


def test_load_table_reads_what_was_written():
    cadres = load_table("cadres")
    assert list(cadres["name"])[:3] == ["张涛", "张国洪", "王普清"]
    events = load_table("events")
    assert list(events["start"]) == ["2015-07-24", "2015-08-28", "2015-11-27", "2015-11"]


def test_empty_article_gives_headers_only(tmp_path):
    empty = parse_article("今天天气很好。")
    frames = build_tables(empty)
    assert all(df.empty for df in frames.values())
    write_tables(empty, tmp_path)
    assert (tmp_path / "cadres.csv").read_text(encoding="utf-8") == (
        "name,home_post,host_post,shape,mentions,sentence,alt_name,trigger,found_by\n"
    )


def test_split_post_and_home_level():
    from secondment.tables import glossary_table, home_level, split_post

    cadres = cadres_table()
    host = split_post(cadres["host_post"])
    assert list(host.columns) == ["org", "role"] and host.notna().all().all()
    assert (host["org"] + host["role"]).tolist() == cadres["host_post"].tolist()
    assert host.loc[3].tolist() == ["北京市顺义区南彩镇", "镇长助理"]
    assert host.loc[7].tolist() == ["北京市环保局", "副总工程师"]
    home = split_post(cadres["home_post"])
    assert home.loc[3].tolist() == ["威县市场监督管理局", "副主任科员"]
    levels = home_level(cadres["home_post"]).tolist()
    assert levels.count("省级") == 6 and levels[3] == "县级" and levels[6] == "市级"
    glossary = set(glossary_table()["term"])
    assert set(host["org"]) <= glossary and set(home["org"]) <= glossary
    unseen = split_post(pd.Series(["河北省发改委副主任", "廊坊市常务副市长", "无头衔"]))
    assert unseen["org"].tolist()[:2] == ["河北省发改委", "廊坊市"] and pd.isna(
        unseen.loc[2, "org"]
    )


# ---------------------------------------------------------------- the tables as a contract


@pytest.mark.parametrize("name", ["cadres", "ranks", "quantities", "events"])
def test_a_table_read_back_from_its_csv_equals_the_table_the_library_builds(name):
    from secondment.schema import SCHEMAS

    built = build_tables(load_article())[f"{name}.csv"]
    read = load_table(name)
    pd.testing.assert_frame_equal(read, built)  # values, column order and dtypes
    assert list(read.columns) == SCHEMAS[name].names
    assert {c.name: c.dtype for c in SCHEMAS[name].columns if c.dtype != "number"} == {
        c: str(t) for c, t in read.dtypes.items() if c in SCHEMAS[name].names and c != "value"
    }


def test_each_record_type_carries_its_tables_columns():
    from dataclasses import fields

    from secondment.extract import Cadre, Event, Quantity, Rank
    from secondment.schema import SCHEMAS

    derived = {"mentions"}  # counted by the table, not the extractor (except for cadres)
    for record, name in [
        (Cadre, "cadres"),
        (Rank, "ranks"),
        (Quantity, "quantities"),
        (Event, "events"),
    ]:
        have = {f.name for f in fields(record)}
        assert set(SCHEMAS[name].names) - derived <= have, name


def test_the_datasheet_shows_the_schema_as_declared():
    from secondment.schema import refresh_datasheet

    sheet = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    assert refresh_datasheet(sheet) == sheet, "run `python -m secondment refresh-datasets`"
    assert "| `alt_name` | string |" in sheet and "| `count` | int64 |" in sheet


def test_load_table_refuses_an_unknown_table_in_one_line():
    from secondment.tables import TablesError

    with pytest.raises(TablesError, match=r"no table 'cadre'.*cadres, ranks, quantities, events"):
        load_table("cadre")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "not a readable ranks.csv"),
        (b"rank,how_many\n\xe5\x8e\x85,1\n", "no column count"),
        (b"rank,count,sentence\n\xe5\x8e\x85\xe5\xb1\x80\xe7\xba\xa7,fifteen,x\n", "wrong kind"),
        (b"rank,count\n\xff\xfe\x00,1\n", "not a readable ranks.csv"),
    ],
    ids=["empty", "a-column-missing", "a-word-for-a-number", "not-utf-8"],
)
def test_a_damaged_csv_is_a_one_line_course_error(tmp_path, content, says):
    from secondment.errors import SecondmentError
    from secondment.schema import SCHEMAS

    path = tmp_path / "ranks.csv"
    path.write_bytes(content)
    with pytest.raises(SecondmentError) as caught:
        SCHEMAS["ranks"].read(path)
    message = str(caught.value)
    assert says in message and "python -m secondment tables" in message, message
    assert "\n" not in message
