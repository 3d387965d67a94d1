"""Answers as data: what describe() sends and rebuild() makes of it, and how decide() treats
data it cannot trust; then, in a real kernel, checks that judge only their own answer cell."""

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest

from secondment.checks import decide, evaluate, record
from secondment.checks.answers import Recorded, describe, rebuild


def _round_trip(value, probes=()):
    text = json.dumps(describe(value, probes))  # JSON text is all that crosses
    return rebuild(json.loads(text))


@pytest.mark.parametrize(
    "value",
    [
        (1, "二", 3.5),
        [1, [2, (3,)]],
        {1: "a", "b": (2, 3)},
        {"甲", "乙"},
        b"\xc4\xea",
        dt.date(2015, 7, 24),
        dt.datetime(2016, 1, 4, 8, 5),
        None,
        True,
        2**80,
        ...,
    ],
    ids=lambda value: type(value).__name__,
)
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


def test_nan_and_patterns():
    assert math.isnan(_round_trip(float("nan")))
    pattern = _round_trip(re.compile(r"[,，]", re.MULTILINE))
    assert isinstance(pattern, re.Pattern)
    assert (pattern.pattern, pattern.flags) == ("[,，]", re.compile("", re.M).flags)


def test_a_frame_comes_back_with_its_columns_dtypes_values_and_index():
    import pandas as pd

    df = pd.DataFrame(
        {"rank": ["厅局级", "县处级"], "count": [15, 45], "share": [0.15, 0.45], "ok": [1, 0]},
        index=pd.Index([3, 4], name="row"),
    ).astype({"ok": bool})
    pd.testing.assert_frame_equal(_round_trip(df), df)
    series = df.set_index("rank")["count"]
    pd.testing.assert_series_equal(_round_trip(series), series)


def test_a_chart_comes_back_as_what_the_checks_read():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from secondment.style import FONT_FAMILY, use_course_style

    use_course_style()
    fig, ax = plt.subplots()
    bars = ax.bar(["厅局级", "县处级"], [15, 45], color="#0072B2")
    ax.bar_label(bars)
    ax.set_title("百名干部的级别")
    ax.set_xlabel("级别")
    ax.set_ylabel("人数 (名)")
    back = _round_trip(ax)
    plt.close(fig)
    assert back.get_title() == "百名干部的级别"
    assert (back.get_xlabel(), back.get_ylabel()) == ("级别", "人数 (名)")
    assert [t.get_text() for t in back.get_xticklabels()] == ["厅局级", "县处级"]
    assert [p.get_height() for p in back.patches] == [15, 45]
    assert sorted(t.get_text() for t in back.texts) == ["15", "45"]
    assert back.title.get_fontfamily()[0] == FONT_FAMILY
    assert back.get_xticklabels()[0].get_fontfamily()[0] == FONT_FAMILY
    assert matplotlib.colors.to_hex(back.patches[0].get_facecolor()) == "#0072b2"


def test_a_chart_keeps_its_legend():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar([0, 1], [15, 45], color="#0072B2", label="河北赴京")
    ax.bar([0.4, 1.4], [12, 50], color="#E69F00", label="北京赴冀")
    assert _round_trip(ax).get_legend() is None  # labels alone make no legend
    ax.legend()
    back = _round_trip(ax)
    plt.close(fig)
    legend = back.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["河北赴京", "北京赴冀"]
    shown = [matplotlib.colors.to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert shown == ["#0072b2", "#e69f00"]


def test_a_function_crosses_as_its_results_on_the_checks_inputs():
    def count_commas(text):
        if not text:
            raise ValueError("empty")
        return len(re.findall("[,，]", text))

    back = _round_trip(count_commas, probes=[("甲,乙，丙",), ("",)])
    assert isinstance(back, Recorded)
    assert back("甲,乙，丙") == 2
    with pytest.raises(Exception, match="ValueError: empty"):
        back("")
    with pytest.raises(LookupError):
        back("an input the kernel never tried")


STUDENT_CELLS = """
import functools
import secondment
import secondment.extract as x
from secondment import extract
from secondment.extract import find_cadres, find_ranks

fc = find_cadres
fr = find_ranks
tools = {"officials": find_cadres}


def by_alias(text):
    return fc(text)


def by_module_alias(text):
    return x.find_cadres(text)


def by_module(text):
    return extract.find_ranks(text)


def by_package(text):
    return secondment.extract.find_quantities(text)


def by_default(text, finder=find_cadres):
    return finder(text)


def by_keyword_default(text, *, finder=fr):
    return finder(text)


def make():
    finder = find_ranks

    def by_closure(text):
        return finder(text)

    return by_closure


def helper(text):
    return fr(text)


def by_helper(text):
    return helper(text)


def by_container(text):
    return tools["officials"](text)


class Reader:
    def __call__(self, text):
        return fc(text)


by_closure = make()
by_partial = functools.partial(find_ranks)
by_object = Reader()


def own(text):
    return text.split(",")
"""


@pytest.mark.parametrize(
    ("name", "finder"),
    [
        ("by_alias", "find_cadres"),
        ("by_module_alias", "find_cadres"),
        ("by_module", "find_ranks"),
        ("by_package", "find_quantities"),
        ("by_default", "find_cadres"),
        ("by_keyword_default", "find_ranks"),
        ("by_closure", "find_ranks"),
        ("by_helper", "find_ranks"),
        ("by_container", "find_cadres"),
        ("by_partial", "find_ranks"),
        ("by_object", "find_cadres"),
        ("find_cadres", "find_cadres"),
    ],
)
def test_a_library_finder_is_named_whatever_name_reaches_it(name, finder):
    """A student's kernel: the finder under another name is still the finder."""
    space = {"__name__": "__main__"}
    exec(STUDENT_CELLS, space)
    back = _round_trip(space[name], probes=[("甲,乙",)])
    assert finder in back.names
    assert back.names[0] == finder  # first, so that no bound on the names can drop it


def test_a_function_of_ones_own_names_no_finder():
    space = {"__name__": "__main__"}
    exec(STUDENT_CELLS, space)
    back = _round_trip(space["own"], probes=[("甲,乙",)])
    assert back("甲,乙") == ["甲", "乙"]
    assert not {"find_cadres", "find_events", "find_quantities", "find_ranks"} & set(back.names)


#: Functions that reach a finder where no name in their code says so: the watch on their calls
#: sees each one; `own` is honest.
HIDDEN_FINDERS = """
import functools
import re
import secondment.extract as x

made_at_import = getattr(x, "find_" + "cadres")


def by_getattr(text):
    return [(c.name, c.home_post, c.host_post) for c in getattr(x, "find_" + "cadres")(text)]


def by_import_alias(text):
    return [(c.name, c.home_post, c.host_post) for c in made_at_import(text)]


by_partial = functools.partial(getattr(x, "find_" + "cadres"))


def make():
    finder = getattr(x, "find_" + "cadres")

    def by_closure(text):
        return [(c.name, c.home_post, c.host_post) for c in finder(text)]

    return by_closure


by_closure = make()


def by_engine(text):
    # The private function that does the finder's work, behind its cache.
    from secondment.extract import cadres, clauses

    return list(cadres._cadres_of(tuple(clauses.paragraphs(text)))[0])


def in_a_thread(text):
    import threading

    box = []
    worker = threading.Thread(target=lambda: box.append(by_getattr(text)))
    worker.start()
    worker.join()
    return box[0]


def own(text):
    return re.findall("挂任", text)
"""

WATCH_OFF = """
import sys
import secondment.extract as x


def switched_off(text):
    sys.setprofile(None)
    return [(c.name, c.home_post, c.host_post) for c in getattr(x, "find_" + "cadres")(text)]


def switched_off_and_on(text):
    # Through map(), so that no call of sys.setprofile is seen by the profile function itself.
    watch = sys.getprofile()
    list(map(sys.setprofile, [None]))
    found = [(c.name, c.home_post, c.host_post) for c in getattr(x, "find_" + "cadres")(text)]
    list(map(sys.setprofile, [watch]))
    return found


def in_a_low_level_thread(text):
    import _thread
    import time

    box = []
    _thread.start_new_thread(lambda: box.append(getattr(x, "find_" + "cadres")(text)), ())
    while not box:
        time.sleep(0.01)
    return [(c.name, c.home_post, c.host_post) for c in box[0]]


def in_a_process(text):
    import subprocess

    subprocess.run(["true"], check=False)
    return []
"""


def _space(source):
    space = {"__name__": "__main__"}
    exec(source, space)
    return space


@pytest.mark.parametrize(
    "name",
    ["by_getattr", "by_import_alias", "by_partial", "by_closure", "by_engine", "in_a_thread"],
)
def test_a_finder_called_however_it_is_reached_is_seen_while_the_function_runs(name):
    from secondment.checks.ex03 import NEW_REPORT

    func = _space(HIDDEN_FINDERS)[name]
    back = _round_trip(func, probes=[(NEW_REPORT,)])
    assert back.called == ["find_cadres"] and back.unwatched == ""
    verdict = evaluate("03.8", func)
    assert verdict.status == "wrong"
    assert (
        verdict.message == "your function calls the library's find_cadres: write your own pattern"
    )


def test_the_watch_needs_no_name_in_the_code():
    back = _round_trip(_space(HIDDEN_FINDERS)["by_getattr"], probes=[("甲",)])
    assert "find_cadres" not in back.names and back.called == ["find_cadres"]


def test_an_honest_function_calls_no_finder_and_the_watch_leaves_nothing_behind():
    import sys
    import threading

    back = _round_trip(_space(HIDDEN_FINDERS)["own"], probes=[("甲挂任乙",)])
    assert (back("甲挂任乙"), back.called, back.unwatched) == (["挂任"], [], "")
    assert sys.getprofile() is None and threading.getprofile() is None


@pytest.mark.parametrize(
    ("name", "how"),
    [
        ("switched_off", "profile"),
        ("switched_off_and_on", "profile"),
        ("in_a_low_level_thread", "thread"),
        ("in_a_process", "process"),
    ],
)
def test_a_function_that_hides_its_calls_from_the_watch_is_flagged(name, how):
    from secondment.checks.ex03 import NEW_REPORT

    func = _space(WATCH_OFF)[name]
    back = _round_trip(func, probes=[(NEW_REPORT,)])
    assert back.called == [] and back.unwatched == how
    verdict = evaluate("03.8", func)
    assert verdict.status == "wrong" and verdict.message.startswith(
        "your function hides its calls from the check"
    )
    assert "find_cadres" in verdict.message


def test_an_object_that_runs_code_when_unpickled_is_only_its_type_name(tmp_path):
    marker = tmp_path / "ran.txt"

    class Evil:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w').write('x')",))

    data = describe(Evil())
    assert data == {"$": "object", "type": "Evil", "fields": {}}
    assert type(rebuild(data)).__name__ == "Evil"
    verdict = evaluate("01.1", Evil())
    assert not verdict.passed and "Evil" in verdict.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "data",
    [
        None,
        "01.1",
        {"question": "01.2", "answer": [1, 2]},
        {"question": "01.1", "answer": {"$": "exec", "code": "print(1)"}},
        {"question": "01.1", "answer": {"$": "tuple", "items": "not a list"}},
        {"question": "01.1", "answer": {"$": "pattern", "pattern": "(", "flags": 0}},
        {"question": "01.1", "answer": {"no tag": 1}},
        {"question": "01.1", "answer": {"$": "frame", "columns": [1], "dtypes": [], "data": []}},
    ],
    ids=range(8),
)
def test_data_that_cannot_be_trusted_is_one_failed_verdict_never_a_crash(data):
    verdict = decide("01.1", data)
    assert not verdict.passed and verdict.status == "error"


#: Rank sentences the checks do not hold, standing for a grader's probes.
OTHER_RANKS = [
    ("在京挂职的40名干部中，厅局级干部6名、县处级干部28名、乡科级干部6名。",),
    ("天津市此次选派的60名干部中,县处级干部35名,乡科级干部20名,科技人才5名。",),
]


def _lookup_of_own_rank_probes():
    from secondment.checks import own_probes
    from secondment.checks.ex03 import _rank_counts_of

    table = {s: _rank_counts_of(s) for (s,) in own_probes("03.7")}
    return lambda sentence: table[sentence]


def test_a_function_is_decided_on_the_probes_the_grader_gives():
    from secondment.checks import calls_of, probes_of

    lookup = _lookup_of_own_rank_probes()
    assert evaluate("03.7", lookup).passed  # the self-check: the question's own probes
    on_other = json.loads(json.dumps(record("03.7", lookup, calls=calls_of("03.7", OTHER_RANKS))))
    verdict = decide("03.7", on_other, OTHER_RANKS)
    assert verdict.status == "wrong" and "raised KeyError" in verdict.message
    # A record made on the question's own probes cannot answer for others.
    own = json.loads(json.dumps(record("03.7", lookup)))
    verdict = decide("03.7", own, OTHER_RANKS)
    assert verdict.message == "the check could not run your function on its sentences"
    assert probes_of("03.7")[0] != OTHER_RANKS[0]  # the grader's probes were for that decision


def test_an_honest_function_passes_on_other_probes_too():
    from secondment.checks import calls_of

    def rank_counts(sentence):
        found = re.finditer(
            r"((?:省部|厅局|县处|乡科)级|[一-鿿]{2,4}人才)(?:干部)?(\d+)名", sentence
        )
        return {m[1]: int(m[2]) for m in found}

    data = json.loads(json.dumps(record("03.7", rank_counts, calls=calls_of("03.7", OTHER_RANKS))))
    assert decide("03.7", data, OTHER_RANKS).passed


def test_a_text_question_is_called_on_each_sentence_of_the_probes_it_is_given():
    from secondment.checks import calls_of

    text = "半年来,50名干部走访企业200余家。对接活动40多次。"
    assert calls_of("03.5", [(text,)]) == [
        (text,),
        ("半年来,50名干部走访企业200余家。",),
        ("对接活动40多次。",),
    ]


def test_while_graded_a_checked_function_is_recorded_once_on_the_graders_calls(
    tmp_path, monkeypatch
):
    from secondment.checks import check, graded_records
    from secondment.checks.answers import describe

    monkeypatch.setenv("SECONDMENT_ANSWERS", str(tmp_path))
    lookup = _lookup_of_own_rank_probes()
    check("03.7", lookup)
    saved = json.loads((tmp_path / "03.7.json").read_text(encoding="utf-8"))
    assert decide("03.7", saved).passed  # the check's own record, on its own probes
    calls = json.dumps({"03.7": [describe(list(p)) for p in OTHER_RANKS]})
    made = graded_records(calls)
    assert list(made) == ["03.7"]
    assert not decide("03.7", json.loads(made["03.7"]), OTHER_RANKS).passed
    assert graded_records(calls) == {}  # once: the probes are in the kernel from then on
    check("03.7", [1, 2])  # an answer that is no function is saved as it is, not kept
    assert graded_records(calls) == {}


def test_a_huge_answer_is_refused_as_too_big_to_check():
    data = record("01.6", "字" * 3_000_000)
    assert "too big" in data["problem"]
    assert not decide("01.6", data).passed


# ---------------------------------------------------------------- in a real kernel


CELLS = [
    "from secondment.checks import check",
    "check('01.1', answer)",
    "answer = len(lines)",
    "check('01.1', answer)",
    "answer = (\n",
    "check('01.2', answer)",
    "answer = 'some caption'",
    "check('01.6', answer)",
    "check('01.7', answer)",
    "check('01.6', answer)",
    "answer = b'2016\\xc4\\xea'.decode('utf-8')",
    "check('01.3', answer)",
]


def test_each_check_judges_its_own_answer_cell_in_one_line():
    import nbformat

    from secondment.execute import course_client

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    course_client(nb, Path.cwd(), 60, allow_errors=True).execute()
    shown = {}
    for index, cell in enumerate(nb.cells):
        if cell.source.startswith("check("):
            assert [o.output_type for o in cell.outputs] == ["display_data"], cell.source
            shown[index] = cell.outputs[0].data["text/plain"]
    assert shown[1] == "❌ 01.1: no answer yet: run the answer cell above first"
    assert shown[3] == (
        "❌ 01.1: the answer cell above raised NameError: name 'lines' is not defined; "
        "fix it and run it again"
    )
    assert shown[5].startswith("❌ 01.2: the answer cell above raised SyntaxError")
    assert shown[7].startswith("❌ 01.6: the caption is not right yet")
    assert shown[8] == (
        "❌ 01.7: the answer cell above has not run since you checked 01.6: "
        "run it, then this check again"
    )
    assert shown[9].startswith("❌ 01.6: the caption")
    assert shown[11] == (
        "❌ 01.3: the answer cell above raised UnicodeDecodeError: utf-8 cannot read these "
        "bytes; these bytes are GBK (2 bytes per hanzi), not UTF-8: decode them with 'gbk'"
    )


def test_a_decode_error_in_an_article_question_says_the_file_is_utf8():
    problem = (
        "the answer cell above raised UnicodeDecodeError: 'gbk' codec can't decode byte 0xa6 "
        "in position 12: illegal multibyte sequence; fix it and run it again"
    )
    verdict = decide("01.1", {"question": "01.1", "problem": problem})
    assert verdict.status == "answer-error"
    assert verdict.message.endswith(
        "gbk cannot read these bytes; the article file is UTF-8 "
        "(3 bytes per hanzi): read it with encoding='utf-8'"
    )


# ------------------------------------------- in a real kernel told each cell's id


SOLUTION_01 = (
    Path(__file__).parent.parent / "exercises/solutions/01-reading-the-article-solutions.ipynb"
)


def _run_solution_01(edit):
    """Run exercise 01's solution, edited, as the course's client does; {question: line}."""
    import nbformat

    from secondment.execute import course_client

    nb = nbformat.read(SOLUTION_01, as_version=4)
    nb.cells = edit([c for c in nb.cells if c.cell_type == "code"])
    course_client(nb, SOLUTION_01.parent, 60, allow_errors=True).execute()
    shown = {}
    for cell in nb.cells:
        m = re.match(r'check\("(\d\d\.\d)"', cell.source)
        if m:
            assert [o.output_type for o in cell.outputs] == ["display_data"], cell.source
            shown[m[1]] = cell.outputs[0].data["text/plain"]
    assert sorted(shown) == [f"01.{i}" for i in range(1, 9)]
    return shown


def _checks_last(cells):
    return [c for c in cells if not c.source.startswith("check(")] + [
        c for c in cells if c.source.startswith("check(")
    ]


def _wrong(shown):
    return {q: line for q, line in shown.items() if not line.startswith("✅")}


def test_a_check_above_its_answer_cell_says_that_cell_has_not_run_yet():
    def swap_01_2(cells):
        i = next(i for i, c in enumerate(cells) if c.source.startswith('check("01.2"'))
        cells[i - 1], cells[i] = cells[i], cells[i - 1]
        return cells

    assert _wrong(_run_solution_01(swap_01_2)) == {
        "01.2": "❌ 01.2: the answer cell of question 01.2 has not run yet (the last answer "
        "cell run was 01.1's): run it, then this check again"
    }


def test_checks_moved_to_the_end_each_judge_their_own_answer_cell():
    assert _wrong(_run_solution_01(_checks_last)) == {}


def test_an_answer_cell_that_raised_is_reported_though_a_later_one_set_answer():
    def raise_in_01_2(cells):
        cells[3].source = "answer = 1 / 0"  # 01.2's answer cell
        return _checks_last(cells)

    assert _wrong(_run_solution_01(raise_in_01_2)) == {
        "01.2": "❌ 01.2: the answer cell above raised ZeroDivisionError: division by zero; "
        "fix it and run it again"
    }


def test_after_an_answer_cell_of_unknown_id_checks_judge_answer_as_before():
    import nbformat

    def add_a_cell(cells):
        cells = _checks_last(cells)
        at = next(i for i, c in enumerate(cells) if c.source.startswith("check("))
        return cells[:at] + [nbformat.v4.new_code_cell("answer = 'my own cell'")] + cells[at:]

    shown = _run_solution_01(add_a_cell)
    assert shown["01.1"].startswith("❌ 01.1: ")
    assert shown["01.2"] == (
        "❌ 01.2: the answer cell above has not run since you checked 01.1: "
        "run it, then this check again"
    )


def test_a_check_given_another_name_than_answer_judges_that_value():
    def checks_last_and_01_3_by_name(cells):
        at = next(i for i, c in enumerate(cells) if c.source.startswith('check("01.3"'))
        cells[at - 1].source += "\nkept = 'not the answer'"  # 01.3's answer cell
        cells[at].source = 'check("01.3", kept)'
        return _checks_last(cells)

    shown = _run_solution_01(checks_last_and_01_3_by_name)
    assert set(_wrong(shown)) == {"01.3"}
    # `kept` itself is judged: 'not the answer' has 14 characters.
    assert shown["01.3"] == (
        "❌ 01.3: the decoded text is not right yet (14 characters; look again at the pattern)"
    )


@pytest.mark.parametrize(
    ("error", "typed", "needs"),
    [
        ("invalid character '，' (U+FF0C) (line 1)", "'，' (U+FF0C)", "','"),
        ("invalid character '（' (U+FF08) (line 2)", "'（' (U+FF08)", "'('"),
        ("invalid character '“' (U+201C) (line 1)", "'“' (U+201C)", "'\"'"),
        ("invalid non-printable character U+3000 (line 3)", "(U+3000)", "' '"),
    ],
)
def test_a_full_width_mark_in_code_is_named_as_the_input_methods(error, typed, needs):
    from secondment.checks import decide
    from secondment.checks.language import translate

    problem = f"the answer cell above raised SyntaxError: {error}; fix it and run it again"
    verdict = decide("01.1", {"question": "01.1", "problem": problem})
    assert verdict.status == "answer-error"
    assert "a Chinese input method typed the full-width" in verdict.message
    assert typed in verdict.message and f"where Python needs {needs}" in verdict.message
    chinese = translate(verdict.message, "zh-CN")
    assert "中文输入法" in chinese and "SyntaxError" in chinese and "input method" not in chinese


def test_other_syntax_errors_keep_their_own_message():
    from secondment.checks import decide

    problem = "the answer cell above raised SyntaxError: invalid character '→' (U+2192) (line 1)"
    assert decide("01.1", {"question": "01.1", "problem": problem}).message == problem
