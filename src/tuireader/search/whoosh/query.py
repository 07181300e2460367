"""The query language: Whoosh's parser, made forgiving.

A malformed query never raises: each problem becomes a one-line message and
the rest of the query is still searched (best effort).  Prefix and wildcard
terms need at least ``MIN_PREFIX`` letters and expand to at most
``MAX_EXPANSION`` terms (the most frequent), so ``a*`` cannot stall a search.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from whoosh import qparser, query
from whoosh.qparser import syntax

from . import terms, vocabulary
from .phrase import FastPhrase
from .schema import FIELD_ALIASES

MIN_PREFIX = 3
MAX_EXPANSION = 200
MAX_FUZZY_DISTANCE = 2
DEFAULT_FIELDS = ("title", "body", "footnotes")

_ALIAS_NAMES = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}


@dataclass(slots=True)
class CompiledQuery:
    query: query.Query | None
    messages: list[str] = field(default_factory=list)  # errors in the query, one line each
    notes: list[str] = field(default_factory=list)  # what was done about a broad query
    phrases: list[tuple[str, list[str], int]] = field(default_factory=list)  # (field, words, slop)
    terms: set[tuple[str, str]] = field(default_factory=set)  # standalone (field, text), not in phrases


def _outside_quotes_spans(text: str) -> list[tuple[int, int]]:
    spans, start, inside = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            if not inside:
                spans.append((start, i))
            else:
                start = i + 1
            inside = not inside
    if not inside:
        spans.append((start, len(text)))
    return spans


def _sub_outside_quotes(pattern: re.Pattern[str], repl, text: str) -> str:
    out, last = [], 0
    for a, b in _outside_quotes_spans(text):
        out.append(text[last:a])
        out.append(pattern.sub(repl, text[a:b]))
        last = b
    out.append(text[last:])
    return "".join(out)


_EMPTY_FIELD = re.compile(r"(?<![\w\"])([A-Za-z_]+):(?=\s|$|\))")
_FIELD_TERM = re.compile(r'(?<![\w"])([A-Za-z_]+):("[^"]*"|\[[^\]]*\]|\{[^}]*\}|\S+)')
USER_FIELDS = (
    "title",
    "author",
    "source",
    "date",
    "footnote",
    "domain",
    "cites",
    "tag",
    "entity",
    "person",
    "org",
    "place",
    "group",
)
# The word being typed: the last one, right at the end, bare or after a field name.
_LAST_WORD = re.compile(r"(?:(?<=[\s(])|^)((?:[A-Za-z_]+:)?)(\w+)$")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
# The prefix's words count for a tenth: a document with the typed word itself ranks before
# one that only has longer words starting with it, however often it repeats them.
_PREFIX_WEIGHT = 0.1


def typed_prefix(text: str) -> str:
    """While a query is typed, its last word may be unfinished: ``cav`` searches ``cav`` or ``cav*``.

    The prefix is weighted down, so documents with the word itself rank first.
    Words shorter than MIN_PREFIX, words in quotes and operators stay as typed.
    """
    if text.count('"') % 2:
        return text
    m = _LAST_WORD.search(text)
    if m is None or len(m.group(2)) < MIN_PREFIX or m.group(2) in _OPERATORS:
        return text
    field_name, word = m.group(1), m.group(2)
    return f"{text[: m.start()]}{field_name}({word} OR {word}*^{_PREFIX_WEIGHT:g})"


_MINUS = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")
_OPEN_RANGE = re.compile(r"([A-Za-z_]+):([\[{])([^\]}]*)$")


def preprocess(text: str, known_fields: set[str]) -> tuple[str, list[str]]:
    """Repair what the parser would silently misread; say what was repaired."""
    messages: list[str] = []
    if text.count('"') % 2:
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
        messages.append("unclosed quote: the words after it were searched without the quote")

    # "title:" followed by nothing; matched on the whole text (a quote may follow the colon)
    outside = _outside_quotes_spans(text)
    empties = [m for m in _EMPTY_FIELD.finditer(text) if any(a <= m.start() < b for a, b in outside)]
    for m in reversed(empties):
        messages.insert(0, f"'{m.group(1)}:' needs a value after the colon; ignored")
        text = text[: m.start()] + " " + text[m.end() :]

    open_range = _OPEN_RANGE.search(text)
    if open_range:
        messages.append(
            f"unclosed range '{open_range.group(0).strip()}': write {open_range.group(1)}:[FROM TO UNTIL] — ignored"
        )
        text = text[: open_range.start()]

    def field_term(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.lower() in known_fields or name.lower() in _ALIAS_NAMES:
            return name.lower() + ":" + m.group(2)
        messages.append(f"unknown field '{name}:' ignored (fields: {', '.join(USER_FIELDS)})")
        return " "

    text = _FIELD_TERM.sub(field_term, text)
    text = _sub_outside_quotes(_MINUS, "NOT ", text)
    return text.strip(), messages


def _error_messages(node: syntax.SyntaxNode) -> list[str]:
    found: list[str] = []
    if isinstance(node, syntax.ErrorNode):
        inner = getattr(node, "node", None)
        what = getattr(inner, "text", None) or str(node.message)
        found.append(f"could not understand {what!r}: {node.message}; ignored")
    for child in getattr(node, "nodes", []) or []:
        found.extend(_error_messages(child))
    return found


class QueryCompiler:
    def __init__(self, schema) -> None:
        self.schema = schema
        self.fields = set(schema.names())
        parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.GtLtPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        self.parser = parser

    def compile(self, text: str, reader, *, typing: bool = False) -> CompiledQuery:
        """``typing``: the query is being typed, so its last word is also a prefix (see typed_prefix)."""
        cleaned, messages = preprocess(typed_prefix(text) if typing else text, self.fields)
        if not cleaned:
            if not messages:
                messages.append("empty query")
            return CompiledQuery(None, messages)
        try:
            tree = self.parser.process(cleaned)
            messages.extend(_error_messages(tree))
            parsed = tree.query(self.parser)
            parsed = parsed.normalize()
        except Exception as exc:  # Whoosh's parser has many internal failure modes; report, never crash
            messages.append(f"could not parse the query ({exc.__class__.__name__}); searched its words instead")
            words = " ".join(re.findall(r"\w+", cleaned))
            if not words:
                return CompiledQuery(None, messages)
            parsed = self.parser.parse(words)
        result = CompiledQuery(None, messages)
        rewritten = self._rewrite(parsed, reader, result, in_phrase=False)
        result.query = None if rewritten is query.NullQuery else rewritten
        return result

    # -- rewriting -----------------------------------------------------
    def _rewrite(self, q: query.Query, reader, result: CompiledQuery, *, in_phrase: bool) -> query.Query:
        if isinstance(q, query.Phrase):
            result.phrases.append((q.fieldname, list(q.words), q.slop))
            return FastPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
        if isinstance(q, query.FuzzyTerm):
            return self._expand_fuzzy(q, reader, result)
        if isinstance(q, (query.Prefix, query.Wildcard)):
            return self._expand(q, reader, result)
        if isinstance(q, query.Term):
            result.terms.add((q.fieldname, q.text if isinstance(q.text, str) else q.text.decode("utf-8", "replace")))
            return q
        if q.is_leaf():
            return q
        return q.apply(lambda child: self._rewrite(child, reader, result, in_phrase=in_phrase))

    def _expand(self, q: query.PatternQuery, reader, result: CompiledQuery) -> query.Query:
        pattern = q.text
        literal = re.match(r"[^*?]*", pattern).group()  # type: ignore[union-attr]
        if len(literal) < MIN_PREFIX:
            message = f"'{pattern}' is too short a prefix: use at least {MIN_PREFIX} letters before * or ?; ignored"
            if message not in result.messages:
                result.messages.append(message)
            return query.NullQuery
        if q.fieldname not in self.fields:
            return query.NullQuery
        matcher = re.compile(fnmatch.translate(pattern)) if isinstance(q, query.Wildcard) else None
        to_bytes = self.schema[q.fieldname].to_bytes
        candidates = [
            (terms.doc_frequency(reader, q.fieldname, to_bytes(word)), word)
            for word in vocabulary.with_prefix(reader, q.fieldname, literal)
            if matcher is None or matcher.match(word)
        ]
        return _terms_query(q.fieldname, pattern, candidates, q.boost, result)

    def _expand_fuzzy(self, q: query.FuzzyTerm, reader, result: CompiledQuery) -> query.Query:
        """The words within the edit distance, found once for the whole index.

        Left to Whoosh, a fuzzy term walks the term dictionary of every segment
        when it is matched, and again for highlighting.
        """
        if q.fieldname not in self.fields:
            return query.NullQuery
        maxdist = min(q.maxdist, MAX_FUZZY_DISTANCE)
        prefix = max(q.prefixlength, 1)
        to_bytes = self.schema[q.fieldname].to_bytes
        candidates = [
            (terms.doc_frequency(reader, q.fieldname, to_bytes(word)), word)
            for word in vocabulary.within(reader, q.fieldname, q.text, maxdist, prefix)
        ]
        return _terms_query(q.fieldname, f"{q.text}~", candidates, q.boost, result)


def _terms_query(
    fieldname: str, pattern: str, candidates: list[tuple[int, str]], boost: float, result: CompiledQuery
) -> query.Query:
    """An OR of the most frequent ``MAX_EXPANSION`` words a pattern matched; a note when capped."""
    if not candidates:
        return query.NullQuery
    candidates.sort(key=lambda c: (-c[0], c[1]))
    if len(candidates) > MAX_EXPANSION:
        note = f"'{pattern}' matches {len(candidates)} words; searched the {MAX_EXPANSION} most common"
        if note not in result.notes:
            result.notes.append(note)
    words = [w for _, w in candidates[:MAX_EXPANSION]]
    for w in words:
        result.terms.add((fieldname, w))
    if len(words) == 1:
        return query.Term(fieldname, words[0], boost=boost)
    return query.Or([query.Term(fieldname, w) for w in words], boost=boost)
