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


def given(solution, name):
    """The value a solution notebook gives the student as `name` (outside the solution blocks)."""
    import ast

    import nbformat

    from secondment.teach.exercises import student_source

    for cell in nbformat.read(solution, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(student_source(cell.source)).body:
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
                return ast.literal_eval(node.value)
    raise AssertionError(f"the notebook gives no {name}")
