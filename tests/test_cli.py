"""The command line as a student meets it: the right files, or one clear line and nothing written."""

import os
import subprocess
import sys

import pytest

from secondment.article import article_path

ARTICLE = article_path()


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "secondment", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )  # fmt: skip


def test_tables_writes_the_five_files(tmp_path):
    result = run("tables", ARTICLE, "--out", tmp_path / "out", cwd=tmp_path)
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
    with pytest.raises(OSError):
        tables.write_tables(load_article(), out)
    assert (out / "cadres.csv").read_text(encoding="utf-8") == "old"
    assert [p.name for p in out.iterdir()] == ["cadres.csv"]


def test_doctor_says_ready():
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
