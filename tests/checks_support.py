"""Shared assertions for the tests of the exercise checks."""

from secondment.checks import evaluate


def passes(qid, answer):
    """Assert that a right answer is accepted."""
    verdict = evaluate(qid, answer)
    assert verdict.passed, verdict.message
    assert verdict.status == "correct"


def hint(qid, answer):
    """The hint a wrong answer gets (it must be a hint, not a crash)."""
    verdict = evaluate(qid, answer)
    assert not verdict.passed
    assert verdict.status == "wrong", verdict.message
    return verdict.message
