"""Numbers as written in Chinese text: `60`, `1,000`, `2.5`, `两`, `三百五十`, `1.5万`."""

from __future__ import annotations

import re

__all__ = ["CN_NUMERAL", "chinese_number", "parse_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]"


def chinese_number(text: str) -> int:
    """Convert a Chinese numeral such as 两, 十二, 三百五十 or 一万二千 to an int."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, section, digit, last_unit = 0, 0, None, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            if ch in "零〇":
                last_unit = 0  # 一百零五: the 五 is units again
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit, last_unit = None, _UNITS[ch]
        else:
            section += digit or 0
            total += (section or 1) * _BIG[ch]
            section, digit, last_unit = 0, None, _BIG[ch]
    if digit is not None and last_unit >= 100:
        digit *= last_unit // 10  # 三百五 is 350, 两万三 is 23000
    return total + section + (digit or 0)


def parse_number(text: str) -> float | int:
    """Convert `60`, `1,000`, `2.5` or a Chinese numeral (`两`, `百`) to a number."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿])", text)
    if m:
        value = float(m[1]) * _BIG[m[2]]
        return int(value) if value.is_integer() else value
    return chinese_number(text)
