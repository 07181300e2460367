"""Our faster scorer and phrase matcher give Whoosh's own answers.

Each is compared with the Whoosh original on a small index built here: many
segments, deleted documents, words repeated inside documents and phrases.
"""

from __future__ import annotations

import random
import shutil

import pytest
from whoosh import analysis, fields, query, scoring

from tuireader.search.whoosh.phrase import FastPhrase, phrase_matches
from tuireader.search.whoosh.scoring import TableBM25F

from .private_storage import PrivateRamStorage

WORDS = "alpha beta gamma delta the of border talks troops".split()


@pytest.fixture(scope="module")
def index():
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None), chars=True),
    )
    ix = PrivateRamStorage().create_index(schema)
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


@pytest.mark.parametrize(
    "words, slop",
    [
        (["alpha", "beta"], 1),
        (["the", "border", "talks"], 1),
        (["alpha", "alpha"], 1),  # a word repeated in the phrase
        (["beta", "gamma", "beta"], 1),
        (["border", "troops"], 2),
        (["of", "the", "talks"], 3),
    ],
)
def test_fast_phrase_matches_the_documents_whoosh_phrase_matches(index, words, slop):
    ours = scored(index, FastPhrase("body", words, slop=slop), scoring.BM25F())
    theirs = scored(index, query.Phrase("body", words, slop=slop), scoring.BM25F())
    assert theirs, "the random corpus should contain the phrase"
    assert ours.keys() == theirs.keys()


def test_fast_phrase_with_a_missing_word_matches_nothing(index):
    assert scored(index, FastPhrase("body", ["alpha", "zulu"]), scoring.BM25F()) == {}


def test_phrase_positions_by_hand():
    # "a b x a b": a at 0 and 3, b at 1 and 4
    # (position of the last word -> position of the first)
    assert phrase_matches([[0, 3], [1, 4]]) == {1: 0, 4: 3}
    assert phrase_matches([[0, 3], [2]]) == {}  # one word between: not with slop 1
    assert phrase_matches([[0, 3], [2]], slop=2) == {2: 0}
    assert phrase_matches([[5], [6], [8]], slop=1) == {}
    # slop 2: "w0 w1 w1 _ w2" -- the chain through the second w1 reaches w2, the nearest does not
    # (the highlighting's greedy matcher of before missed this one)
    assert phrase_matches([[0], [1, 2], [4]], slop=2) == {4: 0}
    # two starts reach one end: the nearer start (the shorter span) is kept
    assert phrase_matches([[0, 1], [2]], slop=2) == {2: 1}


# ------------------------------------------------------------------ evaluate
@pytest.fixture(scope="module")
def rich_index():
    """Title, body with positions, tags and dates; four segments and deletions."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(field_boost=3.0),
        body=fields.TEXT(analyzer=analysis.StemmingAnalyzer(), chars=True),
        tags=fields.KEYWORD(commas=True, scorable=True),
        day=fields.NUMERIC(int),
    )
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(11)
    for batch in range(4):
        writer = ix.writer()
        for n in range(80):
            words = [rng.choice(WORDS) for _ in range(rng.randint(1, 50))]
            writer.add_document(
                id=f"{batch}-{n}",
                title=" ".join(rng.sample(WORDS, 2)),
                body=" ".join(words),
                tags=",".join(rng.sample(["x", "y", "z"], rng.randint(0, 2))),
                day=rng.randint(1, 30),
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 80, 5):
        writer.delete_by_term("id", f"2-{n}")
    writer.commit(merge=False)
    return ix


def _terms(field, *words):
    return [query.Term(field, w) for w in words]


EVALUATED = [
    query.Term("body", "alpha"),
    query.Term("title", "border", boost=2.0),
    query.Term("tags", "x"),
    query.Term("body", "absent"),
    query.Or(_terms("body", "alpha", "beta") + _terms("title", "alpha")),
    query.Or(_terms("body", "alpha", "gamma"), boost=1.5),
    query.And([query.Or(_terms("title", "border") + _terms("body", "border")), query.Term("body", "talk")]),
    query.And([query.Term("body", "alpha"), query.Not(query.Term("body", "beta"))]),
    query.And([query.Term("body", "alpha"), query.Not(query.Or(_terms("body", "beta", "gamma")))], boost=0.5),
    query.AndNot(query.Term("body", "delta"), query.Term("title", "delta")),
    query.Not(query.Term("body", "alpha")),
    query.And([query.Term("tags", "y"), query.Term("body", "border")]),
    query.Or([FastPhrase("body", ["border", "talk"]), FastPhrase("title", ["border", "talk"])]),
    query.And([FastPhrase("body", ["alpha", "beta"], slop=2), query.Not(query.Term("tags", "z"))]),
    FastPhrase("body", ["the", "of", "the"], boost=2.0),
    FastPhrase("body", ["alpha", "zulu"]),
    FastPhrase("body", ["beta", "gamma", "beta"]),  # a word twice: each occurrence has its place
    FastPhrase("body", ["border", "the", "talks", "the"]),
    FastPhrase("body", ["of", "the", "talks"], slop=3),
    query.Or([query.Prefix("body", "bo", constantscore=False), query.Term("body", "gamma")]),  # left to Whoosh
]


@pytest.mark.parametrize("q", EVALUATED, ids=[repr(q)[:60] for q in EVALUATED])
def test_evaluate_finds_whooshs_documents_with_whooshs_scores(rich_index, q):
    from tuireader.search.whoosh.evaluate import evaluate

    with rich_index.searcher(weighting=TableBM25F()) as searcher:
        theirs = {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}
        ours = evaluate(searcher, q)
    assert ours.keys() == theirs.keys()
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9)
    deleted = {f"2-{n}" for n in range(0, 80, 5)}
    with rich_index.searcher() as searcher:
        assert not deleted & {searcher.stored_fields(d)["id"] for d in ours}


def test_a_constant_score_range_counts_once(rich_index):
    # Whoosh sums a range's terms or not depending on the matcher it picks; the promise is a constant.
    from tuireader.search.whoosh.evaluate import evaluate

    ranged = query.NumericRange("day", 5, 12, constantscore=True, boost=2.0)
    q = query.And([query.Term("body", "alpha"), ranged])
    with rich_index.searcher(weighting=TableBM25F()) as searcher:
        theirs = {hit.docnum for hit in searcher.search(q, limit=None)}
        alone = evaluate(searcher, query.Term("body", "alpha"))
        ours = evaluate(searcher, q)
    assert theirs and ours.keys() == theirs
    assert all(ours[d] == pytest.approx(alone[d] + 2.0) for d in ours)


def test_evaluate_on_the_library_matches_whoosh_for_every_query_form(tmp_path):
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex
    from tuireader.search.whoosh.evaluate import evaluate

    from .conftest import LIBRARY

    index = LibraryIndex(Library(LIBRARY), tmp_path / "index")
    index.update()
    searcher = index.backend._get_searcher()
    for text in [
        '"Organization of Turkic States"',
        "erdogan date:2022-01",
        "domain:twitter.com",
        "footnote:Reuters",
        "Kazakstan~",
        "kazak*",
        "turkey -russia",
        "title:turkey OR source:neo",
        "erdogan^2 talks",
        "NOT erdogan",
        '"Central Asia" -"Russia"',
        "date:[2022-01-01 TO 2022-01-19] csto",
    ]:
        q = index.backend.compiler.compile(text, searcher.reader()).query
        assert q is not None, text
        theirs = {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}
        ours = evaluate(searcher, q)
        assert ours.keys() == theirs.keys(), text
        assert all(ours[d] == pytest.approx(s, rel=1e-9) for d, s in theirs.items()), text
    index.close()


def test_term_cache_keeps_recent_terms_within_its_budget(monkeypatch):
    from tuireader.search.whoosh import evaluate

    monkeypatch.setattr(evaluate, "CACHE_POSTINGS", 20)  # a term may take a quarter: 5 postings
    cache = evaluate._TermCache()

    def postings(n):
        return dict.fromkeys(range(n), 1.0)

    cache.put(("body", b"a"), postings(4))
    cache.put(("body", b"b"), postings(5))
    assert cache.get(("body", b"a")) == postings(4)  # a is now the most recent
    for word in (b"c", b"d", b"e"):  # 4 + 5 + 15 = 24 postings: over budget, the oldest (b) goes
        cache.put(("body", word), postings(5))
    assert cache.get(("body", b"b")) is None
    assert all(cache.get(("body", w)) is not None for w in (b"a", b"c", b"d", b"e"))
    cache.put(("body", b"huge"), postings(6))  # over a quarter of the budget: not kept
    assert cache.get(("body", b"huge")) is None


def test_a_repeated_query_gives_the_same_answer_from_the_cache(rich_index):
    from tuireader.search.whoosh.evaluate import evaluate

    q = query.And([query.Or(_terms("body", "alpha", "beta")), query.Not(query.Term("title", "gamma"))])
    with rich_index.searcher(weighting=TableBM25F()) as searcher:
        first = evaluate(searcher, q)
        again = evaluate(searcher, q)
        assert any(
            getattr(r, "_tuireader_term_scores", None) for r in (s.reader() for s, _ in searcher.leaf_searchers())
        )
    assert first == again and first


def test_vocabulary_finds_the_words_whoosh_finds_within_an_edit_distance():
    from tuireader.search.whoosh import vocabulary

    schema = fields.Schema(body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None)))
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(11)
    words = ["".join(rng.choice("abcde") for _ in range(rng.randint(2, 7))) for _ in range(400)]
    words += ["kazakhstan", "kazakstan", "kazahkstan", "kasakhstan", "azakhstan"]  # one edit each way
    for batch in range(3):  # several segments: each is searched
        writer = ix.writer()
        writer.add_document(body=" ".join(words[batch::3]))
        writer.commit(merge=False)
    with ix.reader() as reader:
        for text, maxdist, prefix in [
            ("kazakhstan", 1, 1),
            ("kazakhstan", 2, 0),
            ("abcd", 1, 1),
            ("abcd", 2, 2),
            ("eeee", 2, 0),
            ("ba", 1, 1),
        ]:
            theirs = {
                w if isinstance(w, str) else w.decode()
                for w in super(type(reader), reader).terms_within("body", text, maxdist, prefix)
            }
            ours = vocabulary.within(reader, "body", text, maxdist, prefix)
            assert ours == theirs, (text, maxdist, prefix)
        assert "kazahkstan" in vocabulary.within(reader, "body", "kazakhstan", 1, 1)  # a transposition is one edit
        assert "azakhstan" not in vocabulary.within(reader, "body", "kazakhstan", 1, 1)  # not the first letter
        assert vocabulary.with_prefix(reader, "body", "kaz") == {"kazakhstan", "kazakstan", "kazahkstan"}
        assert vocabulary.with_prefix(reader, "nofield", "kaz") == set()


def test_highlights_from_kept_postings_equal_highlights_read_afresh(tmp_path, monkeypatch):
    # The evaluation keeps the postings it read so that highlighting need not read them again.
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex
    from tuireader.search.whoosh.evaluate import PostingsSeen

    from .conftest import LIBRARY

    lib = tmp_path / "lib"
    shutil.copytree(LIBRARY, lib)
    index = LibraryIndex(Library(lib), tmp_path / "index")
    index.update()
    (lib / "third.md").write_text(  # a second segment: document numbers there start after an offset
        "# Turkey and Kazakhstan\n\nErdogan spoke of the Organization of Turkic States and Central Asia.[^1] "
        "The CSTO was not mentioned by Erdogan.\n\n[^1]: Reuters, <https://www.reuters.com/x>\n",
        encoding="utf-8",
    )
    index.update()
    assert len(index.backend._get_searcher().leaf_searchers()) == 2
    queries = [
        "erdogan",
        "erdogan",
        '"Organization of Turkic States"',
        "footnote:Reuters",
        "Kazakstan~",
        "kazak* turkey",
        "turkey -kremlin",
        'csto "Central Asia"',
        'erdogan "Organization of Turkic States"',
        "title:turkey OR source:neo",
    ]

    def hits(text):
        return [(h.id, h.offsets, [(s.text, s.hits) for s in h.snippets]) for h in index.search(text, limit=5).hits]

    kept = {q: hits(q) for q in queries}  # "erdogan" twice: the second is served by the term cache
    monkeypatch.setattr(PostingsSeen, "values", lambda self, fieldname, btext, docnums: None)
    afresh = {q: hits(q) for q in queries}
    assert kept == afresh
    assert all(kept[q][0][1] for q in queries if "title:" not in q), kept  # the best hit of each is highlighted
    index.close()


def test_length_bytes_read_at_once_equal_whooshs_column(index):
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    from tuireader.search.whoosh.codec import column_bytes

    with index.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            column = leaf._perdoc._cached_reader("_body_len", LENGTHS_COLUMN)
            assert column_bytes(column) == bytes(column.load())
            assert len(set(column_bytes(column))) > 3  # lengths vary: a real comparison


def test_a_repeated_phrase_is_served_by_the_cache_alike_and_a_commit_starts_afresh(tmp_path):
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex
    from tuireader.search.whoosh.evaluate import _CACHE_ATTR

    lib = tmp_path / "lib"
    lib.mkdir()
    text = "# Turkic summit\n\nThe Organization of Turkic States met; the Organization of Turkic States spoke.\n"
    (lib / "a.md").write_text(text, encoding="utf-8")
    (lib / "b.md").write_text("# Other\n\nStates of the Organization, Turkic in part.\n", encoding="utf-8")
    index = LibraryIndex(Library(lib), tmp_path / "index")
    index.update()

    def hits(q):
        return [(h.id, h.score, h.offsets, [(s.text, s.hits) for s in h.snippets]) for h in index.search(q).hits]

    phrase = '"Organization of Turkic States"'
    first = hits(phrase)
    readers = [s.reader() for s, _ in index.backend._get_searcher().leaf_searchers()]
    phrases_kept = [k for r in readers for k in getattr(r, _CACHE_ATTR)._entries if len(k) == 3]
    assert phrases_kept  # (field, words, slop): the phrase's scores were kept
    assert hits(phrase) == first
    assert [h[0] for h in first] == ["a"] and len(first[0][2]) == 2  # both places highlighted
    (lib / "a.md").write_text(text.replace("Turkic States", "Turkic nations"), encoding="utf-8")
    index.update()
    assert hits(phrase) == []
    index.close()


# ------------------------------------------------------------------ the top without scoring every match
def _queries():
    from hypothesis import strategies as st

    boosts = st.sampled_from([1.0, 1.0, 0.1, 0.5, 2.0, 3.0])
    words = st.sampled_from(["alpha", "beta", "gamma", "delta", "border", "talk", "troop", "absent"])
    term = st.builds(lambda f, w, b: query.Term(f, w, boost=b), st.sampled_from(["title", "body"]), words, boosts)
    tag = st.builds(lambda t: query.Term("tags", t), st.sampled_from(["x", "y", "z"]))
    phrase = st.builds(
        lambda ws, slop, b: FastPhrase("body", ws, slop=slop, boost=b),
        st.lists(words, min_size=2, max_size=3),
        st.sampled_from([1, 1, 2]),
        boosts,
    )
    # a union of words, nested or not: the queries whose clauses can be skipped
    words_union = st.builds(
        lambda cs, b: query.Or(cs, boost=b), st.lists(st.one_of(term, tag), min_size=2, max_size=8), boosts
    )
    nested_union = st.builds(lambda a, b: query.Or([a, b]), words_union, words_union)
    leaf = st.one_of(term, term, tag, phrase, words_union, nested_union)

    def branches(children):
        return st.one_of(
            st.builds(lambda cs, b: query.Or(cs, boost=b), st.lists(children, min_size=2, max_size=6), boosts),
            st.builds(lambda cs: query.And(cs), st.lists(children, min_size=2, max_size=3)),
            st.builds(lambda a, n: query.And([a, query.Not(n)]), children, children),
        )

    return st.recursive(leaf, branches, max_leaves=12)


def test_the_pruned_top_is_exactly_the_top_of_scoring_every_match(rich_index, monkeypatch):
    """evaluate_top skips clauses that cannot lift a document into the top; it must return the
    same documents, scores and order (ties by document number) and the same count as scoring
    every match, on four segments with deletions, for any query and any k."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tuireader.search.whoosh import evaluate as module
    from tuireader.search.whoosh.evaluate import evaluate, evaluate_top, top

    skipped = []  # segments where clauses were skipped: fewer documents scored than matched
    segment_top = module._Segment.top

    def spy(self, q, k, floor):
        found, matched = segment_top(self, q, k, floor)
        skipped.append(len(found) < matched)
        return found, matched

    monkeypatch.setattr(module._Segment, "top", spy)
    with rich_index.searcher(weighting=TableBM25F()) as searcher:
        # derandomized: the same 80 queries every run, so the count below is a fact, not luck
        @settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
        @given(q=_queries(), k=st.integers(1, 12))
        def check(q, k):
            everything = evaluate(searcher, q)
            found, total = evaluate_top(searcher, q, k)
            assert total == len(everything)
            assert found == top(everything, k)

        check()
        generated = sum(skipped)
        # and a query made to be pruned: many words, a top of one
        union = query.Or(
            [query.Term("body", w) for w in ["alpha", "beta", "gamma", "delta", "border", "talk", "troop"]]
        )
        skipped.clear()
        found, total = evaluate_top(searcher, union, 1)
        assert found == top(evaluate(searcher, union), 1)
    assert generated >= 3  # the 80 derandomized queries let 3 segments skip clauses (counted)
    assert skipped == [True] * 4  # the union skips clauses in each of the four segments


def test_a_fields_words_read_in_one_piece_are_whooshs_word_by_word():
    """vocabulary reads a letter's words from the term file in one read; the same words as
    Whoosh's expand_prefix, for every field, prefixes of 0-2 letters and words beyond ASCII."""
    from tuireader.search.whoosh import vocabulary

    schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT(), body=fields.TEXT(), day=fields.NUMERIC(int))
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(3)
    letters = "abkzéçøß日"
    vocab = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(400)})
    writer = ix.writer()
    for n in range(120):
        writer.add_document(
            id=str(n),
            title=" ".join(rng.sample(vocab, 3)),
            body=" ".join(rng.sample(vocab, 30)),
            day=rng.randint(1, 99),
        )
    writer.commit()
    with ix.reader() as reader:
        leaf = reader.leaf_readers()[0][0] if hasattr(reader, "leaf_readers") else reader
        prefixes = ["", *letters, "ab", "éé", "zz", "日a"]
        for fieldname in ("id", "title", "body"):
            for prefix in prefixes:
                whooshs = sorted(leaf.schema[fieldname].from_bytes(b) for b in leaf.expand_prefix(fieldname, prefix))
                assert vocabulary._words_from(leaf, fieldname, prefix) == whooshs, (fieldname, prefix)
        assert vocabulary._words_from(leaf, "body", "")  # the test did read words
        assert vocabulary._words_from(leaf, "day", "") is None  # numbers: Whoosh's own way
