"""The corpus of further reports, its gold files, and the scores the extractor gets on them."""

import json

import pytest

from secondment.__main__ import main
from secondment.article import read_article_text
from secondment.evaluate import (
    FIELDS,
    EvaluateError,
    Score,
    corpus_dir,
    evaluate_corpus,
    load_gold,
    pooled,
)

GOLDS = sorted(corpus_dir().glob("*.json"))


@pytest.fixture(scope="module")
def results():
    return evaluate_corpus()


def _gold(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_corpus_covers_what_the_extractor_must_read():
    golds = [_gold(p) for p in GOLDS]
    assert len(golds) >= 8
    assert {g["direction"] for g in golds} == {"hebei_to_beijing", "beijing_to_hebei"}
    assert {g["encoding"] for g in golds} == {"utf-8", "gbk"}
    assert any(not g["cadres"] for g in golds)
    texts = [
        read_article_text(p.parent / g["report"], g["encoding"])
        for p, g in zip(GOLDS, golds, strict=True)
    ]
    assert any("，" in t for t in texts) and any("," in t and "，" not in t for t in texts)
    assert any("姓名：" in t or "姓名:" in t for t in texts)
    assert any("\t姓名\t" in t for t in texts) and any("序号　姓名" in t for t in texts)
    lengths = {len(c["name"]) for g in golds for c in g["cadres"]}
    assert lengths == {2, 3, 4}


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.stem)
def test_gold_facts_are_written_in_their_report(path):
    gold = _gold(path)
    text = read_article_text(path.parent / gold["report"], gold["encoding"])
    flat = text.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")
    # A table may pad a two-character name to three (王　芳): compare without spaces.
    packed = "".join(flat.split())
    for cadre in gold["cadres"]:
        for value in cadre.values():
            assert value in packed, value
    for q in gold["quantities"]:
        assert q["text"] in flat and q["value"] >= 0, q
    for e in gold["events"]:
        n = min(len(e["start"]), len(e["end"]))
        assert e["start"][:n] <= e["end"][:n], e
    for who in ("reporter", "editor"):
        for name in filter(None, gold[who].split("、")):
            assert name in packed, name


def test_pooled_cadre_f1_is_one(results):
    for name in ("cadres", "names", "posts"):
        assert pooled(results, name).f1 == 1.0, name


# Measured on the corpus; a change to the extractor that moves one of these must say why.
MEASURED = {
    "cadres": (76, 0, 0),
    "names": (76, 0, 0),
    "posts": (76, 0, 0),
    "ranks": (13, 0, 0),
    "events": (27, 0, 0),
    # r12's 两人 ("the two of them", pointing back at two people just named) is read as a
    # count of two people; r16's 半年多 (half a year and more) is missed: 半 is not a numeral.
    "quantities": (88, 1, 1),
    "reporter": (17, 0, 0),
    "editor": (20, 0, 0),
}


@pytest.mark.parametrize("name", FIELDS)
def test_per_field_counts_hold_at_their_measured_values(results, name):
    s = pooled(results, name)
    assert (s.tp, s.fp, s.fn) == MEASURED[name]


def test_the_known_errors_are_two_people_and_half_a_year(results):
    wrong = {
        (r.name[:3], field)
        for r in results
        for field in FIELDS
        if r.missed[field] or r.extra[field]
    }
    assert wrong == {("r12", "quantities"), ("r16", "quantities")}
    by_name = {r.name[:3]: r for r in results}
    assert by_name["r12"].extra["quantities"] == {("两人", 2, "exact")}
    assert by_name["r16"].missed["quantities"] == {("半年多", 0.5, "more_than")}


def test_score_arithmetic():
    assert Score().f1 == Score().precision == Score().recall == 1.0  # nothing to find, none found
    s = Score(tp=3, fp=1, fn=2)
    assert (s.precision, s.recall) == (0.75, 0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Score(0, 2, 0).f1 == 0.0 and (Score(1, 0, 0) + Score(0, 1, 1)) == Score(1, 1, 1)


def test_cli_prints_the_table(results, capsys):
    assert main(["evaluate"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["report", "cadres", "names"]
    assert sum(
        line.split()[0] in {p.stem for p in GOLDS} for line in out.splitlines() if line
    ) == len(GOLDS)
    pooled_line = [line for line in out.splitlines() if line.startswith("pooled")]
    assert pooled_line[0].split()[1:] == [
        str(pooled(results).tp), str(pooled(results).fp), str(pooled(results).fn),
        f"{pooled(results).precision:.2f}", f"{pooled(results).recall:.2f}", f"{pooled(results).f1:.2f}",
    ]  # fmt: skip


def test_cli_lists_errors(capsys):
    assert main(["evaluate", "--errors"]) == 0
    out = capsys.readouterr().out
    assert "r12_two_way_coordinated: quantities: extra ('两人', 2, 'exact')" in out
    assert (
        len([line for line in out.splitlines() if ": missed " in line or ": extra " in line]) == 2
    )


def test_bad_gold_folder_and_file(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err and len(err.strip().splitlines()) == 1
    assert main(["evaluate", str(tmp_path)]) == 2
    assert "no gold .json files" in capsys.readouterr().err
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(EvaluateError, match="not valid JSON"):
        load_gold(tmp_path / "x.json")
    (tmp_path / "x.json").write_text('{"report": "x.txt"}', encoding="utf-8")
    with pytest.raises(EvaluateError, match="needs the key"):
        load_gold(tmp_path / "x.json")
