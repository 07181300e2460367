"""Our faster scorer and phrase matcher give Whoosh's own answers.

Each is compared with the Whoosh original on a small index built here: many
segments, deleted documents, words repeated inside documents and phrases.
"""

from __future__ import annotations

import random

import pytest
from whoosh import analysis, fields, query, scoring
from whoosh.filedb.filestore import RamStorage

from tuireader.search.phrase import FastPhrase, phrase_starts
from tuireader.search.scoring import TableBM25F

WORDS = "alpha beta gamma delta the of border talks troops".split()


@pytest.fixture(scope="module")
def index():
    schema = fields.Schema(id=fields.ID(stored=True, unique=True),
                           body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None), chars=True))
    ix = RamStorage().create_index(schema)
    rng = random.Random(7)
    for batch in range(4):  # four commits: four segments
        writer = ix.writer()
        for n in range(60):
            words = [rng.choice(WORDS) for _ in range(rng.randint(1, 40))]
            writer.add_document(id=f"{batch}-{n}", body=" ".join(words))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 60, 7):
        writer.delete_by_term("id", f"1-{n}")
    writer.commit(merge=False)
    assert len(ix._segments()) >= 4
    return ix


def scored(ix, q, weighting):
    with ix.searcher(weighting=weighting) as searcher:
        return {hit["id"]: hit.score for hit in searcher.search(q, limit=None)}


@pytest.mark.parametrize("text", ["alpha", "border", "the"])
def test_table_scorer_gives_whoosh_bm25f_scores(index, text):
    ours = scored(index, query.Term("body", text), TableBM25F())
    theirs = scored(index, query.Term("body", text), scoring.BM25F())
    assert ours and ours.keys() == theirs.keys()
    for doc_id, score in theirs.items():
        assert ours[doc_id] == pytest.approx(score, rel=1e-9)


@pytest.mark.parametrize("words, slop", [
    (["alpha", "beta"], 1),
    (["the", "border", "talks"], 1),
    (["alpha", "alpha"], 1),  # a word repeated in the phrase
    (["beta", "gamma", "beta"], 1),
    (["border", "troops"], 2),
    (["of", "the", "talks"], 3),
])
def test_fast_phrase_matches_the_documents_whoosh_phrase_matches(index, words, slop):
    ours = scored(index, FastPhrase("body", words, slop=slop), scoring.BM25F())
    theirs = scored(index, query.Phrase("body", words, slop=slop), scoring.BM25F())
    assert theirs, "the random corpus should contain the phrase"
    assert ours.keys() == theirs.keys()


def test_fast_phrase_with_a_missing_word_matches_nothing(index):
    assert scored(index, FastPhrase("body", ["alpha", "zulu"]), scoring.BM25F()) == {}


def test_phrase_positions_by_hand():
    # "a b x a b": a at 0 and 3, b at 1 and 4
    assert phrase_starts([[0, 3], [1, 4]]) == {1, 4}
    assert phrase_starts([[0, 3], [2]]) == set()  # one word between: not with slop 1
    assert phrase_starts([[0, 3], [2]], slop=2) == {2}
    assert phrase_starts([[5], [6], [8]], slop=1) == set()
