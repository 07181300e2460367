"""Turn an article's text into a ``Document``: blocks with footnote references,
linked footnotes, metadata, and warnings — every span traceable to the file.

The pipeline, in order:
  1. front matter, then lines (with their offsets), code fences marked;
  2. trailing site boilerplate dropped;
  3. note definitions found (Markdown/reST anywhere, numbered lists at the end);
  4. the remaining lines grouped into blocks and cleaned inline;
  5. title, byline, dateline, contributors and signature recognised;
  6. paragraphs split mid-sentence by a page break rejoined;
  7. markers resolved to notes; missing and uncited notes reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .clean import (
    DEFAULT_BOILERPLATE,
    BoilerplateMatcher,
    DocumentWords,
    line_end_hyphen_edits,
    rejoin_split_paragraphs,
)
from .collector import without_cycle_collection
from .dates import find_dates, parse_date_line
from .footnotes import (
    CARET_DEF,
    LINKREF_DEF,
    NOTES_HEADING,
    RST_DEF,
    NotesEntry,
    cite_notes,
    find_urls,
    named_key,
    notes_entry,
)
from .inline import clean_inline
from .mapped import Edit, MappedText
from .metadata import (
    Metadata,
    MetadataError,
    author_spans,
    header_fields,
    load_yaml_metadata,
    names_in,
    parse_byline,
    parse_contributors,
    parse_signature,
    split_front_matter,
)
from .model import (
    CODE,
    CONTRIBUTORS,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    SIGNATURE,
    TABLE,
    Block,
    Document,
    Footnote,
    Link,
    ParseWarning,
    Ref,
)
from .visible import make_displayable


@cache
def _default_boilerplate() -> BoilerplateMatcher:
    # built once: compiling its RE2 patterns was 3 % of parsing a 10 KB article
    return BoilerplateMatcher(DEFAULT_BOILERPLATE)


@dataclass(frozen=True, slots=True)
class ParseOptions:
    boilerplate: BoilerplateMatcher = field(default_factory=_default_boilerplate)


def default_id(path: Path) -> str:
    return slugify(path.stem)


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", text.strip().lower()).strip("-.")
    return slug or "document"


# ------------------------------------------------------------------ lines
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_TABLE = re.compile(r"^[ \t]*\|")
# A bullet needs one space after it, as CommonMark says ("- a"): two were required, so
# every ordinary list became one paragraph.
_LIST = re.compile(
    r"^(?P<indent>[ \t]{0,8})(?P<bullet>[-*+•◦▪‣](?=[ \t]))?[ \t]*"
    r"(?P<num>(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)])?[ \t]+(?=\S)"
)
_HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _split_lines(text: str, begin: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, begin):
        if m.start() == m.end():
            break
        content_end = m.end()
        while content_end > m.start() and text[content_end - 1] in "\r\n":
            content_end -= 1
        lines.append((m.start(), content_end))
    return lines


def _indent(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _list_marker(line: str) -> re.Match[str] | None:
    m = _LIST.match(line)
    if not m or not (m.group("bullet") or m.group("num")):
        return None
    return m


@dataclass(slots=True)
class _RawDef:
    key: str
    label: str
    kind: str
    first_line: int
    end_line: int  # exclusive
    label_end: int  # source offset where the note's text starts
    content_end: int = -1  # source offset where it ends, when not at its last line's end ("]")


# The plain-text parser in three layers, each a step of parse_text on the same lines:
# _Lines splits the text and marks fenced code; _NoteScan takes out what is not body text
# (note definitions, notes areas, page furniture, an e-text's header and licence);
# _Parser groups the lines left into blocks.
class _Lines:
    """The text as lines: which are code fences, which a later step consumed, where the
    body ends."""

    def __init__(self, text: str, fmt: str, options: ParseOptions, warnings: list[ParseWarning]) -> None:
        self.text = text
        self.markdown = fmt == "markdown"
        self.options = options
        self.warnings = warnings
        self.meta_spans: dict[str, tuple[int, int]] = {}
        self.defined: frozenset[str] = frozenset()  # note keys defined, known before blocks are cleaned
        # The document's words, to decide a word broken at a line end (plain text only).
        self.vocabulary: DocumentWords | None = None if self.markdown else DocumentWords(text)

    # -- helpers -------------------------------------------------------
    def line(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]

    def blank(self, i: int) -> bool:
        return not self.line(i).strip()

    # -- step 1 ----------------------------------------------------------
    def split(self, begin: int) -> None:
        self.lines = _split_lines(self.text, begin)
        n = len(self.lines)
        self.code = bytearray(n)  # 1: inside a fence, 2: the fence line itself
        fence: str | None = None
        for i in range(n):
            m = _FENCE.match(self.line(i))
            if fence is None:
                if m:
                    fence = m.group(1)
                    self.code[i] = 2
            else:
                if (
                    m
                    and m.group(1)[0] == fence[0]
                    and len(m.group(1)) >= len(fence)
                    and not self.line(i)[m.end() :].strip()
                ):
                    self.code[i] = 2
                    fence = None
                else:
                    self.code[i] = 1
        if fence is not None:
            self.warnings.append(ParseWarning("unclosed-code", "a code fence is never closed"))
        self.consumed = bytearray(n)

    # -- step 2 ----------------------------------------------------------
    def drop_trailing_boilerplate(self) -> int:
        end = len(self.lines)
        dropped = 0
        while end > 0:
            i = end - 1
            if self.blank(i):
                end -= 1
                continue
            if self.code[i] or not self.options.boilerplate.matches(self.line(i)):
                break
            end -= 1
            dropped += 1
        self.end = end
        return dropped

    # -- step 3 ----------------------------------------------------------
    def _continuation_end(self, i: int, min_indent: int, lazy: bool) -> int:
        j = i + 1
        while j < self.end:
            if self.code[j] == 2:
                break
            if self.blank(j):
                k = j + 1
                while k < self.end and self.blank(k):
                    k += 1
                if k < self.end and _indent(self.line(k)) >= min_indent:
                    j = k
                    continue
                break
            s = self.line(j)
            if _indent(s) >= min_indent:
                j += 1
                continue
            if (
                lazy
                and not self.blank(j - 1)
                and not (CARET_DEF.match(s) or RST_DEF.match(s) or _ATX.match(s) or _list_marker(s))
            ):
                j += 1
                continue
            break
        return j


class _NoteScan(_Lines):
    """Finds the lines that are not body text: note definitions and notes areas (marked
    consumed), page furniture, an e-text's header and licence."""

    entry_breaks: frozenset[int] = frozenset()  # lines that end an entry of a notes list (see end_notes)

    def find_inline_definitions(self) -> list[_RawDef]:
        defs: list[_RawDef] = []
        i = 0
        while i < self.end:
            if self.code[i] or self.consumed[i]:
                i += 1
                continue
            s = self.line(i)
            start = self.lines[i][0]
            m = _BRACKETED_NOTE.match(s)
            if m and (closed := self._bracket_close(i, m.start(1))) is not None:
                j, close_at = closed
                label = m.group("label")
                if label:
                    key = str(int(label)) if label.isdigit() else named_key(label)
                    defs.append(_RawDef(key, label, "gutenberg", i, j, start + m.end(), close_at))
                else:
                    defs.append(_RawDef(TRANSCRIBER_KEY, "TN", "transcriber", i, j, start + m.end(), close_at))
                for k in range(i, j):
                    self.consumed[k] = 1
                i = j
                continue
            m = _TRANSCRIBER_LINE.match(s)
            if m and (i == 0 or self.blank(i - 1)):
                j = i + 1
                if not s[m.end() :].strip():  # a heading: its note is the next paragraph
                    while j < self.end and self.blank(j):
                        j += 1
                while j < self.end and not self.blank(j):
                    j += 1
                defs.append(_RawDef(TRANSCRIBER_KEY, "TN", "transcriber", i, j, start + m.end()))
                for k in range(i, j):
                    self.consumed[k] = 1
                i = j
                continue
            m = CARET_DEF.match(s)
            if m:
                j = self._continuation_end(i, 4, lazy=True)
                defs.append(_RawDef("^" + m.group(1), m.group(1), "markdown", i, j, start + m.end()))
            else:
                m = RST_DEF.match(s)
                if m:
                    j = self._continuation_end(i, 3, lazy=False)
                    label = m.group(1)
                    key = label if label.isdigit() else "rst:" + label
                    defs.append(_RawDef(key, label, "rst", i, j, start + m.end()))
                elif self.markdown and (m := LINKREF_DEF.match(s)):
                    j = i + 1
                    defs.append(_RawDef(str(int(m.group(1))), str(int(m.group(1))), "linkref", i, j, start + m.end()))
                else:
                    i += 1
                    continue
            for k in range(i, j):
                self.consumed[k] = 1
            i = j
        return defs

    def _bracket_close(self, first: int, open_at: int) -> tuple[int, int] | None:
        """``(end line, source offset of the "]")`` closing the "[" at column ``open_at`` of line
        ``first`` (a Gutenberg note may run over paragraphs), or None when never closed."""
        depth = 0
        for j in range(first, min(self.end, first + _MAX_NOTE_LINES)):
            s = self.line(j)
            for col in range(open_at if j == first else 0, len(s)):
                ch = s[col]
                if ch == "[":
                    depth += 1
                elif ch == "]":
                    depth -= 1
                    if depth == 0:
                        return j + 1, self.lines[j][0] + col
        return None

    def drop_page_furniture(self) -> None:
        """Running page numbers and headers of text extracted from a PDF are not text.

        "— 238 —" and "Page 12 of 40" always; a bare number or "12 | Title" only when the
        document has several (a count that runs); a short line standing alone (blank lines
        around it) three times or more, except where it first stands as the title.
        """
        n = self.end
        numbered: list[int] = []
        bare: list[tuple[int, int]] = []
        with_title: dict[str, list[int]] = {}
        alone: dict[str, list[int]] = {}
        for i in range(n):
            if self.code[i] or self.consumed[i]:
                continue
            line = self.line(i).strip()
            if not line or len(line) > 100:
                continue
            if _PAGE_DECORATED.match(line):
                numbered.append(i)
            elif line.isascii() and line.isdigit() and len(line) <= 4:
                bare.append((i, int(line)))
            elif m := _PAGE_WITH_TITLE.match(line):
                with_title.setdefault((m.group("a") or m.group("b")).strip().casefold(), []).append(i)
            elif (i == 0 or self.blank(i - 1)) and (i + 1 >= n or self.blank(i + 1)) and len(line) <= 80:
                alone.setdefault(line, []).append(i)
        drop = list(numbered)
        if len(bare) >= 2 and sum(1 for a, b in zip(bare, bare[1:], strict=False) if b[1] > a[1]) * 2 >= len(bare) - 1:
            drop += [i for i, _ in bare]
        for lines in with_title.values():
            if len(lines) >= 2:
                drop += lines
        first_text = next((i for i in range(n) if not self.consumed[i] and not self.blank(i)), -1)
        pages = sorted(drop)
        for line, lines in alone.items():
            if len(lines) < 3 or _RULE.match(line) or NOTES_HEADING.match(line):
                continue
            # a running header stands by a page number: a heading or a speaker's name that
            # recurs in the text does not (and without page numbers nothing is dropped)
            near = [i for i in lines if self._near_page_number(i, pages)]
            if len(near) * 2 >= len(lines):
                drop += [i for i in lines if i != first_text]
        for i in drop:
            self.consumed[i] = 1
        if drop:
            self.meta_spans.setdefault("page_furniture", self.lines[min(drop)])

    def _near_page_number(self, i: int, pages: list[int]) -> bool:
        """Whether only blank lines stand between line ``i`` and a page-number line."""
        k = bisect_right(pages, i)
        for j in (pages[k - 1] if k > 0 else None, pages[k] if k < len(pages) else None):
            if j is not None and all(self.blank(m) for m in range(min(i, j) + 1, max(i, j))):
                return True
        return False

    def find_gutenberg(self) -> Metadata:
        """A Project Gutenberg e-text: the header down to "*** START OF …" and the licence from
        "*** END OF …" are not article text; the header's fields are metadata."""
        meta = Metadata()
        if "utenberg" not in self.text and "UTENBERG" not in self.text:
            # no e-text: two plain searches of the text (a case-blind pattern took 4 ms on 23 KB)
            # rather than the marker pattern tried on every line from the end
            return meta
        start = next((i for i in range(min(self.end, 400)) if _PG_START.match(self.line(i))), None)
        end = next((i for i in range(self.end - 1, -1, -1) if _PG_END.match(self.line(i))), None)
        if start is not None:
            start = self._marker_close(start)  # the header runs to the marker's last line
        if end is not None and self._marker_close(end) is None:
            end = None
        if start is None and end is None:
            return meta
        if start is not None:
            field_name = None
            for i in range(start):
                line = self.line(i)
                m = _PG_FIELD.match(line)
                if m:
                    field_name, value = m.group(1).lower(), m.group(2).strip()
                elif field_name and line[:1] in " \t" and line.strip():
                    value = line.strip()  # a value continued on an indented line
                    if field_name == "title":
                        meta.title = f"{meta.title} {value}"
                    continue
                else:
                    field_name = None
                    continue
                if field_name == "title" and value:
                    meta.title = value
                elif field_name == "author" and value:
                    meta.authors = names_in(value) or [value]
                elif field_name == "release date" and (found := find_dates(value)):
                    meta.date = found[0].iso
                elif field_name == "language" and value:
                    meta.language = value
            for i in range(start + 1):
                self.consumed[i] = 1
            self.meta_spans["gutenberg_header"] = (self.lines[0][0], self.lines[start][1])
        if end is not None and (start is None or end > start):
            first = end
            # "End of the Project Gutenberg EBook of …" just above the marker goes with it
            k = end - 1
            while k > (start or 0) and self.blank(k):
                k -= 1
            if k > (start or 0) and _PG_END_LINE.match(self.line(k)):
                first = k
            self.meta_spans["gutenberg_licence"] = (self.lines[first][0], self.lines[self.end - 1][1])
            for i in range(first, self.end):
                self.consumed[i] = 1
            self.end = first
        return meta

    def _marker_close(self, first: int) -> int | None:
        """The line that closes a START/END marker opened on line ``first`` (itself, or one of
        the next two), or None when no "***" closes it: then it is not the marker."""
        for i in range(first, min(first + 3, self.end)):
            if _PG_MARKER_CLOSE.search(self.line(i)):
                return i
        return None

    def find_notes_area(self) -> list[_RawDef]:
        """The notes lists at the end: runs of entries in order, each restarting its count
        under its own notes heading ("Notes" 1-5, then "References" 1-30), up to the end.

        The last run's numbers are the plain keys ("3"); an earlier run's keys are named by
        its heading ("references:3") unless the text cites it by name ([note 3]), so lists
        that each restart at 1 never collide.  An entry ends at the next entry, at a
        heading, or at page furniture (the last one no longer runs to the end of the file).
        """
        n = self.end
        headings = [
            i for i in range(n) if not self.code[i] and not self.consumed[i] and NOTES_HEADING.match(self.line(i))
        ]
        first_heading = headings[0] if headings else n
        candidates: list[tuple[int, NotesEntry]] = []
        for i in range(n):
            if self.code[i] or self.consumed[i]:
                continue
            entry = notes_entry(self.line(i), under_notes_heading=i > first_heading)
            if entry:
                candidates.append((i, entry))
        runs: list[list[tuple[int, NotesEntry]]] = []
        for cand in reversed(candidates):
            if runs:
                run = runs[-1]
                head = run[-1][1]
                # a count that restarts: an earlier list only if a notes heading stands between
                between = [h for h in headings if cand[0] < h < run[-1][0]]
                restarts = bool(between) and head.order == 1  # two lists of one note each are two lists
                if cand[1].series == head.series and cand[1].order <= head.order and not restarts:
                    run.append(cand)
                    continue
                if not between:
                    break
            runs.append([cand])
        if not runs:
            return []
        for run in runs:
            run.reverse()
        runs.reverse()  # in reading order now
        heading_of = []
        for run in runs:
            above = [h for h in headings if h < run[0][0]]
            heading_of.append(above[-1] if above else -1)
        prefixes = self._run_prefixes(runs, heading_of)
        defs: list[_RawDef] = []
        stops = set(headings)
        for r, run in enumerate(runs):
            for k, (line_idx, entry) in enumerate(run):
                nxt = run[k + 1][0] if k + 1 < len(run) else (heading_of[r + 1] if r + 1 < len(runs) else n)
                if nxt < 0:
                    nxt = runs[r + 1][0][0]
                stop = self._entry_stop(line_idx, nxt, last=r + 1 == len(runs) and k + 1 == len(run), stops=stops)
                key, label = prefixes[r](entry)
                defs.append(_RawDef(key, label, "numbered", line_idx, stop, self.lines[line_idx][0] + entry.label_end))
                for j in range(line_idx, stop):
                    self.consumed[j] = 1
        for r, h in enumerate(heading_of):
            # the heading just above a list belongs to it
            if h >= 0 and all(self.blank(j) for j in range(h + 1, runs[r][0][0])):
                self.consumed[h] = 1
                self.meta_spans.setdefault("notes_heading", self.lines[h])
        return defs

    def _run_prefixes(self, runs, heading_of):
        """Key and label for the entries of each run (see ``find_notes_area``)."""
        named_in_text = {named_key(m.group(1) + " 1").split(":")[0] for m in _NAMED_CITATION.finditer(self.text)}

        def plain(entry: NotesEntry) -> tuple[str, str]:
            if entry.series == "number":
                return str(entry.order), str(entry.order)
            return named_key(entry.label), entry.label

        makers = []
        numbered = [r for r, run in enumerate(runs) if run[0][1].series == "number"]
        plain_run = numbered[-1] if numbered else None
        if len(numbered) > 1:
            # cited by name ("[note 3]"): that run is the notes; otherwise the first numbered
            # list is what plain markers cite, and the later ones are named by their heading
            cited_by_name = [r for r in numbered if _heading_word(self, heading_of[r]) in named_in_text]
            plain_run = numbered[-1] if cited_by_name else numbered[0]
        for r, run in enumerate(runs):
            if run[0][1].series != "number" or r == plain_run:
                makers.append(plain)
                continue
            word = _heading_word(self, heading_of[r]) or "list"
            title = _EDIT_LINK.sub("", self.line(heading_of[r])).strip(" \t#*_:") if heading_of[r] >= 0 else word

            def named(entry: NotesEntry, word: str = word, title: str = title) -> tuple[str, str]:
                return f"{word}:{entry.order}", f"{title} {entry.order}"

            makers.append(named)
        return makers

    def _entry_stop(self, first: int, limit: int, *, last: bool, stops: set[int]) -> int:
        """Where an entry starting on line ``first`` ends, at the latest at ``limit``: before a
        heading or page furniture that follows a blank line."""
        for j in range(first + 1, limit):
            if not self.blank(j - 1) or self.blank(j):
                continue
            s = self.line(j)
            if (
                j in stops
                or j in self.entry_breaks
                or _ATX.match(s)
                or _FURNITURE.match(s)
                or self.options.boilerplate.matches(s)
            ):
                return j
            if last and _plain_heading(s.strip()) and len(s.split()) <= 8 and (j + 1 >= limit or self.blank(j + 1)):
                return j
        return limit


class _Parser(_NoteScan):
    """Groups the lines left into blocks (paragraphs, headings, lists, quotes, code)."""

    # -- step 4 ----------------------------------------------------------
    def group_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        current: list[int] = []
        current_kind = PARAGRAPH
        i = 0
        end = self.end

        def flush() -> None:
            nonlocal current, current_kind
            if current:
                block = self._make_block(current_kind, current)
                if block is not None:
                    blocks.append(block)
            current = []
            current_kind = PARAGRAPH

        while i < end:
            if self.consumed[i]:
                flush()
                i += 1
                continue
            if self.code[i]:
                flush()
                j = i
                while j < end and self.code[j]:
                    j += 1
                code_block = self._code_block([k for k in range(i, j) if self.code[k] == 1])
                if code_block is not None:
                    blocks.append(code_block)
                i = j
                continue
            s = self.line(i)
            if not s.strip() or _HTML_COMMENT_LINE.match(s):
                flush()
                i += 1
                continue
            if _ATX.match(s):
                flush()
                current_kind, current = HEADING, [i]
                flush()
                i += 1
                continue
            if (
                self.markdown
                and current
                and current_kind == PARAGRAPH
                and i + 1 <= end
                and _SETEXT.match(s)
                and not _list_marker(s)
            ):
                # the underline of a setext heading: the lines above are the heading
                heading_lines = current
                current = []
                blocks.append(self._make_block(HEADING, heading_lines, setext="=" in s))  # type: ignore[arg-type]
                i += 1
                continue
            if _RULE.match(s):
                flush()
                i += 1
                continue
            if _QUOTE.match(s):
                if current_kind != QUOTE:
                    flush()
                    current_kind = QUOTE
                current.append(i)
                i += 1
                continue
            if _TABLE.match(s):
                if current_kind != TABLE:
                    flush()
                    current_kind = TABLE
                current.append(i)
                i += 1
                continue
            if (
                self.markdown
                and not current
                and _indent(s) >= 4
                and (i == 0 or self.blank(i - 1))
                and not (blocks and blocks[-1].kind == LIST_ITEM)
            ):
                j = i
                while j < end and (self.blank(j) or _indent(self.line(j)) >= 4) and not self.consumed[j]:
                    j += 1
                while j > i and self.blank(j - 1):
                    j -= 1
                code_block = self._code_block(list(range(i, j)), dedent=4)
                if code_block is not None:
                    blocks.append(code_block)
                i = j
                continue
            if _list_marker(s):
                flush()
                current_kind, current = LIST_ITEM, [i]
                i += 1
                continue
            if current_kind in (QUOTE, TABLE):
                flush()
            elif current and (_own_line(s) or _own_line(self.line(current[-1]))):
                flush()
            current.append(i)
            i += 1
        flush()
        return blocks

    def _code_block(self, line_idxs: list[int], dedent: int = 0) -> Block | None:
        while line_idxs and self.blank(line_idxs[0]):
            line_idxs = line_idxs[1:]
        while line_idxs and self.blank(line_idxs[-1]):
            line_idxs = line_idxs[:-1]
        if not line_idxs:
            return None
        start = self.lines[line_idxs[0]][0]
        end = self.lines[line_idxs[-1]][1]
        content = MappedText.from_source(self.text, start, end)
        if dedent:
            edits = []
            for k in line_idxs:
                ls, _ = self.lines[k]
                cut = 0
                s = self.line(k)
                while cut < len(s) and cut < dedent and s[cut] == " ":
                    cut += 1
                if cut:
                    edits.append(Edit(ls - start, ls - start + cut))
            content, _ = content.edit(edits)
        return Block(CODE, content)

    def _make_block(self, kind: str, line_idxs: list[int], setext: bool | None = None) -> Block | None:
        start = self.lines[line_idxs[0]][0]
        end = self.lines[line_idxs[-1]][1]
        raw = MappedText.from_source(self.text, start, end)
        edits: list[Edit] = []
        marker = ""
        level = 0
        first = self.line(line_idxs[0])
        if kind == HEADING:
            if setext is None:
                m = _ATX.match(first)
                assert m is not None
                level = len(m.group(1))
                edits.append(Edit(0, m.end()))
                close = _ATX_CLOSE.search(first)
                if close and close.start() >= m.end():
                    edits.append(Edit(close.start(), len(first)))
            else:
                level = 1 if setext else 2
        elif kind == LIST_ITEM:
            m = _list_marker(first)
            assert m is not None
            marker = (m.group("num") or m.group("bullet") or "").strip()
            edits.append(Edit(0, m.end()))
        if (
            self.vocabulary is not None
            and kind in (PARAGRAPH, LIST_ITEM)
            and len(line_idxs) > 1
            and _BROKEN_WORD.search(raw.text)
        ):
            edits.extend(Edit(a, b) for a, b in line_end_hyphen_edits(raw.text, self.vocabulary))
        if kind == QUOTE:
            for k in line_idxs:
                ls, _ = self.lines[k]
                m = _QUOTE.match(self.line(k))
                if m:
                    edits.append(Edit(ls - start, ls - start + m.end()))
        layout = _layout(self, line_idxs) if kind == PARAGRAPH and not self.markdown else None
        if kind == TABLE or layout == "table":
            return Block(TABLE, raw)
        content, _ = raw.edit(edits)
        cleaned = clean_inline(content, markdown=self.markdown, defined=self.defined, keep_lines=layout == "lines")
        if not cleaned.content.text:
            return None
        if kind == PARAGRAPH and not self.markdown and len(line_idxs) == 1 and _plain_heading(cleaned.content.text):
            kind, level = HEADING, 2
        refs: list[Ref] = []
        for mk, at in cleaned.markers:
            src_start, src_end = content.source_span(mk.start, mk.end)
            for key in mk.keys:
                label = key.split(":", 1)[-1].lstrip("^") if not key.isdigit() else key
                refs.append(Ref(label, at, src_start, src_end, key))
        return Block(kind, cleaned.content, refs, cleaned.spans, marker, level)


# "— 238 —", "- 12 -", "Page 12", "Page 12 of 40", "[12]"… a page number alone on its line.
_PAGE_DECORATED = re.compile(r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.I)
_PAGE_WITH_TITLE = re.compile(r"^(?:\d{1,4}\s*\|\s*(?P<a>.{3,80})|(?P<b>.{3,80}?)\s*\|\s*\d{1,4})$")
_BROKEN_WORD = re.compile(r"[^\W\d_]-[ \t]*\r?\n")

# Project Gutenberg: "[Footnote 1: …]", "[Footnote A: …]", "[Footnote *: …]" (closed by the
# matching "]", possibly paragraphs later) and "[Transcriber's Note: …]".
_BRACKETED_NOTE = re.compile(
    r"^[ \t]*(\[)(?:Footnote[ \t]+(?P<label>\d{1,4}|[A-Za-z]{1,2}|\*{1,3})[ \t]*:"
    r"|Transcriber[’']?s[ \t]+Notes?[ \t]*:?)[ \t]*",
    re.IGNORECASE,
)
_TRANSCRIBER_LINE = re.compile(r"^[ \t]*Transcriber[’']?s[ \t]+Notes?[ \t]*[:.]?[ \t]*", re.IGNORECASE)
TRANSCRIBER_KEY = "transcriber"
_MAX_NOTE_LINES = 400  # a bracket never closed does not make the rest of the file a note
# The closing "***" may come a line or two further down: older e-texts wrap a long title there
# ("***START OF THE PROJECT GUTENBERG EBOOK CONTRIBUTION TO PASSAMAQUODDY" / "FOLK-LORE***").
_PG_START = re.compile(r"^[ \t]*\*{3}[ \t]*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.I)
_PG_END = re.compile(r"^[ \t]*\*{3}[ \t]*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.I)
_PG_MARKER_CLOSE = re.compile(r"\*{3}[ \t]*$")
_PG_END_LINE = re.compile(r"^[ \t]*End of (?:the )?Project Gutenberg", re.I)
_PG_FIELD = re.compile(r"^(Title|Author|Release Date|Language)[ \t]*:[ \t]*(.*)$", re.I)

# Page furniture after the notes: "About the author", "Share this", "Tags: …", "© 2024 …".
_FURNITURE = re.compile(
    r"^[ \t]*(?:about[ \t]+the[ \t]+authors?|about[ \t]+us|share[ \t]+this|follow[ \t]+us|related(?:[ \t]+\w+)?|"
    r"tags?[ \t]*:|topics?[ \t]*:|filed[ \t]+under|©|copyright\b|all[ \t]+rights[ \t]+reserved|"
    r"subscribe\b|newsletter\b|back[ \t]+to[ \t]+top)",
    re.IGNORECASE,
)
# A named citation in the text: "[note 3]", "[n 3]", "[tn 1]".
# a Wikipedia copy's "[edit]" beside a heading is not part of its name
_EDIT_LINK = re.compile(r"[ \t]*\[[ \t]*edit[ \t]*\]", re.IGNORECASE)
_NAMED_CITATION = re.compile(r"\[(note|n|tn|fn)[ \t]?\d{1,4}\]", re.IGNORECASE)


def _heading_word(parser: _Lines, heading: int) -> str:
    """The key word of a notes heading: "note" for Notes/Endnotes/Footnotes, else its first word."""
    if heading < 0:
        return ""
    words = re.findall(r"[a-z]+", parser.line(heading).lower())
    if not words:
        return ""
    if any(w in ("notes", "note", "endnotes", "footnotes", "endnote", "footnote") for w in words[:2]):
        return "note"
    return words[0].rstrip("s") if words[0] not in ("sources", "citations") else words[0][:-1]


_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_LEADER_PAGE = re.compile(r"(?:\.{3,}|(?:\. ){3,}| {2,}|\t)\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$", re.IGNORECASE)
_INDEX_ENTRY = re.compile(r",\s*\d{1,4}(?:[-–]\d{1,4})?(?:\s*,\s*\d{1,4}(?:[-–]\d{1,4})?)*\.?\s*$")
_SHORT_LINE = 50


def _layout(parser: _Parser, line_idxs: list[int]) -> str | None:
    """How a multi-line paragraph of plain text is laid out when it is not prose:
    "table" for aligned columns and a table of contents (dot leaders or page numbers at
    the right), "lines" for an index, a poem or an address (short lines, most starting
    with a capital or a digit), whose line breaks must stay; None for prose."""
    if len(line_idxs) < 2:
        return None
    lines = [parser.line(k).rstrip() for k in line_idxs]
    most = (len(lines) * 2 + 2) // 3
    if sum(1 for s in lines if _COLUMN_GAP.search(s.strip())) >= max(2, most):
        return "table"
    if sum(1 for s in lines if _LEADER_PAGE.search(s)) >= max(2, most):
        return "table"
    if sum(1 for s in lines if _INDEX_ENTRY.search(s)) >= max(2, most):
        return "lines"
    if (
        len(lines) >= 3
        and all(len(s.strip()) <= _SHORT_LINE for s in lines)
        and sum(1 for s in lines if s.strip()[:1].isupper() or s.strip()[:1].isdigit()) >= most
    ):
        return "lines"
    return None


def _own_line(line: str) -> bool:
    """A byline, dateline or contributors line stands alone even without blank lines around it."""
    if len(line) > 160:
        return False
    return bool(parse_byline(line) or parse_contributors(line) or (len(line) < 80 and parse_date_line(line)))


def _plain_heading(text: str) -> bool:
    """A short standalone line in a plain-text file that reads as a heading."""
    words = text.split()
    if not 1 <= len(words) <= 12 or len(text) > 100:
        return False
    if text.rstrip()[-1] in ".,;:!\"”'’)-" or not (text[0].isupper() or text[0].isdigit()):
        return False
    return True


# ----------------------------------------------------------------- public
@without_cycle_collection
def parse_text(
    text: str,
    *,
    path: Path,
    fmt: str = "text",
    doc_id: str | None = None,
    options: ParseOptions | None = None,
    sidecar: Metadata | None = None,
    encoding: str = "utf-8",
    warnings: list[ParseWarning] | None = None,
) -> Document:
    if fmt == "markdown":
        # Markdown has its own parser (a CommonMark one); this path is plain text's.
        from .formats.markdown import parse_markdown

        return parse_markdown(
            text, path=path, doc_id=doc_id, options=options, sidecar=sidecar, encoding=encoding, warnings=warnings
        )
    options = options or ParseOptions()
    warnings = list(warnings or [])
    text = make_displayable(text)
    parser = _Parser(text, fmt, options, warnings)

    body_start, fm_yaml = split_front_matter(text)
    front = Metadata()
    if fm_yaml is not None:
        parser.meta_spans["front_matter"] = (0, body_start)
        try:
            front = load_yaml_metadata(fm_yaml)
        except MetadataError as exc:
            # Still front matter, so still not body text: skip it and say why.
            warnings.append(ParseWarning("front-matter", f"front matter ignored: {exc}", 0))
    parser.split(body_start)
    parser.drop_trailing_boilerplate()
    etext = parser.find_gutenberg()
    if not parser.markdown:
        parser.drop_page_furniture()
    defs = parser.find_inline_definitions()
    defs += parser.find_notes_area()
    parser.defined = frozenset(d.key for d in defs)
    blocks = parser.group_blocks()

    known_title = (sidecar.title if sidecar else None) or front.title or etext.title
    detected, blocks = detect_metadata(blocks, parser.meta_spans, known_title=known_title)
    blocks = rejoin_split_paragraphs(blocks, parser.vocabulary)
    footnotes = _link_footnotes(text, parser, defs, blocks, warnings)

    from .formats import ReadRequest, document_from  # the registry imports this module

    request = ReadRequest(path, doc_id or default_id(path), options, sidecar or Metadata(), warnings)
    return document_from(
        request,
        front.merged_over(etext.merged_over(detected)),
        fmt=fmt,
        blocks=blocks,
        footnotes=footnotes,
        encoding=encoding,
        meta_spans=parser.meta_spans,
    )


@dataclass(frozen=True, slots=True)
class AreaNote:
    """An entry of the notes lists at the end, as source offsets: the entry's first line
    starts at ``start``, its text runs from ``label_end`` to ``end``."""

    key: str
    label: str
    start: int
    label_end: int
    end: int


def end_notes(
    text: str, begin: int, end: int, options: ParseOptions, *, skip: Callable[[str], bool] | None = None
) -> tuple[list[AreaNote], list[tuple[int, int]]]:
    """The notes lists at the end of ``text[begin:end]`` read by plain text's rules (one set
    of rules for every reader of text: headings as people write them, lists that restart at
    1, named labels, back-links, an entry stopping at the next heading or furniture).

    ``skip`` marks lines that cannot hold an entry (a Markdown link reference definition).
    Returns the entries and the spans of the notes headings that belong to them."""
    scan = _NoteScan(text, "markdown", options, [])
    scan.split(begin)
    scan.end = bisect_right([s for s, _ in scan.lines], end - 1) if end < len(text) else len(scan.lines)
    if skip is not None:
        skipped = [i for i in range(scan.end) if not scan.code[i] and skip(scan.line(i))]
        for i in skipped:
            scan.code[i] = 1
        scan.entry_breaks = frozenset(skipped)  # a "[^a]:" definition after the last note ends it
    defs = scan.find_notes_area()
    notes = []
    for d in defs:
        last = d.end_line - 1
        while last > d.first_line and scan.blank(last):
            last -= 1
        notes.append(AreaNote(d.key, d.label, scan.lines[d.first_line][0], d.label_end, scan.lines[last][1]))
    headings = [
        scan.lines[i]
        for i in range(scan.end)
        if scan.consumed[i]
        and not scan.code[i]
        and NOTES_HEADING.match(scan.line(i))
        and not any(d.first_line <= i < d.end_line for d in defs)
    ]
    return notes, headings


# ---------------------------------------------------------------- metadata
_HEADER_SCAN = 6
_FIELDS_SCAN = 12
_TITLE_MAX_WORDS = 30


def _title_like(block: Block) -> bool:
    text = block.text
    if block.kind == HEADING:
        return True
    if block.kind != PARAGRAPH or len(text.split()) > _TITLE_MAX_WORDS or len(text) > 300:
        return False
    if parse_byline(text) or parse_date_line(text):
        return False
    return not text.rstrip().endswith((".", ",", ";", ":")) or len(text.split()) <= 12


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()).strip(" .:") == " ".join(b.casefold().split()).strip(" .:")


def _header_line(block: Block) -> bool:
    """A byline, dateline or author line: what follows a headline."""
    text = block.text
    if block.kind not in (PARAGRAPH, HEADING) or len(text) > 300:
        return False
    return bool(parse_byline(text) or parse_date_line(text) or names_in(text))


def detect_metadata(
    blocks: list[Block], spans: dict[str, tuple[int, int]], *, known_title: str | None = None
) -> tuple[Metadata, list[Block]]:
    """Title, byline, dateline, contributors and signature found in the blocks.

    ``known_title``: the title the front matter or a sidecar gives.  Then the first block is
    taken only when it repeats that title: anything else there is text (issue #18: a short
    first paragraph vanished as a "title" nobody showed).  A block that cites a note is
    never taken for metadata, so its marker is never lost.
    """
    meta = Metadata()
    # A scrape's field list ("- **URL**: …") near the top: metadata, wherever the title is.
    fields = [
        (i, found)
        for i, b in enumerate(blocks[:_FIELDS_SCAN])
        if b.kind in (PARAGRAPH, LIST_ITEM, HEADING) and not b.refs and (found := header_fields(b.text)) is not None
    ]
    if fields:
        for i, found in fields:
            meta = meta.merged_over(found)
            spans.setdefault("fields", (blocks[i].source_start, blocks[i].source_end))
        taken = {i for i, _ in fields}
        blocks = [b for i, b in enumerate(blocks) if i not in taken]
        if meta.title and known_title is None:
            known_title = meta.title
    consumed: set[int] = set()
    idx = 0
    first = blocks[0] if blocks else None
    if first is not None and not first.refs:
        if known_title is not None:
            if first.kind in (HEADING, PARAGRAPH) and _same_title(first.text, known_title):
                spans["title"] = (first.source_start, first.source_end)
                consumed.add(0)
                idx = 1
        elif _title_like(first):
            second = blocks[1] if len(blocks) > 1 else None
            if (
                second is not None
                and len(blocks) > 2
                and not second.refs
                and _title_like(second)
                and not _header_line(second)
                and len(first.text.split()) <= 4 < len(second.text.split())
                and _header_line(blocks[2])
            ):
                # A site's name above the real headline ("The Diplomat" / "Why …" / "By …").
                meta.source = first.text
                spans["site"] = (first.source_start, first.source_end)
                consumed.add(0)
                first, idx = second, 1
            meta.title = first.text
            spans["title"] = (first.source_start, first.source_end)
            consumed.add(idx)
            idx += 1
    scanned = 0
    while idx < len(blocks) and scanned < _HEADER_SCAN:
        block = blocks[idx]
        text = block.text
        words = len(text.split())
        if block.kind not in (PARAGRAPH, HEADING) or words > 40 or len(text) > 400:
            break
        if block.refs:
            idx += 1
            scanned += 1
            continue
        scanned += 1
        byline = parse_byline(text) if words <= 25 else None
        if byline and not meta.authors:
            meta.authors = byline.authors
            if byline.date and not meta.date:
                meta.date, meta.date_end = byline.date.iso, byline.date.iso_end
            spans["byline"] = (block.source_start, block.source_end)
            spans.update(author_spans(text, meta.authors, block.source_span))
            consumed.add(idx)
        elif (dm := parse_date_line(text)) and not meta.date:
            meta.date, meta.date_end = dm.iso, dm.iso_end
            spans["dateline"] = (block.source_start, block.source_end)
            consumed.add(idx)
        elif not meta.authors and scanned <= 2 and (names := names_in(text)):
            meta.authors = names
            spans["authors"] = (block.source_start, block.source_end)
            spans.update(author_spans(text, meta.authors, block.source_span))
            consumed.add(idx)
        idx += 1

    for i, block in enumerate(blocks):
        if i in consumed or block.kind not in (PARAGRAPH, HEADING):
            continue
        names = parse_contributors(block.text)
        if names:
            block.kind = CONTRIBUTORS
            added = [n for n in names if n not in meta.authors]
            spans.update(author_spans(block.text, added, block.source_span, first=len(meta.authors)))
            meta.authors = meta.authors + added
    for i in range(len(blocks) - 1, -1, -1):
        if i in consumed:
            continue
        block = blocks[i]
        if block.kind == PARAGRAPH:
            sig = parse_signature(block.text, meta.authors)
            if sig:
                block.kind = SIGNATURE
                if not meta.authors:
                    meta.authors = [sig.name]
                if sig.source and not meta.source:
                    meta.source = sig.source
        if block.kind != CONTRIBUTORS:
            break
    kept = [b for i, b in enumerate(blocks) if i not in consumed]
    if blocks and not kept:
        # Every block taken for metadata ("Just one sentence here.", a file that is one heading,
        # a title and a byline): the guesses stay, and so does the text, in the body and in search
        # (issue #18 item 10: text is never dropped by a metadata guess).
        return meta, blocks
    return meta, kept


# --------------------------------------------------------------- footnotes
def _pair_repeated_etext_notes(parser: _Parser, defs: list[_RawDef], blocks: list[Block]) -> None:
    """An e-text numbers its notes anew in each chapter ("[1]" … "[Footnote 1: …]" again) or
    marks them all "[*]": the second definition of a label becomes "1#2", and a marker cites
    the first definition of its label that follows it (the last one when none does)."""
    by_label: dict[str, list[_RawDef]] = {}
    for d in sorted(defs, key=lambda d: d.first_line):
        if d.kind in ("gutenberg", "transcriber"):
            by_label.setdefault(d.key, []).append(d)
    repeated = {key: group for key, group in by_label.items() if len(group) > 1}
    if not repeated:
        return
    starts: dict[str, list[int]] = {}
    for key, group in repeated.items():
        for n, d in enumerate(group[1:], start=2):
            d.key = f"{key}#{n}"
        starts[key] = [parser.lines[d.first_line][0] for d in group]
    for block in blocks:
        for ref in block.refs:
            defined = repeated.get(ref.key)
            if defined is None:
                continue
            k = bisect_right(starts[ref.key], ref.source_offset)
            ref.key = defined[min(k, len(defined) - 1)].key


def _link_footnotes(
    text: str, parser: _Parser, defs: list[_RawDef], blocks: list[Block], warnings: list[ParseWarning]
) -> list[Footnote]:
    _pair_repeated_etext_notes(parser, defs, blocks)
    cited_keys = {ref.key for b in blocks for ref in b.refs}
    notes: list[Footnote] = []
    by_key: dict[str, Footnote] = {}
    asides = {d.key for d in defs if d.kind == "transcriber"}
    for d in sorted(defs, key=lambda d: d.first_line):
        if d.kind == "linkref" and d.key not in cited_keys:
            continue  # an ordinary Markdown link reference, not a note
        last = d.end_line - 1
        while last > d.first_line and parser.blank(last):
            last -= 1
        start = parser.lines[d.first_line][0]
        end = parser.lines[last][1]
        raw = MappedText.from_source(text, d.label_end, d.content_end if d.content_end >= 0 else end)
        cleaned = clean_inline(raw, markdown=parser.markdown, detect_markers=False, keep_paragraphs=True)
        links = []
        for url, a, b in find_urls(raw.text):
            s0, s1 = raw.source_span(a, b)
            links.append(Link(url, s0, s1))
        note = Footnote(d.key, d.label, cleaned.content, links, source_start=start, source_end=end)
        if d.key in by_key:
            warnings.append(
                ParseWarning("duplicate-note", f"note {d.label} is defined twice; the first is used", start)
            )
        else:
            by_key[d.key] = note
        notes.append(note)

    undefined = cite_notes(blocks, by_key, notes, warnings, uncited_ok=asides)
    return notes + undefined
