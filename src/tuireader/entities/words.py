"""What the rules share: word lists that end or make a name, and how text is cut into words.

A name token is a capitalised word (every hyphen part capitalised); a run of them, read
left or right from a cue word, is what the person, organisation and place rules turn into
candidate spans (``Candidate``), which the extractor resolves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

WORD_CHARS = re.compile(r"[\w]")
TOKEN = re.compile(r"[^\W\d_][\w’'.-]*[\w]|[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?:\"'”’)]\s*$")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    canonical: str
    type: str
    rule: str
    priority: int


ORG_CUES = frozenset(
    {
        "Organization",
        "Organisation",
        "Council",
        "Ministry",
        "Forces",
        "Party",
        "Army",
        "Units",
        "Coalition",
        "Agency",
        "Union",
        "Committee",
        "Parliament",
        "Department",
        "Government",
        "Front",
        "Movement",
        "Brigade",
        "Brigades",
        "Corps",
        "Commission",
        "Assembly",
        "Federation",
        "League",
        "Bank",
        "Fund",
        "Institute",
        "Court",
        "Bureau",
        "Authority",
        "Board",
        "Society",
        "Alliance",
        "Service",
        "Services",
        "Office",
        "Guard",
        "Police",
        "Cabinet",
        "Senate",
        "Congress",
        # company and other organisation suffixes: "Barrick Gold Corp", "Newmont Mining Corp"
        "Corp",
        "Corporation",
        "Inc",
        "Ltd",
        "Limited",
        "plc",
        "Plc",
        "PLC",
        "Co",
        "AG",
        "SA",
        "NV",
        "GmbH",
        "SpA",
        "Group",
        "Holdings",
        "Bancorp",
        "Industries",
        "Airlines",
        "Airways",
        "Motors",
        "Association",
        "Foundation",
        "Exchange",
        "Securities",
        "Trust",
        "Partners",
        "Technologies",
        "Communications",
        "Petroleum",
        "Insurance",
        "Investments",
        "University",
        "College",
        "Club",
        # the names of newspapers: "New York Times", "Washington Post"
        "Times",
        "Post",
        "Journal",
        "Herald",
        "Tribune",
        "Gazette",
    }
)
PLACE_CUES = frozenset(
    {
        "Province",
        "Governorate",
        "District",
        "Region",
        "Oblast",
        "Prefecture",
        "County",
        "Republic",
        "Street",
        "Avenue",
        "Square",
        "River",
        "Island",
        "Islands",
        "Valley",
        "Mountains",
        "Strait",
        "Peninsula",
    }
)
NOT_NAMES = {
    "The",
    "A",
    "An",
    "And",
    "Or",
    "But",
    "In",
    "On",
    "At",
    "Of",
    "For",
    "To",
    "By",
    "With",
    "From",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
}


def after_word(text: str, start: int, not_after: str = "") -> bool:
    """Whether ``text[start]`` follows a word character (or one of ``not_after``)."""
    return start > 0 and (WORD_CHARS.match(text, start - 1) is not None or text[start - 1] in not_after)


def after_boundary(pattern: re.Pattern[str], text: str, not_after: str = "") -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for matches not right after a word character (nor one of ``not_after``).

    The same matches as the pattern with ``(?<![\\w...])`` in front: a refused place is
    passed by one character, not by the whole match, so a match inside it is still found.
    """
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if after_word(text, start, not_after):
            pos = start + 1
            continue
        yield m
        pos = max(m.end(), start + 1)


def is_name_token(tok: str) -> bool:
    """Capitalised in every hyphen part: ``Kassym-Jomart`` yes, ``Russian-led`` no."""
    if "-" not in tok and "‐" not in tok:  # the common case, without a regex
        return bool(tok) and tok[0].isupper() and tok not in NOT_NAMES
    parts = [p for p in re.split(r"[-‐]", tok) if p]
    return bool(parts) and all(p[0].isupper() for p in parts) and tok not in NOT_NAMES


def strip_possessive(tok: str) -> tuple[str, bool]:
    if "'" not in tok and "’" not in tok:
        return tok, False
    for suffix in ("’s", "'s", "’", "'"):
        if tok.endswith(suffix) and len(tok) > len(suffix):
            return tok[: -len(suffix)], True
    return tok, False


def sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return start == 0 or not before.strip() or bool(_SENTENCE_END.search(before))
