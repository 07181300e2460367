"""The faster indexing path writes exactly what Whoosh's own Characters format writes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import analysis, formats

from tuireader.search.analysis import FastCharacters, _stemming_chain
from tuireader.search.schema import build_schema

SCHEMA = build_schema()
ANALYZERS = {
    "body": SCHEMA["body"].analyzer,
    "footnotes": SCHEMA["footnotes"].analyzer,  # \w+: URLs split into words
    "sizes and ignore": analysis.StemmingAnalyzer(stoplist=["talks", "the"], minsize=3, maxsize=7,
                                                  ignore=["running"]),
    "no renumbering": analysis.RegexTokenizer() | analysis.LowercaseFilter()
    | analysis.StopFilter(renumber=False) | analysis.StemFilter(),
}

WORDS = ["The", "talks", "of", "Erdoğan", "ran", "running", "U.S.", "3.14", "a", "I", "x", "İstanbul",
         "reuters.com/world", "https://t.co/Ab1", "—", "¹", "naïve", "STATES", "organization", "it's",
         "e.g.", "a..b", "x.", ".y", "1.2.3", "**", "a*b", "*.*", "v.1_2", "Ⅻ.ß"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=8)), max_size=40).map(
    lambda parts: " ".join(parts))


def both(text, analyzer, boost=1.0):
    fast = FastCharacters(field_boost=boost)
    ours = list(fast.word_values(text, analyzer, mode="index"))
    theirs = list(formats.Characters.word_values(fast, text, analyzer, mode="index"))
    return ours, theirs


@pytest.mark.parametrize("name", list(ANALYZERS))
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_fast_path_writes_whooshs_postings(name, text):
    ours, theirs = both(text, ANALYZERS[name], boost=0.5)
    assert ours == theirs  # words, frequencies, weights and encoded bytes, in the same order


def test_fast_path_by_hand():
    # stop words leave no gap ("talks of the Turkic" -> talk@0, turkic@1), as Whoosh's stop filter renumbers
    ours, theirs = both("Talks of the Turkic states; talks again.", ANALYZERS["body"])
    assert ours == theirs
    decoded = {w: FastCharacters().decode_characters(v) for w, _, _, v in ours}
    assert decoded["talk"] == [(0, 0, 5), (3, 28, 33)]
    assert decoded["turkic"] == [(1, 13, 19)]
    assert decoded["state"] == [(2, 20, 26)]
    assert "of" not in decoded and "the" not in decoded


def test_other_analyzers_take_whooshs_path():
    assert _stemming_chain(analysis.StandardAnalyzer()) is None
    assert _stemming_chain(analysis.StemmingAnalyzer(gaps=True)) is None
    assert _stemming_chain(ANALYZERS["body"]) is not None
    assert _stemming_chain(ANALYZERS["body"]).expression.pattern != ANALYZERS["body"][0].expression.pattern
    ours, theirs = both("Kazakhstan and Turkey", analysis.StandardAnalyzer())
    assert ours == theirs and ours


def test_the_schema_indexes_notes_body_and_title_this_way():
    assert all(type(SCHEMA[name].format) is FastCharacters for name in ("title", "body", "footnotes"))
    assert SCHEMA["title"].format.field_boost == 3.0 and SCHEMA["footnotes"].format.field_boost == 0.5
