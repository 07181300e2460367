"""Footnote conventions: where markers are in running text, and where notes are defined.

Markers recognised in running text:
  * Unicode superscript digits: ``peace.¹``, ``Ankara.³³``, ``¹,²``
  * bracketed numbers: ``[1]``, ``[1, 2]``, ``[3-5]`` (not ``[sic]``, ``[2021]``,
    ``a[0]``, ``[1](#x)`` links, ``[text][1]`` reference links)
  * Markdown ``[^label]``
  * reStructuredText ``[1]_``, ``[#]_``, ``[#name]_``, ``[*]_``
  * HTML ``<sup>1</sup>`` (with or without an inner ``<a>``)
  * when the document defines them: numbers glued to a word (``ants[16]``) or of 4-6
    digits (``[1024]``), named and lettered labels (``[note 3]``, ``[Tn 1]``, ``[a]``),
    Project Gutenberg's ``[A]`` and ``[*]``

Definitions:
  * anywhere: Markdown ``[^label]: text`` (indented continuation paragraphs),
    reStructuredText ``.. [1] text`` (indented continuation)
  * in the notes area at the end of a document: lines starting with a
    superscript number (``¹ text``), a bracketed number (``[1] text``), or,
    under a "Notes"/"References"/"Sources"… heading, a plain number (``1. text``);
    named and lettered entries (``notes_entry``); each entry runs over lines and blank
    lines until the next label (where it ends otherwise is decided in parse.py).
  * Project Gutenberg's ``[Footnote 1: …]`` blocks are found in parse.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mapped import MappedText
from .model import Block, Footnote, ParseWarning
from .spans import SpanSet

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
# No "[" inside the label: "[^[^[^…" would otherwise scan to the end from every "[^".
_CARET = re.compile(r"\[\^([^\[\]\s]+)\](?!:)")
_RST = re.compile(r"\[(\d{1,4}|#[\w-]*|\*)\]_(?![\w])")
_HTML_SUP = re.compile(r"<sup\b[^<>]*>\s*(?:<a\b[^<>]*>\s*)?\[?([\w-]{1,12})\]?\s*(?:</a>\s*)?</sup>", re.IGNORECASE)
# A bracketed number: not glued to an identifier (a[0]), not a reference link
# ([text][1]), not a link text ([1](#x)), not a definition ([1]:), 1-3 digits
# so that years ([2021]) are left alone.  The look behind comes after the "[" (two characters
# back): first in the pattern, it would keep re from skipping ahead to the next "[" (7x slower).
_BRACKET = re.compile(r"\[(?<![\w\]\[!^\\]\[)(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\](?![(\[:_\w])")
# The same, glued to a word (``ants[16]``) or of up to six digits (``[1000]``, ``[2021]``): a
# marker only when the document defines every note it names, since ``a[0]`` or a year in
# brackets reads the same way.  Decided by the definitions, not by the character before.
_DEFINED_NUMBERS = r"\d{1,6}(?:\s*[,–-]\s*\d{1,6})*"
_BRACKET_DEFINED = re.compile(r"\[(?<![\]\[!^\\]\[)(" + _DEFINED_NUMBERS + r")\](?![(\[:_\w])")
# Named labels: ``[note 3]``, ``[n 3]``, ``[Tn 1]``, ``[a]``, ``[ab]`` — markers only when defined.
_NAMED = r"(?:note|n|tn|fn)[ \t]?\d{1,4}|[a-z]{1,2}|\*{1,3}"
_BRACKET_NAMED = re.compile(r"\[(?<![\]\[!^\\]\[)(" + _NAMED + r")\](?![(\[:_\w])", re.IGNORECASE)

# Markers side by side, ``[1][2]`` or ``[a][3]`` (a Wikipedia clip cites so): each bracket on
# its own would look like a reference link's halves, so as a run they count only when the
# document defines every note the run names.
_BRACKET_RUN = re.compile(r"\[(?<![\]\[!^\\]\[)[^\[\]\n]{1,12}\](?:\[[^\[\]\n]{1,12}\])+(?![(\[:_\w])")
_RUN_PART = re.compile(r"\[([^\[\]\n]{1,12})\]")
_NAMED_LABEL = re.compile(_NAMED, re.IGNORECASE)
_NUMBERS = re.compile(_DEFINED_NUMBERS)


def _run_markers(m: re.Match[str], defined: frozenset[str]) -> list[Marker]:
    """The markers of a run of brackets side by side, or none unless every one names defined notes."""
    markers = []
    for part in _RUN_PART.finditer(m.string, m.start(), m.end()):
        label = part.group(1)
        if _NUMBERS.fullmatch(label):
            keys, kind = _expand_numbers(label), "bracket"
            label = label.replace(" ", "")
        elif _NAMED_LABEL.fullmatch(label):
            keys, kind = [named_key(label)], "named"
        else:
            return []
        if not keys or not all(k in defined for k in keys):
            return []
        markers.append(Marker(part.start(), part.end(), label, keys, kind))
    return markers


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
    if spec.isdecimal():  # one number (nearly every marker): what the splits below give for it
        key = str(int(spec))
        return None if key == "0" else [key]
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


def named_key(label: str) -> str:
    """The key of a named note label: ``note 3`` / ``Note3`` -> ``note:3``, ``a`` -> ``a``."""
    m = re.fullmatch(r"(?i)(note|n|tn|fn)[ \t]?(\d{1,4})", label.strip())
    if m:
        prefix = m.group(1).lower()
        return ("note" if prefix in ("n", "note") else prefix) + ":" + str(int(m.group(2)))
    return label.strip().lower()


def find_markers(text: str, protected: list[tuple[int, int]], *, defined: frozenset[str] | None = None) -> list[Marker]:
    """Footnote markers in ``text``, outside the ``protected`` ranges (code, URLs).

    ``defined``: the note keys the document defines.  Given, a bracketed number glued to a
    word or longer than three digits, and a named label (``[note 3]``, ``[a]``), is a
    marker when it names defined notes; not given, only the unambiguous forms count.
    """
    found: list[Marker] = []
    taken = SpanSet(protected)

    def free(a: int, b: int) -> bool:
        return not taken.overlaps(a, b)

    # each pattern only where what it starts with occurs: most paragraphs have no "[" or "<"
    bracket = "[" in text
    for m in _CARET.finditer(text) if "[^" in text else ():
        if free(m.start(), m.end()):
            found.append(Marker(m.start(), m.end(), m.group(1), ["^" + m.group(1)], "markdown"))
    for m in _RST.finditer(text) if "]_" in text else ():
        if free(m.start(), m.end()):
            label = m.group(1)
            found.append(Marker(m.start(), m.end(), label, ["rst:" + label if not label.isdigit() else label], "rst"))
    for m in _HTML_SUP.finditer(text) if "<" in text else ():
        if free(m.start(), m.end()):
            label = m.group(1)
            key = str(int(label)) if label.isdigit() else label
            found.append(Marker(m.start(), m.end(), key, [key], "html"))
    for m in _BRACKET.finditer(text) if bracket else ():
        if not free(m.start(), m.end()):
            continue
        keys = _expand_numbers(m.group(1))
        if keys:
            found.append(Marker(m.start(), m.end(), m.group(1).replace(" ", ""), keys, "bracket"))
    if defined and bracket:
        plain = {mk.start for mk in found}
        for m in _BRACKET_DEFINED.finditer(text):
            if m.start() in plain or not free(m.start(), m.end()):
                continue
            keys = _expand_numbers(m.group(1))
            if keys and all(k in defined for k in keys):
                found.append(Marker(m.start(), m.end(), m.group(1).replace(" ", ""), keys, "bracket"))
        for m in _BRACKET_NAMED.finditer(text):
            key = named_key(m.group(1))
            if key in defined and free(m.start(), m.end()):
                found.append(Marker(m.start(), m.end(), m.group(1), [key], "named"))
        for m in _BRACKET_RUN.finditer(text) if "][" in text else ():
            if free(m.start(), m.end()):
                found.extend(_run_markers(m, defined))
    url_ends = {e for _, e in protected}
    for m in () if text.isascii() else _SUP_RUN.finditer(text):
        if not free(m.start(), m.end()):
            continue
        # right after a URL or code span it cannot be an exponent of the word before
        if m.start() not in url_ends and _is_math_superscript(text, m.start(), m.end()):
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


def marker_pieces(refs: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """How each marker of a block is written, as ``(separator, label)``, for refs given as
    ``(label, at, source_offset)`` in reading order.

    Markers at one place must not read as one number: ``[2, 3]`` is two notes, so the
    second gets the separator ``","`` ("2,3", never "23").  A range of one marker
    (``[3-5]``: notes 3, 4 and 5 at one place) is written "3-5": the second note carries
    the dash and any further middle ones an empty label; the last its number.
    """
    pieces: list[tuple[str, str]] = []
    i = 0
    while i < len(refs):
        j = i + 1
        while j < len(refs) and refs[j][1] == refs[i][1] and refs[j][2] == refs[i][2]:
            j += 1
        labels = [r[0] for r in refs[i:j]]
        after_another = bool(pieces) and refs[i - 1][1] == refs[i][1]
        first_sep = "," if after_another else ""
        if len(labels) >= 3 and all(x.isascii() and x.isdigit() for x in labels) and _consecutive(labels):
            pieces.append((first_sep, labels[0]))
            pieces.append(("-", ""))
            pieces.extend(("", "") for _ in labels[2:-1])
            pieces.append(("", labels[-1]))
        else:
            pieces.append((first_sep, labels[0]))
            pieces.extend((",", x) for x in labels[1:])
        i = j
    return pieces


def _consecutive(labels: list[str]) -> bool:
    numbers = [int(x) for x in labels]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


# ------------------------------------------------------------ definitions
CARET_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
RST_DEF = re.compile(r"^ {0,3}\.\.[ \t]+\[(\d{1,4}|#[\w-]*|\*)\](?:[ \t]+|$)")
LINKREF_DEF = re.compile(r"^ {0,3}\[(\d{1,4})\]:[ \t]+(?=\S)")
SUP_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?([¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)(?![⁰¹²³⁴⁵⁶⁷⁸⁹])[ \t.:)]*")
BRACKET_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?\[(\d{1,6})\]:?(?:[ \t]+|$)")
NUMBER_DEF = re.compile(r"^[ \t]{0,3}(?:[-*•][ \t]+)?(\d{1,4})[.)][ \t]+(?=\S)")
NOTES_HEADING = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?:(?:end|foot|explanatory[ \t]+|translator'?s?[ \t]+)?notes?|references?|sources?|citations?|bibliography"
    r"|works[ \t]+cited|literature[ \t]+cited)"
    # "Notes and references", "Sources and notes", "References & further reading"
    r"(?:[ \t]+(?:and|&)[ \t]+(?:notes?|references?|sources?|citations?|further[ \t]+reading))?"
    # a Wikipedia copy's "[edit]" link, a closing colon, bold markers
    r"[ \t]*(?:\[[ \t]*edit[ \t]*\])?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*(?:#+[ \t]*)?$",
    re.IGNORECASE,
)
# Named entries of a notes list: "[note 3] …", "[Tn 1] …", "[a] …"; and, under a notes
# heading, "a. …", "Tn 1. …", "Note 3: …".
_NAMED_BRACKET_DEF = re.compile(
    r"^[ \t]{0,3}(?:[-*•][ \t]+)?\[((?:note|n|tn|fn)[ \t]?\d{1,4}|[a-z]{1,2})\]:?(?:[ \t]+|$)", re.IGNORECASE
)
_NAMED_PLAIN_DEF = re.compile(
    r"^[ \t]{0,3}(?:[-*•][ \t]+)?((?:note|tn|fn)[ \t]?\d{1,4}|[a-z]{1,2})(?:[.):]|[ \t]+\^)[ \t]+(?=\S)",
    re.IGNORECASE,
)
# The back-links at the start of a note copied from Wikipedia: "^", "↑", "Jump up to: a b c".
_BACKLINKS = re.compile(r"[ \t]*(?:\^|↑)[ \t]*(?:Jump up to:[ \t]*)?(?:a(?:[ \t]+[b-z])+[ \t]+)?")


@dataclass(frozen=True, slots=True)
class NotesEntry:
    """The opening line of an entry of a notes list."""

    series: str  # "number", "letter", or a named prefix ("note", "tn", "fn")
    order: int  # its place in the series: 3 for "3.", "[note 3]", "c."
    label: str  # as written: "3", "note 3", "c"
    label_end: int  # where the note's text starts in the line


def _letter_order(label: str) -> int:
    label = label.lower()
    order = 0
    for ch in label:
        order = order * 26 + (ord(ch) - 96)
    return order


def notes_entry(line: str, *, under_notes_heading: bool) -> NotesEntry | None:
    """The entry a line opens in a notes list at the end, if any (every form of
    ``end_area_definition``, and named and lettered labels)."""
    found = end_area_definition(line, under_notes_heading=under_notes_heading)
    if found:
        return NotesEntry("number", int(found[0]), found[0], _after_backlinks(line, found[1]))
    m = _NAMED_BRACKET_DEF.match(line) if "[" in line[:8] else None  # most lines: no regex
    if m is None and under_notes_heading:
        m = _NAMED_PLAIN_DEF.match(line)
        if m and m.group(1).isalpha() and (len(m.group(1)) == 2 or not m.group(1).islower()):
            m = None  # "On. …", "In: …" are words, "A. Smith, …" an initial
    if m is None:
        return None
    label = m.group(1)
    key = named_key(label)
    if ":" in key:
        series, number = key.split(":")
        return NotesEntry(series, int(number), label, _after_backlinks(line, m.end()))
    return NotesEntry("letter", _letter_order(label), label, _after_backlinks(line, m.end()))


def _after_backlinks(line: str, start: int) -> int:
    m = _BACKLINKS.match(line, start)
    return m.end() if m and m.end() > start and line[start : m.end()].strip() else start


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
# No "[" in the link text nor "<" in an angle URL: from every "[" (or "<") of a run the
# scan would otherwise go to the end of the line.
_MD_LINK_URL = re.compile(r"\[[^\[\]\n]*\]\(\s*<?((?:https?://|www\.)[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
# Not after a word character, slash or @: looked behind after the first letter, as _BRACKET.
# Superscript digits end a URL: "https://x.org/a¹" is a link and note 1.
_BARE_URL = re.compile(r"(?:h(?<![\w/@]h)ttps?://|w(?<![\w/@]w)ww\.)[^\s<>\"“”‘’'`\[\]{}|\\^⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_TRAILING = ".,;:!?*'\"”’»"


def _trim_url(url: str) -> str:
    if url[-1] not in _TRAILING and url[-1] != ")":
        return url  # most URLs: nothing at the end to take off
    end = len(url)
    opened, closed = url.count("("), url.count(")")
    while end and url[end - 1] in _TRAILING + ")":
        if url[end - 1] == ")":
            if opened >= closed:
                break
            closed -= 1
        end -= 1
    return url[:end]


def find_urls(text: str) -> list[tuple[str, int, int]]:
    """``(url, start, end)`` for every URL in ``text``: Markdown links, ``<…>`` and bare."""
    # Each pattern runs only when what it needs occurs (a note of 100,000 has one bare URL:
    # three scans, a span set and a sort cost ~30 us a note, most of a note's parse).
    if "://" not in text and "www." not in text:
        return []
    spans: list[tuple[str, int, int]] = []
    if "](" not in text and "<" not in text:
        # bare URLs alone cannot overlap each other (finditer's matches never do)
        for m in _BARE_URL.finditer(text):
            url = _trim_url(m.group())
            if len(url) > len("https://"):
                start = m.start()
                spans.append(("http://" + url if url.startswith("www.") else url, start, start + len(url)))
        return spans
    taken = SpanSet()

    def add(url: str, start: int, end: int) -> None:
        if taken.overlaps(start, end):
            return
        taken.add(start, end)
        if url.startswith("www."):
            url = "http://" + url
        spans.append((url, start, end))

    for m in _MD_LINK_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
        taken.add(m.start(), m.end())
    for m in _ANGLE_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
    for m in _BARE_URL.finditer(text):
        url = _trim_url(m.group())
        if len(url) > len("https://"):
            add(url, m.start(), m.start() + len(url))
    spans.sort(key=lambda s: s[1])
    return spans


def cite_notes(
    blocks: list[Block],
    by_key: dict[str, Footnote],
    notes: list[Footnote],
    warnings: list[ParseWarning],
    *,
    uncited_ok: frozenset[str] | set[str] = frozenset(),
) -> list[Footnote]:
    """Record each marker's citation on its note, for every format alike.

    A marker whose key has no note gets an undefined one (returned, in order of first
    citation) and an ``unresolved-marker`` warning; a defined note of ``notes`` that nothing
    cites gets ``uncited-note``, unless its key is in ``uncited_ok``.
    """
    undefined: list[Footnote] = []
    for bi, block in enumerate(blocks):
        for ref in block.refs:
            note = by_key.get(ref.key)
            if note is None:
                note = Footnote(
                    ref.key,
                    ref.label,
                    MappedText("", ()),
                    defined=False,
                    source_start=ref.source_offset,
                    source_end=ref.source_end,
                )
                by_key[ref.key] = note
                undefined.append(note)
            if not note.defined:
                warnings.append(
                    ParseWarning("unresolved-marker", f"marker {ref.label} has no matching note", ref.source_offset)
                )
            note.cited_at.append((bi, ref.at))
    for note in notes:
        if note.defined and not note.cited_at and by_key.get(note.key) is note and note.key not in uncited_ok:
            warnings.append(
                ParseWarning("uncited-note", f"note {note.label} is never cited in the text", note.source_start)
            )
    return undefined
