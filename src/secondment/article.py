"""Load a news article from disk and split it into page chrome and body."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from secondment.errors import ArticleError

# The path helpers live in secondment.paths; import them from there. The lesson notebooks (next
# to `load_article`) and the grader still import some of them from here, so they stay importable.
from secondment.paths import (  # noqa: F401
    article_path,
    course_root,
    datasets_dir,
    second_report_path,
)
from secondment.script import simplify

__all__ = [
    "HAN",
    "HAN_WIDE",
    "Article",
    "ArticleError",
    "ascii_forms",
    "Paragraph",
    "Section",
    "decode",
    "load_article",
    "normalise",
    "parse_article",
    "read_article_text",
    "sentences",
]


#: One Chinese character (a hanzi of the CJK Unified Ideographs block), as a regex class: the one
#: definition the library's patterns share.
HAN = r"[\u4e00-\u9fff]"

#: Any Chinese character, rare ones too (extension A and B on, compatibility ideographs): for
#: finding Chinese text to mark or count as Chinese, where a rare character must not be missed.
HAN_WIDE = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]"


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    controls = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
    return controls > 0.05 * min(len(data), 4096)


def _common_share(text: str) -> float:
    """The share of a text's hanzi that are among the 3,755 commonest (GB 2312 level 1), read
    in simplified form: high for a text decoded with its own codec, low for mojibake."""
    hanzi = re.findall(HAN, simplify(text))
    common = sum(1 for ch in hanzi if 0xB0 <= ch.encode("gb2312", "replace")[0] <= 0xD7)
    return common / len(hanzi) if hanzi else 0.0


def _chinese_codec(data: bytes) -> str | None:
    """`gbk` or `big5` when the bytes read as Chinese text in that codec, else None.

    Both codecs use two bytes a character, so much text decodes in either; the one whose hanzi
    are common characters is the one it was written in.
    """
    best, best_share = None, 0.0
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        hanzi = len(re.findall(HAN, text))
        share = _common_share(text)
        if hanzi >= max(2, len(text) // 10) and share > best_share:
            best, best_share = ("gbk" if codec == "gb18030" else codec), share
    return best


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec these bytes are written in (`utf-16`, `utf-16-le` …), if they are."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if b"\x00" not in data or len(data) % 2:
        return None
    # Without a BOM: ASCII characters (spaces, digits, line breaks) put their zero byte on the
    # same side of each pair (second in little-endian), and few hanzi have a zero byte at all;
    # zeros in binary data fall on both sides alike.
    odd = sum(1 for byte in data[1::2] if byte == 0)
    even = sum(1 for byte in data[::2] if byte == 0)
    if max(odd, even) < 9 * min(odd, even) or max(odd, even) < 2:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    readable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return codec if readable >= 0.95 * len(text) else None


def decode(data: bytes, name: str = "<bytes>", encoding: str = "utf-8") -> str:
    """Decode article bytes, raising ArticleError with advice for other encodings."""
    if not data.strip():
        raise ArticleError(f"{name}: the file is empty; give the path of a saved article")
    wide = encoding.lower().replace("_", "-").startswith("utf-16")
    utf16 = None if wide else _utf16_codec(data)
    if utf16:
        raise ArticleError(
            f"{name}: the text is UTF-16-encoded, not UTF-8: rerun with --encoding {utf16}"
        )
    if not wide and _looks_binary(data):
        raise ArticleError(f"{name}: this is not a text file (binary bytes); give a .txt article")
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise ArticleError(
            f"{name}: unknown encoding {encoding!r}; try utf-8, gbk or big5"
        ) from None
    except UnicodeDecodeError:
        if codec == "utf-8-sig" and (chinese := _chinese_codec(data)):
            label = {"gbk": "GBK", "big5": "Big5"}[chinese]
            raise ArticleError(
                f"{name}: not UTF-8; it looks {label}-encoded: rerun with --encoding {chinese}"
            ) from None
        raise ArticleError(
            f"{name}: cannot decode the text as {encoding}; say which encoding with --encoding"
        ) from None


def read_article_text(path: str | Path | None = None, encoding: str = "utf-8") -> str:
    """Read and decode an article file (the course article by default)."""
    path = article_path() if path is None else Path(path)
    if not path.exists():
        raise ArticleError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder, not a file; give the article's .txt file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror})") from None
    return decode(data, str(path), encoding)


# Full-width ASCII look-alikes (，：（） ０-９ …) map to ASCII, as NFKC would; CJK marks that have
# no ASCII twin (、。《》“”——) stay as they are.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20})


def normalise(text: str) -> str:
    """Return NFC text with LF line ends and ASCII forms of full-width punctuation and digits."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return ascii_forms(unicodedata.normalize("NFC", text))


def ascii_forms(text: str) -> str:
    """Full-width punctuation and digits as ASCII (`，` → `,`), character for character."""
    return text.translate(_FULLWIDTH)


@dataclass
class Paragraph:
    """One paragraph of the body, with the section it belongs to (0 = before any heading)."""

    index: int
    section: int
    text: str
    kind: str = "paragraph"  # paragraph, title, lede, heading


@dataclass
class Section:
    """A section of the body: a heading like `他们是北京的一员——…` and its paragraphs."""

    number: int
    heading: str
    label: str
    kicker: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Article:
    """A parsed article: metadata, body paragraphs, and what was set aside as page chrome."""

    title: str = ""
    original_title: str = ""
    published: str = ""
    channel: str = ""
    reporter: str = ""
    editor: str = ""
    editor_code: str = ""
    caption: str = ""
    lede: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The body as text: title, lede, headings and paragraphs, one per line."""
        return "\n".join(p.text for p in self.paragraphs)

    def to_dict(self) -> dict:
        """Return the metadata and sections as plain data (for article.json)."""
        return {
            "title": self.title,
            "original_title": self.original_title,
            "published": self.published,
            "channel": self.channel,
            "reporter": self.reporter,
            "editor": self.editor,
            "editor_code": self.editor_code,
            "caption": self.caption,
            "lede": self.lede,
            "sections": [
                {
                    "number": s.number,
                    "heading": s.heading,
                    "label": s.label,
                    "kicker": s.kicker,
                    "paragraphs": s.paragraphs,
                }
                for s in self.sections
            ],
            "paragraph_count": sum(1 for p in self.paragraphs if p.kind == "paragraph"),
        }


_TIMESTAMP = re.compile(
    r"^(?P<y>\d{4})[年/-](?P<m>\d{1,2})[月/-](?P<d>\d{1,2})日?\s*"
    r"(?:(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?\s*(?P<channel>[^\s,。:]{0,8})$"
)
_EDITOR = re.compile(
    r"^责任编辑\s*[:：]\s*(?P<name>[^\sA-Za-z0-9]+(?:\s[^\sA-Za-z0-9]+)*)\s*(?P<code>[A-Za-z0-9]*)"
)
# No sentence punctuation or quotes: `“…”刘晓军对记者说。` is a quote, not a byline.
_BYLINE = re.compile(r"^[□■◇◆]?\s*(?P<outlets>[^。!?“”\"]*?)记者\s*(?P<names>[^。!?,:“”\"]+)$")
# A byline that opens the lede: `本报讯(记者 孟庆伟)…`, `(通讯员 郭丽娜)…`, or unbracketed
# `本报记者 宋平 通讯员 李晨 …`, where the names are the short words before the first long one.
# The outlet may stand before the first credit inside the brackets: `(河北日报记者 苏明远)`.
_CREDIT = r"(?:特约记者|记者|通讯员|实习生)"
_LEDE_BYLINE_PAREN = re.compile(
    rf"^(?:本报讯|[^\s()。,]{{1,12}}讯|[^\s()。,]{{1,20}}电)?\s*[(（]\s*"
    rf"(?:{HAN}{{2,12}}?(?={_CREDIT}))?(?P<credits>{_CREDIT}[^()（）。]{{1,40}})[)）]\s*"
)
_LEDE_BYLINE_PLAIN = re.compile(
    rf"^(?P<credits>本报(?:特约)?记者(?:\s*{_CREDIT}?\s*{HAN}{{2,4}}(?=\s))+)\s+"
)
_ORIGINAL_TITLE = re.compile(r"^原标题\s*[:：]\s*(?P<title>.+)$")
_HEADING = re.compile(r"^(?P<label>[^。!?,]{2,30}?)——(?P<kicker>[^—]{2,}.*)$")
_DOUBLED = re.compile(r"^(?P<one>.{8,}?)\s{2,}(?P=one)$")
_SHORT_CHROME = {"分享", "打印", "关闭", "收藏", "返回顶部", "0"}


def _names(raw: str) -> str:
    """Join a byline's names: `赵 建` is one name padded with a space, `赵建 李明` are two."""
    parts = [p for p in re.split(r"[\s、,]+", raw.strip()) if p]
    if parts and all(len(p) == 1 for p in parts):
        return "".join(parts)
    return "、".join(parts)


def _cut(line: str, m: re.Match[str], group: str) -> str:
    """A group of a match on the simplified line, as printed in the line."""
    return line[m.start(group) : m.end(group)]


def _credited(printed: str, plain: str) -> list[str]:
    """The groups of names in a credit (`记者 曹峰 通讯员 林静`), as printed."""
    groups, pos = [], 0
    for part in re.split(_CREDIT, plain):
        start = plain.index(part, pos)
        groups.append(_names(printed[start : start + len(part)]))
        pos = start + len(part)
    return groups


def _lede_byline(line: str, plain: str | None = None) -> tuple[str, str, str] | None:
    """Split a lede that opens with a byline into (names, the byline, the rest of the lede)."""
    plain = simplify(line) if plain is None else plain
    m = _LEDE_BYLINE_PAREN.match(plain) or _LEDE_BYLINE_PLAIN.match(plain)
    if m is None:
        return None
    start = m.start("credits") + (len("本报") if m["credits"].startswith("本报") else 0)
    credits = _credited(line[start : m.end("credits")], plain[start : m.end("credits")])
    return "、".join(g for g in credits if g), line[: m.end()].strip(), line[m.end() :]


def _is_heading(line: str) -> re.Match[str] | None:
    if line.startswith("——") or line.endswith(("。", "!", "?", ")", "”")):
        return None
    if len(line) > 60:
        return None
    return _HEADING.match(line)


def parse_article(text: str) -> Article:
    """Split an article into page chrome and body, and find its metadata and sections."""
    art = Article()
    lines = [ln.strip() for ln in normalise(text).split("\n")]
    section = 0
    seen_body = False
    in_related = False
    for line in lines:
        if not line:
            continue
        # Patterns are matched on the simplified spelling (責任編輯 reads as 责任编辑); what they
        # find is cut out of the line as printed.
        plain = simplify(line)
        if in_related:
            art.related.append(line.lstrip("•· ").strip())
            continue
        if plain in _SHORT_CHROME or line.startswith("•"):
            art.chrome.append(line)
            continue
        if plain.startswith(("相关阅读", "相关新闻")):
            in_related = True
            art.chrome.append(line)
            continue
        if m := _TIMESTAMP.match(plain):
            if not art.published:
                date = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
                art.published = f"{date}T{int(m['H']):02d}:{m['M']}" if m["H"] else date
                art.channel = _cut(line, m, "channel")
            art.chrome.append(line)
            continue
        if m := _EDITOR.match(plain):
            art.editor, art.editor_code = _names(_cut(line, m, "name")), m["code"]
            art.chrome.append(line)
            continue
        if m := _ORIGINAL_TITLE.match(plain):
            art.original_title = re.sub(r"\s+", " ", _cut(line, m, "title")).strip()
            art.chrome.append(line)
            continue
        if m := _DOUBLED.match(line):
            art.caption = m["one"].strip()
            art.chrome.append(line)
            continue
        if plain.endswith(("供图", "摄")) and not seen_body and not art.caption:
            art.caption = line
            art.chrome.append(line)
            continue
        if (alone := _lede_byline(line, plain)) and not alone[2]:
            art.reporter = art.reporter or alone[0]  # a line of its own: `(记者 刘杰 通讯员 孙丽)`
            art.chrome.append(line)
            continue
        if (m := _BYLINE.match(plain)) and len(line) < 60:
            # `河北日报记者 曹峰 通讯员 林静`: each credit word starts another group of names.
            groups = _credited(line[m.start("names") : m.end("names")], m["names"])
            art.reporter = "、".join(g for g in groups if g)
            art.chrome.append(line)
            continue
        if not art.title:
            art.title = line
            art.paragraphs.append(Paragraph(len(art.paragraphs), 0, line, "title"))
            continue
        seen_body = True
        if m := _is_heading(line):
            section += 1
            art.sections.append(Section(section, line, m["label"].strip(), m["kicker"].strip()))
            art.paragraphs.append(Paragraph(len(art.paragraphs), section, line, "heading"))
            continue
        kind = "paragraph"
        if not art.lede and (byline := _lede_byline(line, plain)):
            names, credit, line = byline
            art.reporter = art.reporter or names
            art.chrome.append(credit)  # the byline is page furniture, not a fact of the body
            if not line:
                continue
        if not art.lede:
            art.lede, kind = line, "lede"
        art.paragraphs.append(Paragraph(len(art.paragraphs), section, line, kind))
        if section:
            art.sections[section - 1].paragraphs.append(line)
    return art


def load_article(path: str | Path | None = None, encoding: str = "utf-8") -> Article:
    """Read and parse an article file (the course article by default)."""
    return parse_article(read_article_text(path, encoding))


_SENTENCE_END = re.compile(r"(?<=[。!?;])(?![”’\"])|(?<=[。!?][”’\"])")


def sentences(text: str) -> list[str]:
    """Split text into sentences at 。!? (keeping a closing quote with its sentence)."""
    out: list[str] = []
    for line in normalise(text).split("\n"):
        for part in _SENTENCE_END.split(line):
            if part.strip():
                out.append(part.strip())
    return out
