"""One big document (issue #18 item 16): a search reads only the text it shows, maps every hit
back to the source, and an index written before the texts moved out of the stored fields
still answers."""

from __future__ import annotations

import random
import re
import tracemalloc

import pytest

from tuireader.core.library import Library
from tuireader.core.mapped import Edit, MappedText
from tuireader.search import LibraryIndex
from tuireader.search.whoosh.fields import FlatMap, flatten_map, unflatten_map
from tuireader.search.whoosh.text_column import SlicedText, encode

from .conftest import write

PARAGRAPHS = 1_200
WORDS = "the ministry said talks with regional partners would resume after summit delegates met in the capital".split()


def _report(paragraphs: int, seed: int = 3) -> str:
    """A plain-text report: paragraphs naming "security" twice, "zanzibarite" in three of them,
    a superscript note cited every tenth paragraph."""
    rng = random.Random(seed)
    out, notes = ["A long report", "by The Research Desk on 3 Mar 2023", ""], []
    for p in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(60)]
        words[5], words[40] = "security", "Security"
        if p in (7, paragraphs // 2, paragraphs - 3):
            words[20] = "zanzibarite"
        text = " ".join(words).capitalize() + "."
        if p % 10 == 0:
            n = len(notes) + 1
            text += str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
            notes.append(
                f"{str(n).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))} Briefing {n}, https://e.org/{n}"
            )
        out += [text, ""]
    return "\n".join(out + notes) + "\n"


@pytest.fixture(scope="module")
def big_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    text = _report(PARAGRAPHS)  # ~0.5 MB
    path = write(root / "library" / "big-report.txt", text)
    index = LibraryIndex(Library(root / "library"), root / "index")
    index.update()
    index.warm_up()
    index.search("ministry")  # the searcher's own first-use allocations are not the search's
    yield index, path.read_text(encoding="utf-8")
    index.close()


class _File:
    """What SlicedText reads a column value from (Whoosh's StructFile.get), counting the bytes read."""

    def __init__(self, data: bytes) -> None:
        self.data, self.read = data, 0

    def get(self, pos: int, length: int) -> bytes:
        self.read += length
        return self.data[pos : pos + length]


def test_a_stored_text_reads_any_slice_and_only_the_chunks_it_needs():
    text = "".join(f"Ankara ğüş {i} — " for i in range(3_000))  # non-ASCII: chunks cut by characters
    value = b"pad" + encode(text, chunk_chars=1_000)
    file = _File(value)
    sliced = SlicedText(file, 3, len(value) - 3)
    assert len(sliced) == len(text)
    for a, b in [(0, 10), (995, 1_005), (999, 1_000), (1_000, 3_500), (len(text) - 5, len(text) + 9), (40, 40)]:
        assert sliced[a:b] == text[a:b]
    assert sliced[1_234] == text[1_234] and sliced[-1] == text[-1]
    assert str(sliced) == text
    fresh = _File(value)
    assert SlicedText(fresh, 3, len(value) - 3)[20_000:20_010] == text[20_000:20_010]
    assert fresh.read < len(value) / 10  # the header, the table and one chunk of ~46
    empty = SlicedText(_File(b""), 0, 0)
    assert len(empty) == 0 and empty[0:5] == "" and str(empty) == ""


def test_the_stored_map_gives_the_source_spans_mapped_text_gives():
    source = "Ab **cd** ef¹ gh  ij\n\nkl [1] mn op qr st uv"
    mapped = MappedText.from_source(source, 0, len(source))
    mapped, _ = mapped.edit([Edit(3, 5), Edit(7, 9), Edit(12, 13), Edit(16, 18, " "), Edit(20, 22, " "), Edit(25, 29)])
    other = MappedText.synthetic("(synthetic)", 30)
    _, blob = flatten_map([mapped, other])
    joined = mapped.text + "\n\n" + other.text
    flat = FlatMap(len(joined), blob)
    reference = unflatten_map(joined, blob)  # the whole table as Segments, as highlighting did before
    for a in range(len(joined) + 1):
        for b in range(a, len(joined) + 2):
            assert flat.source_span(a, b) == reference.source_span(a, b), (a, b)
    assert FlatMap(0, b"").source_span(0, 3) == (0, 0)
    rng = random.Random(5)
    for _ in range(200):  # the walk over sorted spans agrees with the look-up of each
        cuts = sorted(rng.sample(range(len(joined) + 3), 8))
        spans = [(cuts[i], cuts[i + 1] - rng.randrange(2)) for i in range(0, 8, 2)]
        assert flat.source_spans(spans) == [reference.source_span(a, b) for a, b in spans], spans


def test_a_search_of_a_big_document_does_not_load_its_text(big_index):
    index, source = big_index
    tracemalloc.start()
    try:
        results = index.search("zanzibarite")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results.total == 1
    (hit,) = results.hits
    assert [source[a:b] for a, b in hit.offsets] == ["zanzibarite"] * 3
    assert all("zanzibarite" in s.text for s in hit.snippets)
    # Measured 213 KB for this 474 KB document: the stored fields (their segment tables,
    # 42 KB, unpickled from a decompressed copy) and one 16,384-character chunk of text per
    # snippet; the code before read the whole text from the stored fields: 2.0 MB.
    assert peak < 0.5 * len(source.encode("utf-8")), peak


def test_many_matches_give_three_snippets_and_every_offset(big_index):
    index, source = big_index
    results = index.search("security")
    (hit,) = results.hits
    expected = [m.span() for m in re.finditer("security", source, re.IGNORECASE)]  # notes' "Security" too
    assert len(expected) == 2 * PARAGRAPHS
    assert hit.offsets == expected
    assert len(hit.snippets) == 3
    for snippet in hit.snippets:
        assert snippet.hits and all(snippet.text[a:b].lower() == "security" for a, b in snippet.hits)
        assert len(snippet.text) < 300


def test_an_index_that_kept_the_texts_in_the_stored_fields_still_answers(tmp_path, monkeypatch):
    """As an index built before text_column.py: the texts stored, no column; it is read as it is."""
    from whoosh import fields

    from tuireader.search.whoosh import backend, schema
    from tuireader.search.whoosh.analysis import FastCharacters

    def stored_texts():
        built = schema.build_schema()
        for name, boost in (("body", 1.0), ("footnotes", 0.5)):
            analyzer = built[name].analyzer
            built.remove(name)
            built.add(name, fields.TEXT(analyzer=analyzer, stored=True, chars=True, field_boost=boost))
            built[name].format = FastCharacters(field_boost=boost)
        return built

    library = tmp_path / "library"
    write(library / "a.txt", "A title\n\nThe delegation met in Ankara on Monday.¹\n\n¹ Reported by https://e.org/x\n")
    with monkeypatch.context() as patch:
        patch.setattr(backend, "build_schema", stored_texts)
        old = LibraryIndex(Library(library), tmp_path / "index")
        old.update()
        old.close()
    index = LibraryIndex(Library(library), tmp_path / "index")
    searcher = index.backend._get_searcher()
    assert "body" in searcher.stored_fields(0)  # the old layout indeed
    (hit,) = index.search("ankara").hits
    assert hit.snippets[0].text == "The delegation met in Ankara on Monday."
    source = (library / "a.txt").read_text()
    assert [source[a:b] for a, b in hit.offsets] == ["Ankara"]
    (note_hit,) = index.search("footnote:reported").hits
    assert note_hit.snippets[0].field == "footnotes" and "Reported" in note_hit.snippets[0].text
    index.close()


def test_a_document_with_no_text_has_no_snippet(tmp_path):
    library = tmp_path / "library"
    write(library / "empty-body.md", "---\ntitle: Only a title zanzibarite\n---\n")
    index = LibraryIndex(Library(library), tmp_path / "index")
    index.update()
    (hit,) = index.search("zanzibarite").hits
    assert hit.snippets == [] and hit.offsets == []
    assert index.more_like(hit.id) == []  # nothing to compare, and no error
    index.close()


def test_indexing_a_big_text_holds_its_occurrences_compactly():
    from tuireader.search.whoosh.schema import build_schema

    field = build_schema()["body"]
    text = _report(400)  # ~160 KB: tracemalloc slows every allocation
    size = len(text.encode("utf-8"))
    tracemalloc.start()
    try:
        postings = [
            (word, count, value)
            for word, count, _, value in field.format.word_values(text, field.analyzer, mode="index")
        ]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(count for _, count, _ in postings) > 15_000  # the words kept (stop words are not)
    security = next(value for word, _, value in postings if word == "secur")
    assert field.format.decode_frequency(security) == 2 * 400
    # Measured 2.05 x the text's UTF-8 size (12 bytes an occurrence as arrays, then as the packed
    # values handed to Whoosh); as lists of Python ints (before) it was 15 x.
    assert peak < 2.5 * size, peak / size
