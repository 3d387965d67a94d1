"""The checkers' shared helpers in secondment.checks.expect, with their hints written out."""

import math
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pytest

from secondment.checks.expect import (
    answer_axes,
    bars_lying,
    bars_of,
    bars_upright,
    call_answer,
    expect_count,
    expect_size,
)
from secondment.errors import Hint


@pytest.mark.parametrize(
    "value, count", [(3, 3), (3.0, 3), (np.int64(7), 7), (np.float64(2.0), 2), (Fraction(4), 4)]
)
def test_a_count_may_be_any_whole_number(value, count) -> None:
    assert expect_count(value) == count
    assert type(expect_count(value)) is int


@pytest.mark.parametrize(
    "value, hint",
    [
        (True, "answer should be a whole number, but it is True"),
        ("3", "answer should be a whole number, but it is '3'"),
        (None, "answer should be a whole number, but it is None"),
        (2.5, "answer should be a whole number (a count), but it is 2.5"),
        (math.inf, "answer should be a whole number (a count), but it is inf"),
        (math.nan, "answer should be a whole number (a count), but it is nan"),
    ],
)
def test_a_count_that_is_not_one_gets_the_default_hints(value, hint) -> None:
    with pytest.raises(Hint, match=f"^{hint}$".replace("(", r"\(").replace(")", r"\)")):
        expect_count(value)


def test_each_exercise_keeps_its_own_words_for_a_count() -> None:
    words = {"not_a_number": "{what}: not a {type}", "not_whole": "{what}: {value} has a part"}
    with pytest.raises(Hint, match=r"^facts: not a list$"):
        expect_count([1], "facts", **words)
    with pytest.raises(Hint, match=r"^facts: 1.5 has a part$"):
        expect_count(1.5, "facts", **words)
    with pytest.raises(Hint, match=r"^facts should be a number, not the text '7': convert"):
        expect_count("7", "facts", text_hint=True, **words)


def test_a_size_hints_in_both_directions_and_passes_when_equal() -> None:
    expect_size(3, 3, more="more", fewer="fewer")
    with pytest.raises(Hint, match="^more$"):
        expect_size(4, 3, more="more", fewer="fewer")
    with pytest.raises(Hint, match="^fewer$"):
        expect_size(2, 3, more="more", fewer="fewer")


def test_a_function_answer_that_fails_gets_a_hint() -> None:
    assert call_answer(len, "四个汉字", "the text") == 4
    with pytest.raises(Hint, match="^the check could not run your function on its sentences$"):
        call_answer({}.__getitem__, "x", "the text", inputs="sentences")


def test_a_function_answer_that_fails_to_decode_gets_the_decoding_hint() -> None:
    from secondment.checks.answers import Recorded

    error = "UnicodeDecodeError: 'gbk' codec can't decode byte 0xa6 in position 12: illegal"
    func = Recorded("sizes", [([b"\xe6\xb2\xb3"], ("raised", error))], [])
    hint = "the file is UTF-8: decode it with 'utf-8'"
    with pytest.raises(Hint) as raised:
        call_answer(func, b"\xe6\xb2\xb3", "the bytes", decode_hint=hint)
    assert str(raised.value) == (
        "your function raised UnicodeDecodeError on the bytes: gbk cannot read these bytes; "
        "the file is UTF-8: decode it with 'utf-8'"
    )
    with pytest.raises(Hint, match="^your function raised UnicodeDecodeError: 'gbk' codec"):
        call_answer(func, b"\xe6\xb2\xb3", "the bytes")  # no hint to give: the error as is


@pytest.fixture
def bar_chart():
    fig, ax = plt.subplots()
    bars = ax.bar(["A", "B", "C"], [3, 1, 2])
    yield fig, ax, bars
    plt.close(fig)


def test_the_axes_of_an_answer_and_its_near_misses(bar_chart) -> None:
    fig, ax, bars = bar_chart
    assert answer_axes(ax) is ax
    assert answer_axes(fig) is ax  # a figure of one Axes stands for it
    with pytest.raises(Hint, match=r"^answer should be the Axes alone: fig, ax = plt\.subplots"):
        answer_axes((fig, ax))
    with pytest.raises(Hint, match=r"^that is the bars ax\.barh\(\) returns; the answer is"):
        answer_axes(bars, drawn_by="ax.barh()")
    with pytest.raises(Hint, match=r"^that is what ax\.bar_label\(\) returns"):
        answer_axes(ax.bar_label(bars))
    with pytest.raises(Hint, match="^answer should be an Axes, but it is a str$"):
        answer_axes("ax")
    fig.add_subplot(2, 1, 2)
    with pytest.raises(Hint, match=r"^answer should be the Axes you drew on \(answer = ax\)"):
        answer_axes(fig)


def test_the_bars_of_an_axes_and_which_way_they_stand(bar_chart) -> None:
    _, ax, _ = bar_chart
    assert [b.get_height() for b in bars_of(ax)] == [3, 1, 2]
    assert bars_upright(ax) and not bars_lying(ax)
    fig, lying = plt.subplots()
    lying.barh(["A", "B"], [5, 4])
    assert bars_lying(lying) and not bars_upright(lying)
    assert bars_of(plt.figure().add_subplot()) == []
    plt.close("all")


def test_the_bar_labels_handed_in_get_their_hint_after_the_round_trip(bar_chart) -> None:
    from secondment.checks import evaluate

    _, ax, bars = bar_chart
    verdict = evaluate("05.3", ax.bar_label(bars))
    assert verdict.message == (
        "that is what ax.bar_label() returns; the answer is the Axes: answer = ax"
    )
