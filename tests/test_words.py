"""Word counting: the quiet tokenizer, the derived user dictionary, numbers, stop words, ranks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from secondment import words as words_module
from secondment.article import load_article, read_article_text, sentences
from secondment.extract import find_cadres
from secondment.paths import require_course_root
from secondment.words import (
    COURSE_TERMS,
    STOP_WORDS,
    cache_dir,
    char_counts,
    distinctive_words,
    organisations,
    tokenizer,
    top_words,
    user_dictionary,
    words,
)

ROOT = require_course_root()
VARIANT = ROOT / "tests" / "data" / "variant_beijing_to_hebei.txt"


@pytest.fixture(scope="module")
def article():
    return load_article()


@pytest.fixture(scope="module")
def plain():
    return tokenizer()


@pytest.fixture(scope="module")
def tok(article):
    return tokenizer(user_dictionary(article))


@pytest.fixture(scope="module")
def body_words(article, tok):
    return words(article.body, tok)


def _sentence_with(article, text: str) -> str:
    return next(s for s in sentences(article.body) if text in s)


# ---------------------------------------------------------------- the user dictionary


def test_user_dictionary_is_derived_from_the_cadres_and_their_posts(article):
    dictionary = user_dictionary(article)
    names = [c.name for c in find_cadres(article)]
    assert dictionary[: len(names)] == names
    assert {"省工信厅", "经信委", "省科技厅", "顺义区", "南彩镇"} <= set(dictionary)
    assert set(COURSE_TERMS) <= set(dictionary)
    assert len(dictionary) == len(set(dictionary))
    # Job titles are not organisations.
    assert not {"副厅长", "副主任", "镇长助理"} & set(dictionary)


def test_user_dictionary_works_on_another_report():
    dictionary = user_dictionary(load_article(VARIANT))
    assert {"李红梅", "刘志强", "欧阳明", "陈晓东", "工信厅", "廊坊市"} <= set(dictionary)
    assert "段润保" not in dictionary


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("省工信厅副厅长", ["省工信厅"]),
        ("北京市顺义区南彩镇镇长助理", ["北京市", "顺义区", "南彩镇"]),
        ("威县市场监督管理局副主任科员", ["威县", "市场监督管理局"]),
        ("保定市副市长", ["保定市"]),
        ("北京市发改委副主任", ["北京市", "发改委"]),
        ("", []),
    ],
)
def test_organisations_drop_the_title_and_split_at_places(post, expected):
    assert organisations(post) == expected


def test_dictionary_keeps_names_and_organisations_whole(article, plain, tok):
    sentence = _sentence_with(article, "段润保")
    without = plain.lcut(sentence)
    with_dictionary = tok.lcut(sentence)
    # The verified fact: jieba alone cuts both wrongly (段润 / 保挂, 省工 / 信厅).
    assert "段润保" not in without and "省工信厅" not in without
    assert "段润保" in with_dictionary and "省工信厅" in with_dictionary
    assert "挂任" in with_dictionary


def test_course_term_moves_the_count_of_guazhi(article):
    without_term = tokenizer(user_dictionary(article, terms=()))
    with_term = tokenizer(user_dictionary(article))
    measured = {}
    for label, text in (("file", read_article_text()), ("body", article.body)):
        before, after = Counter(words(text, without_term)), Counter(words(text, with_term))
        assert after["挂职"] < before["挂职"]
        # Every 挂职 that disappears is now inside a 挂职干部 token.
        assert before["挂职"] - after["挂职"] == after["挂职干部"] > 0
        measured[label] = (before["挂职"], after["挂职"])
    # As measured: COURSE.md's 25 → 10 counts the whole file; the page chrome (the 原标题
    # line) holds two of them, so the body alone goes 23 → 8.
    assert measured == {"file": (25, 10), "body": (23, 8)}


# ---------------------------------------------------------------- words()


def test_numbers_with_measure_words_survive_as_one_token(article, plain, tok, body_words):
    assert plain.lcut("活动60多次") == ["活动", "60", "多次"]
    assert words("活动60多次", tok) == ["活动", "60多次"]
    counts = Counter(body_words)
    assert counts["60多次"] == 3 and counts["50多个"] == 3 and counts["1000余家"] == 1
    assert counts["2015年7月24日"] == 1  # a date is one token, not 2015 / 年 / 7 / 月 / 24 / 日
    assert "60" not in counts and "2015" not in counts and "年" not in counts
    # 多次 is still a word where it is one (多次到首钢调研), but no longer gains from 60多次.
    assert counts["多次"] == 2 < Counter(plain.lcut(article.body))["多次"]


def test_no_punctuation_or_whitespace_tokens(body_words):
    assert body_words
    for token in body_words:
        assert token.strip() == token and token
        assert any(ch.isalnum() for ch in token), token
    assert not {",", "。", "、", "——", "“", "”", "《", "》", "?", "(", ")", "-"} & set(body_words)


def test_words_keeps_reading_order(tok):
    assert words("2015年7月24日,京冀两地正式启动互派干部挂职工作。", tok)[:3] == [
        "2015年7月24日",
        "京冀",
        "两地",
    ]


# ---------------------------------------------------------------- counting


def test_stop_words_are_removed(body_words):
    assert {"的", "了", "在", "是", "和", "与", "等", "也", "都", "对", "为", "将"} <= STOP_WORDS
    # Words that carry meaning in this article are deliberately kept.
    assert not {"不", "他们", "我省", "挂职"} & STOP_WORDS
    unfiltered = top_words(body_words, 3, stop_words=())
    assert unfiltered[0][0] == "的"
    ranked = top_words(body_words, 50)
    assert not {w for w, _ in ranked} & STOP_WORDS


def test_top_words_sorts_by_count_then_word(body_words):
    assert top_words(["b", "a", "c", "a", "b", "d"], 3) == [("a", 2), ("b", 2), ("c", 1)]
    ranked = top_words(body_words, 40)
    assert ranked == sorted(ranked, key=lambda item: (-item[1], item[0]))
    assert len(ranked) == 40
    assert top_words(body_words, 0) == []


def test_top_words_of_the_body_contain_guazhi(article, plain, body_words):
    assert top_words(words(article.body, plain), 1) == [("挂职", 23)]
    top = dict(top_words(body_words, 15))
    assert top["挂职干部"] == 15 and top["挂职"] == 8


def test_char_counts_count_only_hanzi(article):
    assert char_counts("北京,北京 60多次。") == Counter({"北": 2, "京": 2, "多": 1, "次": 1})
    counts = char_counts(article.body)
    assert counts.most_common(1)[0][0] == "京"
    assert not any(ch.isspace() or ch.isdigit() for ch in counts)


def test_distinctive_words_prefer_words_of_one_section(article, tok):
    toy = {"a": ["x", "x", "y", "y"], "b": ["y", "y", "z", "z", "z"]}
    result = distinctive_words(toy, 2)
    assert [w for w, _ in result["a"]] == ["x", "y"]
    assert [w for w, _ in result["b"]] == ["z", "y"]
    assert result["a"][0][1] > result["a"][1][1] > 0 > result["b"][1][1]

    sections = {s.label: words("\n".join(s.paragraphs), tok) for s in article.sections}
    found = distinctive_words(sections, 5)
    assert list(found) == ["他们是北京的一员", "他们是对接联络员", "他们是项目推进员"]
    for ranked in found.values():
        assert len(ranked) == 5
        assert ranked == sorted(ranked, key=lambda item: (-item[1], item[0]))
        assert not {w for w, _ in ranked} & STOP_WORDS
    assert found["他们是北京的一员"][0][0] == "首钢"
    assert "中关村" in dict(found["他们是对接联络员"])
    assert "崇礼" in dict(found["他们是项目推进员"])
    assert distinctive_words({}, 3) == {}


# ---------------------------------------------------------------- quiet and deterministic


def test_two_runs_are_equal(article):
    dictionary = user_dictionary(article)
    first = words(article.body, tokenizer(dictionary))
    second = words(article.body, tokenizer(list(reversed(dictionary))))
    assert first == second
    assert user_dictionary(article) == dictionary


def test_nothing_written_to_stderr_when_tokenizing(article, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    words_module._base_dictionary.cache_clear()  # load the dictionary again, here
    tok = tokenizer(user_dictionary(article))
    words(article.body, tok)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert not [r for r in caplog.records if r.name.startswith("jieba")]


def test_cache_lives_in_a_per_user_folder(tmp_path, monkeypatch, tok):
    assert Path(tok.tmp_dir) == cache_dir()
    assert os.access(cache_dir(), os.W_OK)
    assert ROOT not in cache_dir().parents
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "secondment"


SCRIPT = """
import json, sys
from secondment import words as w
from secondment.article import load_article
lazy = "jieba" not in sys.modules
article = load_article()
tok = w.tokenizer(w.user_dictionary(article))
print(json.dumps({"lazy": lazy, "top": w.top_words(w.words(article.body, tok), 20)}))
"""


def test_fresh_process_is_quiet_lazy_and_gives_the_same_counts(body_words):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    assert run.stderr == ""
    result = json.loads(run.stdout)
    assert result["lazy"], "importing secondment.words must not import jieba"
    assert [tuple(pair) for pair in result["top"]] == top_words(body_words, 20)


def test_organisations_and_the_tables_split_a_post_in_the_same_place():
    import pandas as pd

    from secondment.extract import post_parts
    from secondment.tables import split_post

    assert organisations("廊坊市常务副市长") == ["廊坊市"]  # 常务 belongs to the role
    assert post_parts("廊坊市常务副市长") == ("廊坊市", "常务副市长")
    assert post_parts("北京市发改委") == ("北京市发改委", "")
    assert post_parts("北京市海淀区委常委、副区长") == ("北京市海淀区委", "常委、副区长")
    posts = [
        "北京市顺义区南彩镇镇长助理",
        "廊坊市常务副市长",
        "省工信厅副厅长",
        "海淀区委常委、副区长",
    ]
    split = split_post(pd.Series(posts))
    for post, (org, role) in zip(posts, split.itertuples(index=False), strict=True):
        assert post_parts(post) == (org, role)
        assert org.startswith(
            "".join(organisations(post))
        )  # its places, one-character units dropped
