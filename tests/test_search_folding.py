"""Search folds accents, case and compatibility forms; search-as-you-type takes an unfinished last word."""

from __future__ import annotations

import pytest

from tuireader.core.library import Library
from tuireader.search import LibraryIndex
from tuireader.search.folding import fold
from tuireader.search.whoosh.query import typed_prefix

from .conftest import write


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Erdoğan", "erdogan"),
        ("Türkiye", "turkiye"),
        ("café", "cafe"),
        ("ÇAVUŞOĞLU", "cavusoglu"),
        ("ﬁnance", "finance"),  # the ligature a PDF leaves
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Øresund", "oresund"),
        ("Diyarbakır", "diyarbakir"),  # dotless ı has no decomposition
        ("plain", "plain"),
    ],
)
def test_fold(word, folded):
    assert fold(word) == folded


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("cav", "(cav OR cav*^0.1)"),
        ("erdogan cav", "erdogan (cav OR cav*^0.1)"),
        ("person:erd", "person:(erd OR erd*^0.1)"),
        ("ca", "ca"),  # too short a prefix: searched as typed
        ("cav ", "cav "),  # a space ends the word
        ('"cav', '"cav'),  # inside a quote
        ("turkey AND", "turkey AND"),
    ],
)
def test_typed_prefix(typed, searched):
    assert typed_prefix(typed) == searched


@pytest.fixture(scope="module")
def accented_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    write(root / "ankara.md", "# Talks in Ankara\n\nPresident Erdoğan met the Türkiye delegation at a café.\n")
    write(root / "plain.md", "# Plain spelling\n\nPresident Erdogan spoke; Turkiye and cafe owners listened.\n")
    write(root / "cavalry.md", "# Horses\n\nThe cavalry rode past Cavusoglu's office.\n")
    write(root / "cave.md", "# A walk\n\nWe found a cave by the river and walked on for many miles.\n")
    write(root / "caverns.md", "# Underground\n\nCavern after cavern: the caverns of Caverna.\n")
    index = LibraryIndex(Library(root), tmp_path_factory.mktemp("index"))
    index.update()
    yield index
    index.close()


@pytest.mark.parametrize("query", ["erdogan", "Erdoğan", "ERDOGAN", "turkiye", "Türkiye", "cafe", "café"])
def test_accents_fold_both_ways(accented_index, query):
    assert {h.id for h in accented_index.search(query).hits} == {"ankara", "plain"}


def test_hits_are_highlighted_on_the_original_characters(accented_index):
    hit = next(h for h in accented_index.search("erdogan").hits if h.id == "ankara")
    assert any("Erdoğan" in snippet for snippet in (s.text for s in hit.snippets))


def test_a_phrase_folds_too(accented_index):
    assert {h.id for h in accented_index.search('"president erdogan met"').hits} == {"ankara"}


def test_an_unfinished_last_word_matches_while_typing(accented_index):
    assert accented_index.search("cavusog").total == 0  # a complete query: the word as written
    typed = accented_index.search("cavusog", typing=True)
    assert [h.id for h in typed.hits] == ["cavalry"]


def test_whole_word_hits_rank_before_prefix_hits(accented_index):
    # As a bare prefix, the document that repeats "cavern" ranks first ...
    assert [h.id for h in accented_index.search("cave*").hits][0] == "caverns"
    # ... but while typing "cave", the document with the word itself comes first.
    assert [h.id for h in accented_index.search("cave", typing=True).hits] == ["cave", "caverns"]
