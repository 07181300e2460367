"""ArrayBlockCodec stores the postings Whoosh's own codec stores, and Whoosh reads them alike."""

from __future__ import annotations

import random

import pytest
from whoosh import analysis, fields, query
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PerDocReader

from tuireader.search.whoosh.codec import ArrayBlockCodec, ArrayLeafMatcher, _PerDocReader
from tuireader.search.whoosh.evaluate import evaluate, values_at
from tuireader.search.whoosh.scoring import TableBM25F

from .private_storage import PrivateRamStorage

WORDS = "alpha beta gamma delta border talks troops rare".split()


def build(codec, merge_at_end: bool):
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None), chars=True),
        title=fields.TEXT(field_boost=2.5),
        tags=fields.KEYWORD(commas=True, scorable=True),
        day=fields.NUMERIC(int),
    )
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(5)
    for batch in range(3):
        writer = ix.writer(codec=codec())
        for n in range(300):  # several blocks of 128 per word
            words = [rng.choice(WORDS[:-1]) for _ in range(rng.randint(1, 30))]
            writer.add_document(
                id=f"{batch}-{n}",
                body=" ".join(words),
                title=" ".join(rng.sample(WORDS, 2)),
                tags=",".join(rng.sample("xyz", rng.randint(0, 2))),
                day=rng.randint(1, 30),
            )
        if batch == 1:
            writer.add_document(id="only", body="unique zebra")  # a word in one document: inlined
        writer.commit(merge=False)
    writer = ix.writer(codec=codec())
    for n in range(0, 300, 7):
        writer.delete_by_term("id", f"1-{n}")
    writer.commit(optimize=merge_at_end)  # optimize: Whoosh merges the segments through our reader and writer
    return ix


def postings(ix):
    """(field, word) -> [(document, weight, value)] as Whoosh's matchers read them."""
    found = {}
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            matcher, rows = reader.postings(fieldname, btext), []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[(fieldname, btext)] = rows
    return found


@pytest.mark.parametrize("merge_at_end", [False, True])
@pytest.mark.parametrize("level", [3, 0])  # parts compressed, or not
def test_array_blocks_hold_whooshs_postings(merge_at_end, level):
    ours = build(lambda: ArrayBlockCodec(compression=level), merge_at_end)
    theirs = build(W3Codec, merge_at_end)
    assert postings(ours) == postings(theirs)
    with ours.reader() as reader:
        assert any(
            isinstance(m, ArrayLeafMatcher)
            for m in (leaf.postings("body", b"alpha") for leaf, _ in reader.leaf_readers())
        )
        assert len(list(reader.postings("body", b"alpha").all_ids())) > 300  # more than two blocks


def block_lengths(ix):
    """(field, word) -> each posting block's (shortest, longest) field length, as its header says."""
    found = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            for fieldname, btext in leaf.all_terms():
                matcher = leaf.postings(fieldname, btext)
                matcher = getattr(matcher, "child", matcher)  # past the filter of deleted documents
                if isinstance(matcher, W3LeafMatcher):  # not a word of one document (inlined)
                    rows = found.setdefault((fieldname, btext), [])
                    while not matcher._atend:
                        rows.append((matcher.block_min_length(), matcher.block_max_length()))
                        matcher._next_block()
    return found


@pytest.mark.parametrize("merge_at_end", [False, True])
def test_field_lengths_read_from_memory_are_whooshs(merge_at_end):
    ours = build(ArrayBlockCodec, merge_at_end)
    for segment in ours._segments():
        mine, whooshs = _PerDocReader(ours.storage, segment), W3PerDocReader(ours.storage, segment)
        for fieldname in ("body", "title", "tags", "id"):  # id has no lengths: the default
            assert [mine.doc_field_length(d, fieldname, default=-1) for d in range(segment.doc_count_all())] == [
                whooshs.doc_field_length(d, fieldname, default=-1) for d in range(segment.doc_count_all())
            ]
    # The block headers the writer filled from those lengths are the ones Whoosh's own codec writes.
    mine_blocks = block_lengths(ours)
    assert any(lo != hi for rows in mine_blocks.values() for lo, hi in rows)  # lengths vary: a real comparison
    assert mine_blocks == block_lengths(build(W3Codec, merge_at_end))


@pytest.mark.parametrize(
    "q",
    [
        query.Term("body", "alpha"),
        query.And([query.Term("body", "border"), query.Term("title", "talks")]),
        query.Phrase("body", ["alpha", "beta"]),
        query.Term("body", "zebra"),
        query.And([query.Term("body", "troops"), query.NumericRange("day", 3, 9)]),
        query.Or([query.Term("tags", "x"), query.Term("title", "rare")]),
    ],
)
def test_searches_and_our_evaluation_agree_on_both_codecs(q):
    results = []
    for codec in (ArrayBlockCodec, W3Codec):
        ix = build(codec, merge_at_end=False)
        with ix.searcher(weighting=TableBM25F()) as searcher:
            whoosh = {searcher.stored_fields(h.docnum)["id"]: h.score for h in searcher.search(q, limit=None)}
            ours = {searcher.stored_fields(d)["id"]: s for d, s in evaluate(searcher, q).items()}
        assert whoosh.keys() == ours.keys() and whoosh
        assert all(ours[k] == pytest.approx(v, rel=1e-9) for k, v in whoosh.items())
        results.append(whoosh)
    assert results[0].keys() == results[1].keys()
    assert all(results[0][k] == pytest.approx(v, rel=1e-9) for k, v in results[1].items())


def test_values_read_for_a_few_documents_are_those_of_their_postings():
    ix = build(ArrayBlockCodec, merge_at_end=False)  # several segments, deletions, an inlined word
    every = postings(ix)
    rng = random.Random(2)
    found = 0
    with ix.searcher() as searcher:
        reader = searcher.reader()
        live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
        for (fieldname, btext), rows in every.items():
            if fieldname != "body":
                continue
            docs = sorted(rng.sample(live, 40)) + [d for d, _, _ in rows[-1:]]  # and the last posting
            expected = {d: v for d, _, v in rows if d in docs}
            assert values_at(searcher, fieldname, btext, sorted(set(docs))) == expected
            found += len(expected)
    assert found > 100


def test_numeric_and_date_ranges_find_the_documents_whoosh_finds():
    import datetime as dt

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), day=fields.NUMERIC(int), when=fields.DATETIME())
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(7)
    first = dt.datetime(2021, 12, 20)
    for batch in range(3):
        writer = ix.writer(codec=ArrayBlockCodec())
        for n in range(200):
            start = rng.randint(0, 60)  # a day, or a period of a few days, as a document's date
            when = [first + dt.timedelta(days=start + k) for k in range(rng.choice([1, 1, 1, 3]))]
            writer.add_document(id=f"{batch}-{n}", day=rng.randint(-20, 40), when=when)
        writer.commit(merge=False)
    writer = ix.writer(codec=ArrayBlockCodec())
    for n in range(0, 200, 9):
        writer.delete_by_term("id", f"2-{n}")
    writer.commit(merge=False)

    def day(n):
        return first + dt.timedelta(days=n)

    ranges = [
        query.NumericRange("day", 3, 9),
        query.NumericRange("day", -5, 0, startexcl=True),
        query.NumericRange("day", 3, 9, endexcl=True),
        query.NumericRange("day", None, -10),
        query.NumericRange("day", 30, None, boost=2.0),
        query.NumericRange("day", 50, 60),
        query.DateRange("when", day(10), day(12)),
        query.DateRange("when", day(-5), day(0)),
        query.DateRange("when", day(40), None),
        query.DateRange("when", None, day(3)),
        query.DateRange("when", day(0), day(61)),
        query.DateRange("when", day(20), day(20)),
    ]
    with ix.searcher(weighting=TableBM25F()) as searcher:
        assert len(searcher.reader().leaf_readers()) == 3
        for q in ranges:
            whoosh = {searcher.stored_fields(h.docnum)["id"] for h in searcher.search(q, limit=None)}
            ours = evaluate(searcher, q)
            assert {searcher.stored_fields(d)["id"] for d in ours} == whoosh, q
            assert set(ours.values()) <= {q.boost}
        assert sum(bool(searcher.search(q, limit=None)) for q in ranges) >= len(ranges) - 2  # mostly not empty


def test_a_part_is_compressed_only_when_that_makes_it_smaller():
    import os

    from tuireader.search.whoosh.codec import SMALL_PART, _pack_part, _unpack_part

    small, large, noise = b"ab" * (SMALL_PART // 4), b"ab" * SMALL_PART, os.urandom(4 * SMALL_PART)
    assert _pack_part(small, 3) == b"\x00" + small  # under the threshold: as it is
    assert _pack_part(large, 3)[:1] == b"\x01" and len(_pack_part(large, 3)) < len(large)
    assert _pack_part(noise, 3) == b"\x00" + noise  # zlib would only make it bigger
    assert _pack_part(large, 0) == b"\x00" + large  # compression off
    for data in (b"", small, large, noise):
        for level in (0, 3):
            assert _unpack_part(_pack_part(data, level)) == data
