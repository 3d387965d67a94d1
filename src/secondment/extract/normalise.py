"""Step 1, normalise: one form of the text to match on, the same length as the text as written.

Full-width punctuation and digits become ASCII (`，` → `,`) and traditional characters become
simplified (`掛任` → `挂任`, `廳` → `厅`) with OpenCC, character for character. The later steps
match patterns on this form and cut every field they report out of the text as written at the
same positions, so a report printed in traditional characters gives `孫學軍` and `環保廳總工程師`,
not their simplified spellings.
"""

from __future__ import annotations

from secondment.article import ascii_forms
from secondment.script import simplify

__all__ = ["normalise", "simplify"]


def normalise(text: str) -> str:
    """The text to match on: ASCII punctuation and digits, simplified characters, same length.

    Unlike `article.normalise`, which also mends line ends and composes characters (NFC) when a
    file is read, this changes no character's position.
    """
    return simplify(ascii_forms(text))
