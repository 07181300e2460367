"""The query-time shortcuts give exactly what the plain way gives.

Each shortcut (snippet clipping without a loop per character, term
dictionary entries looked up once, ...) is compared with a slow reference
written here, or with the answer of the code path it replaces.
"""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh import analysis, fields

from tuireader.search.whoosh import highlight

from .private_storage import PrivateRamStorage


def _clip_by_characters(text: str, start: int, end: int):
    """The clip as the snippet code made it before: one character at a time."""
    chars = highlight.SNIPPET_CHARS
    size = len(text)
    start, end = max(0, start), min(size, end)
    while start > 0 and not text[start - 1].isspace() and start > end - chars - 20:
        start -= 1
    while end < size and not text[end].isspace() and end < start + chars + 20:
        end += 1
    out = ["…" if start > 0 else ""]
    where = [0] * (end - start + 1)
    length = len(out[0])
    in_space = False
    for i in range(start, end):
        where[i - start] = length
        if text[i].isspace():
            if not in_space:
                out.append(" ")
                length += 1
            in_space = True
        else:
            out.append(text[i])
            length += 1
            in_space = False
    where[end - start] = length
    return "".join(out) + ("…" if end < size else ""), lambda pos: where[min(max(pos - start, 0), end - start)]


# Spaces Python's str.isspace knows beyond ASCII's: the clip must treat each alike.
_ALPHABET = "ab Ü\n\t\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=700), at=st.floats(0, 1), width=st.integers(0, 400))
@example(text="one  two\n\n three", at=0.0, width=17)
def test_a_clip_is_the_one_made_character_by_character(text, at, width):
    # as make_snippets asks: a window around hits inside the text, padded on both sides
    start = int(at * len(text)) - width // 3
    clip, place = highlight._clip(text, start, start + width)
    expected, expected_place = _clip_by_characters(text, start, start + width)
    assert clip == expected
    for pos in range(-3, len(text) + 3):
        assert place(pos) == expected_place(pos), pos


def test_a_clip_makes_one_space_of_what_str_isspace_calls_space_and_only_that():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20  # Unicode's, not only ASCII's
    for c in spaces:
        assert highlight._one_line(f"a{c}{c} b{c}") == "a b ", repr(c)
    others = "".join(chr(c) for c in range(0x3100) if not chr(c).isspace())
    assert highlight._one_line(others) == others
    assert highlight._one_line("") == "" and highlight._one_line("\n \n") == " "


# ---------------------------------------------------------------- term entries
WORDS = "alpha alps alpine beta bet gamma delta the of border borders talks troops".split()


@pytest.fixture(scope="module")
def segmented():
    """Four segments and deleted documents: where a kept entry could go wrong."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(),
        body=fields.TEXT(analyzer=analysis.StandardAnalyzer(stoplist=None), chars=True),
    )
    ix = PrivateRamStorage().create_index(schema)
    rng = random.Random(11)
    for batch in range(4):
        writer = ix.writer()
        for n in range(50):
            words = rng.sample(WORDS[: 5 + 2 * batch], rng.randint(1, 5 + 2 * batch))
            writer.add_document(id=f"{batch}-{n}", title=" ".join(words[:2]), body=" ".join(words * 2))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 50, 6):
        writer.delete_by_term("id", f"2-{n}")
    writer.commit(merge=False)
    assert len(ix._segments()) >= 4
    return ix


def _as_tuple(info):
    if info is None:
        return None
    return sorted(vars(info).items())  # weight, document count, lengths, where its postings are


@pytest.mark.parametrize("listed", ["", "abdgtoz", "al bor ta alp"])
def test_kept_term_entries_are_whooshs_in_every_segment(segmented, listed):
    from whoosh.reading import TermNotFound

    from tuireader.search.whoosh import terms, vocabulary

    probes = [*WORDS, "zebra", "alp", "bordersx", "é"]
    with segmented.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        for leaf in leaves:
            # prefixes listed their words first: the entries of those words come from the listings
            for prefix in listed.split() if " " in listed else listed:
                vocabulary.with_prefix(leaf, "body", prefix)
            for fieldname in ("title", "body", "id"):
                for word in probes:
                    btext = word.encode("utf-8")
                    try:
                        whooshs = leaf.term_info(fieldname, btext)
                    except TermNotFound:
                        whooshs = None
                    assert _as_tuple(terms.term_info(leaf, fieldname, btext)) == _as_tuple(whooshs)
                    assert _as_tuple(terms.term_info(leaf, fieldname, btext)) == _as_tuple(whooshs)  # kept
        for fieldname in ("title", "body"):
            for word in probes:
                btext = word.encode("utf-8")
                assert terms.doc_frequency(reader, fieldname, btext) == reader.doc_frequency(fieldname, btext)
                assert terms.holds(reader, fieldname, btext) == ((fieldname, btext) in reader)


def test_idf_from_kept_entries_is_the_searchers(segmented):
    from whoosh import scoring as whoosh_scoring

    from tuireader.search.whoosh import terms

    with segmented.searcher(weighting=whoosh_scoring.BM25F()) as ours, segmented.searcher() as theirs:
        for word in [*WORDS, "zebra"]:
            btext = word.encode("utf-8")
            assert terms.idf(ours, "body", btext) == theirs.idf("body", btext)


def test_kept_term_entries_stay_within_their_bound(segmented, monkeypatch):
    from tuireader.search.whoosh import terms

    monkeypatch.setattr(terms, "MAX_ENTRIES", 5)
    with segmented.reader() as reader:
        leaf = next(iter(reader.leaf_readers()))[0]
        for word in WORDS:
            terms.term_info(leaf, "body", word.encode("utf-8"))
            assert len(leaf.__dict__[terms._ATTR]) <= 5


# ---------------------------------------------------------------- phrases checked at once
PHRASE_WORDS = "border talks troops ankara moscow minister said security".split()


@pytest.fixture(scope="module")
def phrase_library(tmp_path_factory):
    """A library index of many short articles made of a few words (so a phrase has many
    candidates), in several segments, some documents deleted and some changed."""
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib = tmp_path_factory.mktemp("phrases") / "lib"
    lib.mkdir()
    rng = random.Random(5)

    def write(n: int) -> None:
        words = [rng.choice(PHRASE_WORDS) for _ in range(rng.randint(3, 60))]
        (lib / f"doc{n:03}.txt").write_text(f"Article {n}\n\n" + " ".join(words) + ".\n", encoding="utf-8")

    for n in range(80):
        write(n)
    index = LibraryIndex(Library(lib), tmp_path_factory.mktemp("phrases-index"))
    index.update()
    for n in range(80, 120):
        write(n)
    for n in range(0, 80, 9):
        (lib / f"doc{n:03}.txt").unlink()
    for n in range(3, 80, 11):
        write(n)
    index.update()
    assert len(index.backend._get_searcher().leaf_searchers()) >= 2
    yield index
    index.close()


def test_phrases_checked_at_once_hold_where_checked_one_by_one_and_where_whoosh_finds_them(phrase_library, monkeypatch):
    from whoosh import query

    from tuireader.search.whoosh import evaluate as evaluation
    from tuireader.search.whoosh import phrase

    pytest.importorskip("numpy")  # the test extra has it (spaCy needs it): this runs in CI
    searcher = phrase_library.backend._get_searcher()
    rng = random.Random(8)
    texts = ['"' + " ".join(rng.choice(PHRASE_WORDS) for _ in range(rng.randint(2, 4))) + '"' for _ in range(20)]
    texts += ['"border border"', '"said said said"', '"talks troops" border']
    vectorised = 0
    real_holders = phrase.holders

    def counted(words, docs):
        nonlocal vectorised
        vectorised += 1
        return real_holders(words, docs)

    for text in texts:
        q = phrase_library.backend.compiler.compile(text, searcher.reader()).query
        assert q is not None, text
        monkeypatch.setattr(evaluation, "VECTOR_FROM", 1)
        monkeypatch.setattr(evaluation, "holders", counted)
        for sub, _ in searcher.leaf_searchers():  # the phrase cache, so that each way computes
            sub.reader().__dict__.pop(evaluation._CACHE_ATTR, None)
        at_once = evaluation.evaluate(searcher, q)
        monkeypatch.setattr(evaluation, "holders", lambda words, docs: None)
        for sub, _ in searcher.leaf_searchers():
            sub.reader().__dict__.pop(evaluation._CACHE_ATTR, None)
        one_by_one = evaluation.evaluate(searcher, q)
        assert at_once == one_by_one, text

        def plain(node):
            if isinstance(node, phrase.FastPhrase):
                return query.Phrase(node.fieldname, node.words, slop=node.slop, boost=node.boost)
            return node if node.is_leaf() else node.apply(plain)

        whooshs = {hit.docnum: hit.score for hit in searcher.search(plain(q), limit=None)}
        assert at_once.keys() == whooshs.keys(), text
        assert all(at_once[d] == pytest.approx(s, rel=1e-9) for d, s in whooshs.items()), text
    assert vectorised >= 20  # the numpy way did run (a phrase per field and segment with candidates)
    assert sum(1 for t in texts if phrase_library.search(t).total) >= 10  # and found phrases


def test_warming_up_opens_what_the_first_search_would_in_every_segment(phrase_library):
    phrase_library.warm_up()
    searcher = phrase_library.backend._get_searcher()
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = leaf._perdoc
        assert {"title", "body", "footnotes"} <= set(perdoc.__dict__["_tuireader_length_bytes"])
        assert {"body", "footnotes"} <= set(perdoc.__dict__["_tuireader_text_columns"])


def test_a_prefix_finds_whooshs_words_whichever_prefixes_were_listed_before(segmented):
    from tuireader.search.whoosh import vocabulary

    orders = [["b", "bo", "bor", "borders"], ["borders", "bor", "b", "al", "alp", "a", "t"], ["", "ta", "z", "é"]]
    for order in orders:
        with segmented.reader() as reader:  # a reader of its own: nothing listed yet
            for prefix in order:
                whooshs = {w.decode("utf-8") for w in reader.expand_prefix("body", prefix)}
                assert vocabulary.with_prefix(reader, "body", prefix) == whooshs, (order, prefix)
