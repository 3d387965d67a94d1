"""Rebuild the course's bundled Chinese font, Secondment Sans CJK, from Debian's Noto Sans CJK SC.

Run from anywhere: ``python tools/build_font.py``. Rerun it whenever a notebook, exercise,
dataset or guide gains a character the font lacks (``tests/test_style.py`` says so when it
happens). The output is byte-for-byte reproducible from the same source font and text files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "src" / "secondment" / "fonts"
OUTPUT = FONT_DIR / "SecondmentSansCJK-Regular.otf"
LICENSE = FONT_DIR / "LICENSE-OFL.txt"

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# The .ttc holds JP, KR, SC, TC, HK (then the Mono faces); only the SC face has the
# mainland glyph shapes and cmap, so the index is checked against the name table below.
SOURCE_FACE = 2
SOURCE_FAMILY = "Noto Sans CJK SC"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")

FAMILY = "Secondment Sans CJK"
POSTSCRIPT_NAME = "SecondmentSansCJK-Regular"
MAX_BYTES = 3_000_000

# Text the course shows to students; charts draw their labels from these.
TEXT_GLOBS = (
    "datasets/*.txt",
    "datasets/*.csv",
    "datasets/*.md",
    "datasets/*.json",
    "notebooks/*.ipynb",
    "exercises/**/*.ipynb",
    "instructors/*.md",
    "README.md",
    "src/secondment/**/*.py",
    # The Chinese edition: its notebooks and pages, and the self-checks' Chinese hints.
    "zh-CN/**/*.ipynb",
    "zh-CN/*.md",
    "src/secondment/checks/*.json",
    "translations/**/*.po",
)

# Upstream's LICENSE names 'Source' as Reserved Font Name; the renamed subset does not use it.
COPYRIGHT_LINE = (
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
)


def gb2312_level1() -> list[str]:
    """The 3,755 level-1 hanzi of GB 2312, from Python's own codec (no download)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for col in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, col)).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # 0xD7FA-0xD7FE are unassigned
    return chars


def gb2312_rows(*rows: int) -> list[str]:
    """Every assigned character in the given GB 2312 rows (0xA1 symbols, 0xA3 full-width...)."""
    chars = []
    for row in rows:
        for col in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, col)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def base_characters() -> set[str]:
    """Hanzi, ASCII, Chinese punctuation and the symbols a Chinese chart label may use."""
    chars = set(gb2312_level1())
    chars.update(chr(c) for c in range(0x20, 0x7F))  # ASCII printable
    chars.update(chr(c) for c in range(0xA0, 0x100))  # Latin-1: ×, ·, °, é ...
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
    chars.update(chr(c) for c in range(0xFFE0, 0xFFE7))  # full-width ￥ ￡ ￠ ...
    chars.update(chr(c) for c in range(0x2010, 0x2028))  # dashes, quotes, …, ·, •
    chars.update("‰′″※−")  # per mille, primes, reference mark, minus sign
    # Rows 1, 3 and 8 of GB 2312: symbols, full-width ASCII, pinyin with tones and bopomofo,
    # so glosses like "guàzhí" stay in one typeface.
    chars.update(gb2312_rows(0xA1, 0xA3, 0xA8))
    return chars


def course_text_files(root: Path = ROOT) -> list[Path]:
    """The course's text files that exist now, in a stable order."""
    found = {path for pattern in TEXT_GLOBS for path in root.glob(pattern) if path.is_file()}
    return sorted(found)


def _json_strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _json_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _json_strings(item)


def file_characters(path: Path) -> set[str]:
    """Characters a reader can see in one file; notebooks are read through their JSON."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in {".ipynb", ".json"}:
        # Parsing undoes \\uXXXX escapes, which a raw read would miss.
        text = "".join(_json_strings(json.loads(text)))
    return {ch for ch in text if not unicodedata.category(ch).startswith("C")}


def collect_characters(files: Iterable[Path]) -> tuple[set[str], list[str]]:
    """Every character of the course files, and notes on files that could not be read."""
    chars: set[str] = set()
    notes = []
    for path in files:
        try:
            chars |= file_characters(path)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            # A deliberately mis-encoded fixture must not stop the build.
            notes.append(f"skipped {path.relative_to(ROOT)}: {exc.__class__.__name__}")
    return chars, notes


def check_source(source: Path, face: int) -> None:
    """Fail early and clearly when the source font is absent or the face is not SC."""
    if not source.is_file():
        sys.exit(f"error: {source} not found; install it with `apt-get install fonts-noto-cjk`")
    family = TTFont(source, fontNumber=face, lazy=True)["name"].getDebugName(1)
    if family != SOURCE_FAMILY:
        sys.exit(f"error: face {face} of {source} is {family!r}, expected {SOURCE_FAMILY!r}")


def rename(font: TTFont) -> None:
    """Give the subset its own family so it never clashes with an installed Noto Sans CJK."""
    name = font["name"]
    version = name.getDebugName(5) or "Version 2.004"
    new = {
        1: FAMILY,
        2: "Regular",
        3: f"{font['head'].fontRevision:.3f};SECONDMENT;{POSTSCRIPT_NAME}",
        4: FAMILY,
        5: f"{version}; subset of {SOURCE_FAMILY}",
        6: POSTSCRIPT_NAME,
        16: FAMILY,
        17: "Regular",
    }
    for record in list(name.names):
        if record.nameID in new or record.nameID == 7:
            # ID 7 is Google's trademark notice for the name Noto, which the subset no longer uses.
            name.removeNames(nameID=record.nameID, langID=record.langID)
    for name_id, text in new.items():
        name.setName(text, name_id, 3, 1, 0x409)
    name.setName(FAMILY, 1, 3, 1, 0x804)  # the source had a zh-CN family name too
    name.setName(FAMILY, 4, 3, 1, 0x804)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))

    cff = font["CFF "].cff
    old_ps = cff.fontNames[0]
    cff.fontNames[0] = POSTSCRIPT_NAME
    top = cff.topDictIndex[0]
    top.FamilyName = FAMILY
    top.FullName = f"{FAMILY} Regular"
    for fd in getattr(top, "FDArray", []):
        fd.FontName = fd.FontName.replace(old_ps, POSTSCRIPT_NAME)


def build(source: Path, face: int, output: Path) -> tuple[int, int, list[str]]:
    """Subset, rename and write the font; return (characters mapped, glyphs, notes)."""
    from_files, notes = collect_characters(course_text_files())

    options = subset.Options()
    options.font_number = face
    options.layout_features = ["*"]  # vertical forms, locl, kerning: keep them all
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(source), options)
    created, modified = font["head"].created, font["head"].modified

    cmap = font.getBestCmap()
    # Gaps in the generic ranges are expected; gaps in the course's own text are worth a note.
    absent = sorted(ch for ch in from_files if ord(ch) not in cmap)
    if absent:
        shown = " ".join(f"{ch} U+{ord(ch):04X}" for ch in absent[:20])
        notes.append(f"{len(absent)} characters of the course have no glyph in the source: {shown}")
    present = sorted(ord(ch) for ch in base_characters() | from_files if ord(ch) in cmap)

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    rename(font)
    # Pin the timestamps to the source's, so rebuilding gives the same bytes.
    font["head"].created = created
    font["head"].modified = modified

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    subset.save_font(font, str(tmp), options)
    os.replace(tmp, output)
    return len(font.getBestCmap()), len(font.getGlyphOrder()), notes


def write_license(target: Path) -> None:
    """Copy the SIL OFL 1.1 text from Debian's copyright file, headed by the font's copyright."""
    lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
    # The stand-alone licence stanza, not the one-line reference in the "Files: *" stanza.
    start = next(
        i + 1
        for i, line in enumerate(lines[:-1])
        if line == "License: SIL-1.1" and lines[i + 1].startswith(" ")
    )
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        # Debian control format: one leading space; a lone " ." is an empty line.
        body.append("" if line == " ." else line[1:])
    if "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" not in "\n".join(body):
        sys.exit(f"error: no full OFL 1.1 text found in {DEBIAN_COPYRIGHT}")
    header = [
        COPYRIGHT_LINE,
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "This license is copied below, and is also available with a FAQ at:",
        "https://openfontlicense.org",
        "",
        "",
    ]
    target.write_text("\n".join(header + body).rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build the font and licence file, then print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="Noto Sans CJK .ttc")
    parser.add_argument("--face", type=int, default=SOURCE_FACE, help="face index of SC")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    check_source(args.source, args.face)
    characters, glyphs, notes = build(args.source, args.face, args.output)
    write_license(args.output.parent / LICENSE.name)
    elapsed = time.perf_counter() - started

    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    size = args.output.stat().st_size
    print(
        f"{args.output.name}: {characters} characters, {glyphs} glyphs, "
        f"{size / 1e6:.2f} MB, built in {elapsed:.1f} s"
    )
    if size > MAX_BYTES:
        print(f"error: {size} bytes is over the {MAX_BYTES} byte budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
