"""What students write must never hang or crash a self-check: time limits on their functions,
every exception but KeyboardInterrupt as a verdict, echoes cut short, translation that stays
fast, and no English error text in a Chinese verdict."""

import re
import time

import pytest

from secondment.checks import answers, evaluate
from secondment.checks.language import translate, use_language

#: The questions whose answer is a function the check runs on inputs the student has not seen.
FUNCTION_QUESTIONS = ("01.1", "01.4", "02.3", "03.3", "03.4", "03.6", "03.7", "03.8")
HANZI = re.compile(r"[\u4e00-\u9fff]")


def _sleeps(*args):
    time.sleep(60)


def _exits(*args):
    raise SystemExit(3)


def _line_in(tag: str, verdict) -> str:
    try:
        use_language(tag)
        return verdict.line
    finally:
        use_language("en")


@pytest.fixture
def short_limits(monkeypatch):
    monkeypatch.setattr(answers, "SECONDS_PER_INPUT", 0.2)
    monkeypatch.setattr(answers, "SECONDS_IN_ALL", 0.5)


@pytest.mark.parametrize("qid", FUNCTION_QUESTIONS)
def test_a_sleeping_function_is_stopped_with_its_own_status_and_hint(qid, short_limits) -> None:
    start = time.monotonic()
    verdict = evaluate(qid, _sleeps)
    assert time.monotonic() - start < 5
    assert (verdict.passed, verdict.status) == (False, "too-slow")
    assert "more than 0.2 s on one input" in verdict.message
    zh = _line_in("zh-CN", verdict)
    assert "0.2 秒" in zh and "time.sleep" in zh and not re.search(r"\bfunction\b", zh)


def test_the_default_limit_on_one_input_holds() -> None:
    start = time.monotonic()
    verdict = evaluate("01.1", _sleeps)
    assert time.monotonic() - start < answers.SECONDS_PER_INPUT + 3
    assert verdict.status == "too-slow"


def test_a_function_slow_on_every_input_is_stopped_by_the_limit_in_all(short_limits) -> None:
    def slow(data):
        time.sleep(0.15)
        return (len(data), len(data.decode("utf-8")))

    verdict = evaluate("01.1", slow)
    assert verdict.status == "too-slow"
    assert "more than 0.5 s on the check's 4 inputs in all" in verdict.message
    assert "4 个输入上总共运行了超过 0.5 秒" in _line_in("zh-CN", verdict)


def test_a_function_that_swallows_exceptions_is_still_stopped(short_limits) -> None:
    def stubborn(data):
        try:
            time.sleep(60)
        except Exception:
            return (0, 0)

    assert evaluate("01.1", stubborn).status == "too-slow"


def test_a_fast_function_is_not_affected_and_the_timer_is_put_back(short_limits) -> None:
    import signal

    def sizes(data):
        return len(data), len(data.decode("utf-8"))

    before = signal.getsignal(signal.SIGALRM)
    assert evaluate("01.1", sizes).status == "correct"
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("qid", FUNCTION_QUESTIONS)
def test_system_exit_in_a_function_is_a_verdict_not_a_traceback(qid) -> None:
    verdict = evaluate(qid, _exits)
    assert not verdict.passed
    assert "SystemExit" in verdict.message


def test_an_answer_whose_reading_raises_system_exit_is_a_verdict() -> None:
    import dataclasses

    @dataclasses.dataclass
    class Record:
        field: int

        def __getattribute__(self, name):
            if name == "field":
                raise SystemExit(1)
            return object.__getattribute__(self, name)

    verdict = evaluate("01.2", Record(1))
    assert (verdict.passed, verdict.status) == (False, "answer-error")
    assert "SystemExit" in verdict.message


def test_keyboard_interrupt_still_stops_a_check() -> None:
    def interrupted(data):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        evaluate("01.1", interrupted)


def test_a_huge_answer_is_echoed_cut_short_and_translated_at_once() -> None:
    start = time.monotonic()
    verdict = evaluate("02.1", "挂" * 1_500_000)
    assert verdict.status == "wrong"
    assert len(verdict.message) < 200, len(verdict.message)
    assert "…" in verdict.message and verdict.message.endswith("convert it with int()")
    zh = _line_in("zh-CN", verdict)
    assert HANZI.search(zh.replace("挂", "")) and "int()" in zh
    assert time.monotonic() - start < 10


def test_no_verdict_message_is_longer_than_the_bound() -> None:
    from secondment.checks import MAX_MESSAGE

    for qid, answer in [("04.1", ["挂" * 10_000] * 3), ("06.1", [("挂" * 10_000, 1.5)])]:
        assert len(evaluate(qid, answer).message) <= MAX_MESSAGE


def test_translation_time_grows_linearly_with_the_message() -> None:
    def seconds(n: int) -> float:
        msg = f"the answer should be a number, not the text '{'挂' * n}': convert it with int()"
        translate(msg, "zh-CN")  # the table is read once
        return min(_timed(lambda: translate(msg, "zh-CN")) for _ in range(3))

    small, large = seconds(20_000), seconds(200_000)
    # Ten times the text, at most about ten times the time (27 µs a character, and more than
    # linear, before); generous, for a busy machine.
    assert large < 25 * max(small, 0.002), (small, large)
    assert large < 5.0


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


BAD_PATTERNS = ("(", ")", "*", "a**", "[a", "\\q", "(?<x", "a{3,1}", "(?<=a+)b", "\\", "[z-a]",
                "(?P=foo)", "(?P<a>x)(?P<a>y)", "\\8", "a(?i)b")  # fmt: skip


@pytest.mark.parametrize("qid", ["01.5", "02.6", "03.1"])
@pytest.mark.parametrize("pattern", BAD_PATTERNS)
def test_a_pattern_that_does_not_compile_is_explained_in_chinese_words(qid, pattern) -> None:
    verdict = evaluate(qid, pattern)
    assert verdict.status == "wrong"
    try:
        re.compile(pattern)
    except re.error as exc:
        assert exc.msg.split(" ")[0] in verdict.message  # the English keeps Python's words
    zh = _line_in("zh-CN", verdict)
    left = re.sub(r"'[^']*'|\\\w+|\?\w+|[a-z]-[a-z]", "", zh)  # the pattern's own text
    assert not re.search(r"[A-Za-z]{3,}", left.replace("Python", "")), zh
