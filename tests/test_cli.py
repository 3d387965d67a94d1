"""The command line as a student meets it: the right files, or one clear line and nothing written."""

import contextlib
import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from secondment.article import article_path

ARTICLE = article_path()


def run(*args, cwd=None):
    """`python -m secondment ARGS` in this process (what that command runs is `main`): fast."""
    from secondment.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or os.getcwd()), redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_tables_writes_the_five_files(tmp_path):
    # Once as a real process, the way a student runs it: the entry point and exit code.
    result = subprocess.run(
        [sys.executable, "-m", "secondment", "tables", str(ARTICLE), "--out", "out"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["cadres.csv", "ranks.csv", "quantities.csv", "events.csv", "article.json"]
    )
    assert result.stderr == ""


def _bad_inputs(tmp):
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    gbk = tmp / "gbk.txt"
    gbk.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    return {
        "missing": (tmp / "nope.txt", "no such file"),
        "empty": (empty, "empty"),
        "binary": (binary, "not a text file"),
        "gbk": (gbk, "--encoding gbk"),
        "folder": (tmp, "folder"),
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "binary", "gbk", "folder"])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, kind):
    path, message = _bad_inputs(tmp_path)[kind]
    out = tmp_path / "out"
    result = run("tables", path, "--out", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert message in lines[0] and str(path.name) in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_gbk_with_encoding_flag_works(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    result = run("tables", gbk, "--encoding", "gbk", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "张国洪" in (tmp_path / "out" / "cadres.csv").read_text(encoding="utf-8")


def test_text_with_no_facts_warns_and_writes_headers(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("今天天气很好。", encoding="utf-8")
    result = run("tables", plain, "--out", tmp_path / "out")
    assert result.returncode == 0
    assert "warning" in result.stderr and "plain.txt" in result.stderr
    assert (tmp_path / "out" / "ranks.csv").read_text(encoding="utf-8") == "rank,count,sentence\n"


def test_failed_write_leaves_old_files(tmp_path, monkeypatch):
    from secondment import files, tables
    from secondment.article import load_article

    out = tmp_path / "out"
    out.mkdir()
    (out / "cadres.csv").write_text("old", encoding="utf-8")
    calls = {"n": 0}
    real = files.os.replace

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)
    with pytest.raises(tables.TablesError, match="disk full|cannot write"):
        tables.write_tables(load_article(), out)
    assert (out / "cadres.csv").read_text(encoding="utf-8") == "old"
    assert [p.name for p in out.iterdir()] == ["cadres.csv"]


def test_doctor_says_ready():
    import matplotlib

    with matplotlib.rc_context():  # the doctor switches the course style on; other tests expect not
        result = run("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("Ready for the course.")
    assert "pandas" in result.stdout and "❌" not in result.stdout


def test_written_files_get_normal_permissions(tmp_path):
    from secondment.files import write_atomically

    path = write_atomically(tmp_path / "a.csv", b"x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert path.read_bytes() == b"x\n" and (path.stat().st_mode & 0o777) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


# ---------------------------------------------------------------- every expected failure


def test_tables_without_out_writes_to_a_tables_folder_here(tmp_path):
    result = run("tables", ARTICLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote 5 files to tables"
    assert "张国洪" in (tmp_path / "tables" / "cadres.csv").read_text(encoding="utf-8")


def test_tables_never_overwrites_the_course_datasets(tmp_path):
    from secondment.article import datasets_dir

    before = {p.name: p.read_bytes() for p in datasets_dir().iterdir() if p.is_file()}
    plain = tmp_path / "plain.txt"
    plain.write_text("今天天气很好。", encoding="utf-8")
    result = run("tables", plain, "--out", datasets_dir())
    assert result.returncode == 2
    assert one_line(result) and "refresh-datasets" in result.stderr
    assert {p.name: p.read_bytes() for p in datasets_dir().iterdir() if p.is_file()} == before


def one_line(result) -> bool:
    """A single error line on stderr, no traceback."""
    lines = result.stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("secondment: error: ")


def _failures(tmp):
    """Each expected failure a user can cause: (arguments, words the one line must hold)."""
    afile = tmp / "afile.txt"
    afile.write_text("x", encoding="utf-8")
    utf16 = tmp / "wide.txt"
    utf16.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("utf-16"))
    cases = {
        "tables-out-is-a-file": (["tables", ARTICLE, "--out", afile], ["afile.txt", "is a file"]),
        "tables-out-under-a-file": (
            ["tables", ARTICLE, "--out", afile / "sub"],
            ["sub", "cannot make the folder", "--out"],
        ),
        "tables-utf-16": (["tables", utf16, "--out", tmp / "o"], ["wide.txt", "UTF-16"]),
        "links-bad-repo": (["links", "--repo", "bad"], ["OWNER/NAME", "'bad'"]),
        "links-bad-hub": (
            ["links", "--repo", "org/course", "--hub", "hub.example.edu"],
            ["https://", "hub.example.edu"],
        ),
        "execute-missing": (["execute", tmp / "nope.ipynb"], ["nope.ipynb", "no such file"]),
        "grade-missing-folder": (["grade", tmp / "nowhere", "--out", tmp / "g.csv"], ["nowhere"]),
        "execute-not-a-notebook": (["execute", afile], ["afile.txt", "not a readable notebook"]),
    }
    return cases


FAILURES = [
    "tables-out-is-a-file", "tables-out-under-a-file", "tables-utf-16", "links-bad-repo",
    "links-bad-hub", "execute-missing", "execute-not-a-notebook", "grade-missing-folder",
]  # fmt: skip


@pytest.mark.parametrize("kind", FAILURES)
def test_every_expected_failure_is_one_line_and_writes_nothing(tmp_path, kind, capsys, monkeypatch):
    from secondment.__main__ import main as student_main
    from secondment.teach.__main__ import main as teach_main

    # In this process, for speed: main() is what `python -m secondment[.teach]` runs.
    args, words = _failures(tmp_path)[kind]
    teach = args[0] in ("links", "grade", "build-exercises")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = (teach_main if teach else student_main)([str(a) for a in args])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    prefix = "secondment-teach: error: " if teach else "secondment: error: "
    assert len(lines) == 1 and lines[0].startswith(prefix), err
    for word in words:
        assert word in err, (word, err)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_utf16_with_its_encoding_works(tmp_path):
    wide = tmp_path / "wide.txt"
    wide.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("utf-16"))
    result = run("tables", wide, "--encoding", "utf-16", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "张国洪" in (tmp_path / "out" / "cadres.csv").read_text(encoding="utf-8")


def test_doctor_notices_tables_that_differ_from_the_article(tmp_path, monkeypatch):
    import secondment.paths
    from secondment.doctor import _datasets

    copy = tmp_path / "datasets"
    article = secondment.paths.article_path()
    shutil.copytree(secondment.paths.datasets_dir(), copy)
    cadres = copy / "cadres.csv"
    cadres.write_text(cadres.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    # The tables are compared with those built from the article, which stays where it is.
    monkeypatch.setattr(secondment.paths, "datasets_dir", lambda: copy)
    monkeypatch.setattr(secondment.paths, "article_path", lambda: article)

    finding = _datasets()
    assert not finding.ok
    assert "cadres.csv" in finding.what and "git checkout datasets/" in finding.fix


def test_an_unwritable_out_folder_is_one_line(tmp_path, capsys, monkeypatch):
    """As a user without write permission meets it (simulated: root may write anywhere)."""
    from secondment import files
    from secondment.__main__ import main

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    out = tmp_path / "out"
    assert main(["tables", str(ARTICLE), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"secondment: error: {out}: cannot write the tables there (Permission denied); "
        "choose another --out\n"
    )
    assert list(out.iterdir()) == []
