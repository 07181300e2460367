"""Folding words for search: case, accents and compatibility forms.

A user types ``erdogan`` for "Erdoğan", ``turkiye`` for "Türkiye", ``cafe`` for
"café", and copies "ﬁnance" out of a PDF: words are indexed and queried folded
(compatibility decomposition, combining marks dropped, case folded), while the
stored text and the character offsets stay the document's, so hits are
highlighted on the original characters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that carry their mark in the letter itself, so decomposition leaves them alone.
_STROKED = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
    }
)


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """``word`` case-folded, without accents, in compatibility form: what search compares."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(_STROKED))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()
