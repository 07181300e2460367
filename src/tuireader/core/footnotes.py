"""Footnote conventions: where markers are in running text, and where notes are defined.

Markers recognised in running text:
  * Unicode superscript digits: ``peace.¹``, ``Ankara.³³``, ``¹,²``
  * bracketed numbers: ``[1]``, ``[1, 2]``, ``[3-5]`` (not ``[sic]``, ``[2021]``,
    ``a[0]``, ``[1](#x)`` links, ``[text][1]`` reference links)
  * Markdown ``[^label]``
  * reStructuredText ``[1]_``, ``[#]_``, ``[#name]_``, ``[*]_``
  * HTML ``<sup>1</sup>`` (with or without an inner ``<a>``)

Definitions:
  * anywhere: Markdown ``[^label]: text`` (indented continuation paragraphs),
    reStructuredText ``.. [1] text`` (indented continuation)
  * in the notes area at the end of a document: lines starting with a
    superscript number (``¹ text``), a bracketed number (``[1] text``), or,
    under a "Notes"/"References"/"Sources"… heading, a plain number (``1. text``);
    each entry runs over lines and blank lines until the next label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def superscript_to_ascii(text: str) -> str:
    return text.translate(_SUP_TO_ASCII)


@dataclass(slots=True)
class Marker:
    start: int
    end: int
    label: str  # what the reader sees, e.g. "13" or "note-a"
    keys: list[str]  # footnote keys it cites (several for "[1, 2]")
    kind: str


# ---------------------------------------------------------------- markers
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:,[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_CARET = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_RST = re.compile(r"\[(\d{1,4}|#[\w-]*|\*)\]_(?![\w])")
_HTML_SUP = re.compile(r"<sup\b[^>]*>\s*(?:<a\b[^>]*>\s*)?\[?([\w-]{1,12})\]?\s*(?:</a>\s*)?</sup>", re.IGNORECASE)
# A bracketed number: not glued to an identifier (a[0]), not a reference link
# ([text][1]), not a link text ([1](#x)), not a definition ([1]:), 1-3 digits
# so that years ([2021]) are left alone.  The look behind comes after the "[" (two characters
# back): first in the pattern, it would keep re from skipping ahead to the next "[" (7x slower).
_BRACKET = re.compile(r"\[(?<![\w\]\[!^\\]\[)(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\](?![(\[:_\w])")

_UNITS = frozenset("m cm mm km nm µm μm ft in mi yd s ms sq kg g mg l ml m2 km2 sec".split())
_MATH_AFTER = re.compile(r"\s*(?:[+\-−=×*/^·÷<>≤≥]\s*[\w(]|[⁺⁻⁼⁽⁾])")


def _is_math_superscript(text: str, start: int, end: int) -> bool:
    """True when a superscript run is an exponent (x², 10³, km², (a+b)²), not a note."""
    if text[start] == "⁰":
        return True
    if _MATH_AFTER.match(text, end):
        return True
    if start == 0:
        return False
    prev = text[start - 1]
    if prev in "^⁺⁻⁼⁽⁾":
        return True
    if prev.isdigit():
        # A year may carry a note ("in 2020³"); any other number takes an exponent.
        j = start
        while j > 0 and text[j - 1].isdigit():
            j -= 1
        return (start - j) != 4
    if prev.isalpha():
        j = start
        while j > 0 and (text[j - 1].isalpha()):
            j -= 1
        word = text[j:start]
        if j > 0 and text[j - 1] in "+-−=*/^(":
            return True
        return len(word) == 1 or word in _UNITS
    if prev == ")":
        opening = text.rfind("(", max(0, start - 80), start)
        return opening >= 0 and bool(re.search(r"[+\-−=*/^]", text[opening:start]))
    return False


def _expand_numbers(spec: str) -> list[str] | None:
    keys: list[str] = []
    for part in re.split(r"\s*,\s*", spec):
        if not part:
            return None
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 1:
            keys.append(str(int(bounds[0])))
        elif len(bounds) == 2:
            lo, hi = int(bounds[0]), int(bounds[1])
            if not 0 < lo < hi or hi - lo > 20:
                return None
            keys.extend(str(n) for n in range(lo, hi + 1))
        else:
            return None
    if any(k == "0" for k in keys):
        return None
    return keys


def find_markers(text: str, protected: list[tuple[int, int]]) -> list[Marker]:
    """Footnote markers in ``text``, outside the ``protected`` ranges (code, URLs)."""
    found: list[Marker] = []

    def free(a: int, b: int) -> bool:
        return not any(a < pe and ps < b for ps, pe in protected)

    for m in _CARET.finditer(text):
        if free(m.start(), m.end()):
            found.append(Marker(m.start(), m.end(), m.group(1), ["^" + m.group(1)], "markdown"))
    for m in _RST.finditer(text):
        if free(m.start(), m.end()):
            label = m.group(1)
            found.append(Marker(m.start(), m.end(), label, ["rst:" + label if not label.isdigit() else label], "rst"))
    for m in _HTML_SUP.finditer(text):
        if free(m.start(), m.end()):
            label = m.group(1)
            key = str(int(label)) if label.isdigit() else label
            found.append(Marker(m.start(), m.end(), key, [key], "html"))
    for m in _BRACKET.finditer(text):
        if not free(m.start(), m.end()):
            continue
        keys = _expand_numbers(m.group(1))
        if keys:
            found.append(Marker(m.start(), m.end(), m.group(1).replace(" ", ""), keys, "bracket"))
    for m in _SUP_RUN.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if _is_math_superscript(text, m.start(), m.end()):
            continue
        keys = [str(int(superscript_to_ascii(p))) for p in m.group().split(",")]
        found.append(Marker(m.start(), m.end(), ",".join(keys), keys, "superscript"))
    found.sort(key=lambda mk: mk.start)
    # Drop overlaps (an HTML <sup>[1]</sup> also contains a bracket match).
    result: list[Marker] = []
    for mk in found:
        if result and mk.start < result[-1].end:
            continue
        result.append(mk)
    return result


# ------------------------------------------------------------ definitions
CARET_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
RST_DEF = re.compile(r"^ {0,3}\.\.[ \t]+\[(\d{1,4}|#[\w-]*|\*)\](?:[ \t]+|$)")
LINKREF_DEF = re.compile(r"^ {0,3}\[(\d{1,4})\]:[ \t]+(?=\S)")
SUP_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?([¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)(?![⁰¹²³⁴⁵⁶⁷⁸⁹])[ \t.:)]*")
BRACKET_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?\[(\d{1,4})\]:?(?:[ \t]+|$)")
NUMBER_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?(\d{1,4})[.)][ \t]+(?=\S)")
NOTES_HEADING = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?:(?:end|foot)?notes?|references?|sources?|citations?|bibliography|works[ \t]+cited)"
    r"[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)


def end_area_definition(line: str, *, under_notes_heading: bool) -> tuple[str, int] | None:
    """``(key, label_end)`` if ``line`` opens an entry of a numbered notes list."""
    m = SUP_DEF.match(line)
    if m:
        return str(int(superscript_to_ascii(m.group(1)))), m.end()
    m = BRACKET_DEF.match(line)
    if m and int(m.group(1)) > 0:
        return str(int(m.group(1))), m.end()
    if under_notes_heading:
        m = NUMBER_DEF.match(line)
        if m and int(m.group(1)) > 0:
            return str(int(m.group(1))), m.end()
    return None


def note_key_order(key: str) -> int:
    return int(key) if key.isdigit() else -1


# ------------------------------------------------------------------ URLs
_MD_LINK_URL = re.compile(r"\[[^\]\n]*\]\(\s*<?((?:https?://|www\.)[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
# Not after a word character, slash or @: looked behind after the first letter, as _BRACKET.
_BARE_URL = re.compile(r"(?:h(?<![\w/@]h)ttps?://|w(?<![\w/@]w)ww\.)[^\s<>\"“”‘’'`\[\]{}|\\^]+")
_TRAILING = ".,;:!?*'\"”’»"


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING + ")":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def find_urls(text: str) -> list[tuple[str, int, int]]:
    """``(url, start, end)`` for every URL in ``text``: Markdown links, ``<…>`` and bare."""
    spans: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(url: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        if url.startswith("www."):
            url = "http://" + url
        spans.append((url, start, end))

    for m in _MD_LINK_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
        taken.append((m.start(), m.end()))
    for m in _ANGLE_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
    for m in _BARE_URL.finditer(text):
        url = _trim_url(m.group())
        if len(url) > len("https://"):
            add(url, m.start(), m.start() + len(url))
    spans.sort(key=lambda s: s[1])
    return spans
