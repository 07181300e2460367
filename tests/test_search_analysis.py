"""The faster indexing path records what Whoosh's own Characters format records."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import analysis, formats

from tuireader.search.whoosh.analysis import FastCharacters, _stemming_chain, positions_of
from tuireader.search.whoosh.schema import build_schema

SCHEMA = build_schema()
ANALYZERS = {
    "body": SCHEMA["body"].analyzer,
    "footnotes": SCHEMA["footnotes"].analyzer,  # \w+: URLs split into words
    "sizes and ignore": analysis.StemmingAnalyzer(stoplist=["talks", "the"], minsize=3, maxsize=7, ignore=["running"]),
    "no renumbering": analysis.RegexTokenizer()
    | analysis.LowercaseFilter()
    | analysis.StopFilter(renumber=False)
    | analysis.StemFilter(),
    "not the stemming chain": analysis.StandardAnalyzer(),  # Whoosh's own tokens, our encoding
    "german": analysis.LanguageAnalyzer("de"),  # the same chain, another stemmer: stems cached apart
}

WORDS = [
    "The",
    "talks",
    "of",
    "Erdoğan",
    "ran",
    "running",
    "U.S.",
    "3.14",
    "a",
    "I",
    "x",
    "İstanbul",
    "reuters.com/world",
    "https://t.co/Ab1",
    "—",
    "¹",
    "naïve",
    "STATES",
    "organization",
    "it's",
    "e.g.",
    "a..b",
    "x.",
    ".y",
    "1.2.3",
    "**",
    "a*b",
    "*.*",
    "v.1_2",
    "Ⅻ.ß",
    "Häuser",
    "gesprochen",
]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=8)), max_size=40).map(
    lambda parts: " ".join(parts)
)


def both(text, analyzer, boost=1.0):
    """(word, count, weight, occurrences, positions) from our format and from Whoosh's."""
    fast, plain = FastCharacters(field_boost=boost), formats.Characters(field_boost=boost)
    ours = [
        (w, n, wt, fast.decode_characters(v), fast.decode_positions(v), fast.decode_frequency(v))
        for w, n, wt, v in fast.word_values(text, analyzer, mode="index")
    ]
    theirs = [
        (w, n, wt, plain.decode_characters(v), plain.decode_positions(v), plain.decode_frequency(v))
        for w, n, wt, v in plain.word_values(text, analyzer, mode="index")
    ]
    return ours, theirs


@pytest.mark.parametrize("name", list(ANALYZERS))
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_fast_format_records_whooshs_words_and_occurrences(name, text):
    ours, theirs = both(text, ANALYZERS[name], boost=0.5)
    assert ours == theirs  # same words in the same order, counts, weights, (position, start, end)


def test_fast_format_by_hand():
    # stop words leave no gap ("talks of the Turkic" -> talk@0, turkic@1), as Whoosh's stop filter renumbers
    ours, theirs = both("Talks of the Turkic states; talks again.", ANALYZERS["body"])
    assert ours == theirs
    occurrences = {w: occ for w, _, _, occ, _, _ in ours}
    assert occurrences["talk"] == [(0, 0, 5), (3, 28, 33)]
    assert occurrences["turkic"] == [(1, 13, 19)]
    assert occurrences["state"] == [(2, 20, 26)]
    assert "of" not in occurrences and "the" not in occurrences


def test_values_combine_and_positions_read_back():
    fmt = FastCharacters()
    a, b = fmt.encode([(1, 5, 9), (7, 30, 34)]), fmt.encode([(3, 12, 15), (7, 30, 34)])
    assert fmt.decode_characters(fmt.combine([a, b])) == [(1, 5, 9), (3, 12, 15), (7, 30, 34)]
    assert list(positions_of(a)) == [1, 7] and fmt.decode_frequency(a) == 2
    assert fmt.decode_position_boosts(b) == [(3, 1), (7, 1)]


def test_only_the_stemming_chain_takes_the_one_loop_path():
    assert _stemming_chain(analysis.StandardAnalyzer()) is None
    assert _stemming_chain(analysis.StemmingAnalyzer(gaps=True)) is None
    chain = _stemming_chain(ANALYZERS["body"])
    assert chain is not None and chain.expression.pattern != ANALYZERS["body"][0].expression.pattern


def test_the_schema_indexes_notes_body_and_title_this_way():
    assert all(type(SCHEMA[name].format) is FastCharacters for name in ("title", "body", "footnotes"))
    assert SCHEMA["title"].format.field_boost == 3.0 and SCHEMA["footnotes"].format.field_boost == 0.5
