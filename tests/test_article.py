"""The article: shipped byte for byte, decoded, and split into chrome and body."""

import hashlib

import pytest

from secondment.article import (
    ArticleError,
    article_path,
    decode,
    load_article,
    normalise,
    parse_article,
    read_article_text,
    sentences,
)


@pytest.fixture(scope="module")
def art():
    return load_article()


SHA256 = "9c0c433489fbeb4b"  # of the article as published by the source, byte for byte


def test_article_is_shipped_byte_for_byte():
    data = article_path().read_bytes()
    assert len(data) == 9861
    assert hashlib.sha256(data).hexdigest()[:16] == SHA256
    text = data.decode("utf-8")
    assert text.count(",") == 141 and "，" not in text
    assert not text.endswith("\n") and "\r" not in text and "\u3000" not in text


def test_metadata(art):
    assert art.title == "河北百名干部挂职北京 5个多月干成了什么?"
    assert art.published == "2016-01-04T10:42"
    assert art.channel == "综合"
    assert art.reporter == "赵建"
    assert (art.editor, art.editor_code) == ("周一清", "SN054")
    assert art.original_title.startswith("去年我省选派干部赴京挂职")
    assert art.caption.endswith("省科技厅供图") and "    " not in art.caption


def test_sections(art):
    assert [s.label for s in art.sections] == [
        "他们是北京的一员",
        "他们是对接联络员",
        "他们是项目推进员",
    ]
    assert art.sections[0].kicker.endswith("200多项")
    assert [len(s.paragraphs) for s in art.sections] == [8, 7, 7]


def test_chrome_is_not_body(art):
    body = art.body
    for chrome in (
        "分享",
        "相关阅读",
        "责任编辑",
        "150元",
        "为什么日本只向韩国道歉",
        "供图",
        "赵 建",
    ):
        assert chrome not in body, chrome
    assert "为什么日本只向韩国道歉?" in art.related
    assert art.lede.startswith("近日,省科技厅副巡视员")
    assert sum(p.kind == "paragraph" for p in art.paragraphs) == 24


def test_sentences_keep_closing_quotes():
    got = sentences("他说:“好。”然后走了。")
    assert got == ["他说:“好。”", "然后走了。"]


def test_normalise_maps_full_width_twins_only():
    assert normalise("一，二：三（四）５\u3000") == "一,二:三(四)5 "
    assert normalise("、。《》“”——") == "、。《》“”——"
    assert normalise("a\r\nb") == "a\nb"
    assert normalise("\ufeffa") == "a"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        ("挂职干部包括厅局级干部十五名".encode("gbk"), "--encoding gbk"),
        (b"\xff\xfe\xfd plain latin-1 \xe9", "--encoding"),
    ],
)
def test_decode_errors_are_one_line(data, message):
    with pytest.raises(ArticleError) as err:
        decode(data, "x.txt")
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith("x.txt: ")


@pytest.mark.parametrize(
    ("codec", "advice"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_utf16_is_named_with_the_codec_to_use(codec, advice):
    text = "  挂职干部包括厅局级干部15名, 县处级干部45名。\n"
    with pytest.raises(ArticleError) as err:
        decode(text.encode(codec), "x.txt")
    assert str(err.value) == (
        f"x.txt: the text is UTF-16-encoded, not UTF-8: rerun with --encoding {advice}"
    )
    assert decode(text.encode(codec), "x.txt", encoding=advice).lstrip("\ufeff") == text


def test_decode_accepts_bom_and_other_encodings():
    assert decode("\ufeff挂职".encode(), "x") == "挂职"
    assert decode("挂职".encode("gbk"), "x", encoding="gbk") == "挂职"


def test_read_errors(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article_text(tmp_path / "missing.txt")
    with pytest.raises(ArticleError, match="folder"):
        read_article_text(tmp_path)


def test_parse_tolerates_crlf_and_full_width(art):
    text = read_article_text().replace("\n", "\r\n").replace(",", "，").replace(":", "：")
    again = parse_article(text)
    assert again.title == art.title and again.reporter == art.reporter
    assert [s.label for s in again.sections] == [s.label for s in art.sections]


def test_quote_mentioning_a_reporter_is_not_a_byline_and_padded_editor_joins():
    page = "标题\n\n  正文。\n\n  “我们不是来做客的。”刘晓军对记者说。\n\n□本报记者 王 芳\n\n责任编辑：陈 静 BJ017"
    art = parse_article(page)
    assert (art.reporter, art.editor, art.editor_code) == ("王芳", "陈静", "BJ017")
    assert "“我们不是来做客的。”刘晓军对记者说。" in art.body


@pytest.mark.parametrize(
    ("lede", "reporter", "rest"),
    [
        ("本报讯（记者　孟庆伟）到岗7个多月来，干部融入首都工作。", "孟庆伟", "到岗7个多月来,"),
        ("本报讯(记者吴倩 通讯员赵磊)元旦前后,干部坚守岗位。", "吴倩、赵磊", "元旦前后,"),
        ("本报讯（通讯员　郭丽娜）春节刚过，干部回到岗位。", "郭丽娜", "春节刚过,"),
        ("（记者 赵 建）春节刚过，干部回到岗位。", "赵建", "春节刚过,"),
        ("本报记者 宋平 通讯员 李晨 北京第一批赴冀挂职干部到岗已经8个多月。", "宋平、李晨", "北京第一批"),
        ("新华社石家庄1月5日电(记者 朱峰)记者5日从省委组织部获悉,干部已到岗。", "朱峰", "记者5日"),
        # The outlet may come before the credit inside the brackets.
        ("本报讯（燕赵晚报记者　祝文清）初夏时节，干部下乡调研。", "祝文清", "初夏时节,"),
        ("本报讯(京郊日报记者 洪蕾 通讯员 戚远)干部到岗。", "洪蕾、戚远", "干部到岗。"),
    ],
)  # fmt: skip
def test_bylines_in_the_lede(lede, reporter, rest):
    art = parse_article(f"标题\n\n  {lede}\n\n  正文。")
    assert art.reporter == reporter
    assert art.lede.startswith(rest) and reporter.split("、")[0] not in art.body
    assert [p.kind for p in art.paragraphs] == ["title", "lede", "paragraph"]


def test_a_byline_line_with_two_credits():
    art = parse_article("标题\n\n  河北日报记者　曹铮　通讯员　林静\n\n  正文。")
    assert art.reporter == "曹铮、林静"


def test_a_byline_on_its_own_line_at_the_end():
    art = parse_article("标题\n\n  正文。\n\n  (记者 刘杰 通讯员 孙丽)\n\n责任编辑:何帆")
    assert (art.reporter, art.editor) == ("刘杰、孙丽", "何帆")
    assert "刘杰" not in art.body


def test_a_lede_that_mentions_a_reporter_later_keeps_its_words():
    art = parse_article("标题\n\n  近日,记者从省委组织部了解到,干部已到岗。")
    assert art.reporter == "" and art.lede == "近日,记者从省委组织部了解到,干部已到岗。"
