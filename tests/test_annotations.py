"""Annotations in the core: selectors, re-anchoring after edits, the store, search, import and export."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tuireader.annotations import AnnotationStore
from tuireader.annotations.anchor import content_hash
from tuireader.annotations.model import FUZZY, MOVED, ORPHANED, TextQuote
from tuireader.annotations.search import search_with_annotations, split_query
from tuireader.annotations.service import AnnotationError, new_annotation, placed_annotations
from tuireader.annotations.webanno import ImportProblem, export_file, import_file
from tuireader.core.formats import parse_file

from .conftest import write

PASSAGE = "The second sentence of the report says something that matters a great deal."
TEXT = (
    "A Report on Things\n\nJane Roe\n\nJanuary 5, 2022\n\n"
    "The first paragraph opens the report. " + PASSAGE + " It ends here.\n\n"
    "The last paragraph closes it.\n"
)


def _doc(path: Path, text: str = TEXT):
    write(path, text)
    return parse_file(path, doc_id="report")


def _store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "data" / "annotations.sqlite")


def test_a_selection_keeps_offsets_quote_context_and_hash(tmp_path):
    doc = _doc(tmp_path / "lib" / "report.txt")
    start = TEXT.index(PASSAGE)
    a = new_annotation(doc, start, start + len(PASSAGE), note="why it matters", tags="policy, #key")
    assert (a.start, a.end) == (start, start + len(PASSAGE))
    assert a.quote.exact == PASSAGE
    assert a.quote.prefix.endswith("opens the report. ")
    assert a.quote.suffix.startswith(" It ends here.")
    assert a.content_hash == content_hash(doc.path) and a.content_hash.startswith("sha256:")
    assert a.tags == ("policy", "key")


def test_white_space_at_the_ends_of_a_selection_is_trimmed(tmp_path):
    doc = _doc(tmp_path / "lib" / "report.txt")
    start = TEXT.index(PASSAGE)
    a = new_annotation(doc, start - 1, start + len(PASSAGE) + 1)  # the spaces either side
    assert a.quote.exact == PASSAGE and a.start == start


def test_offsets_that_show_no_text_are_refused(tmp_path):
    doc = _doc(tmp_path / "lib" / "report.txt")
    with pytest.raises(AnnotationError):
        new_annotation(doc, len(TEXT) + 10, len(TEXT) + 20)


def test_a_paragraph_inserted_above_moves_the_annotation_with_its_text(tmp_path):
    path = tmp_path / "lib" / "report.txt"
    doc = _doc(path)
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    store.add(new_annotation(doc, start, start + len(PASSAGE), note="n"))
    inserted = "An editor's note added later, above everything else.\n\n"
    edited = TEXT.replace("The first paragraph", inserted + "The first paragraph")
    doc2 = _doc(path, edited)
    [placed] = placed_annotations(store, doc2)
    new_start = edited.index(PASSAGE)
    assert placed.placement.status == MOVED
    assert (placed.annotation.start, placed.annotation.end) == (new_start, new_start + len(PASSAGE))
    assert edited[placed.annotation.start : placed.annotation.end] == PASSAGE
    # written back: the next open finds it in place with the new hash
    [again] = store.for_document("report")
    assert again.start == new_start and again.content_hash == content_hash(path)


def test_a_few_words_changed_inside_the_passage_is_found_fuzzily(tmp_path):
    path = tmp_path / "lib" / "report.txt"
    doc = _doc(path)
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    store.add(new_annotation(doc, start, start + len(PASSAGE)))
    changed = PASSAGE.replace("says something", "states a thing")
    edited = TEXT.replace(PASSAGE, changed).replace("The first paragraph", "Inserted.\n\nThe first paragraph")
    [placed] = placed_annotations(store, _doc(path, edited))
    assert placed.placement.status == FUZZY
    got = edited[placed.annotation.start : placed.annotation.end]
    assert got.startswith("The second sentence") and got.endswith("a great deal.") and "states a thing" in got


def test_a_deleted_passage_is_orphaned_and_kept(tmp_path):
    path = tmp_path / "lib" / "report.txt"
    doc = _doc(path)
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    store.add(new_annotation(doc, start, start + len(PASSAGE), note="keep me"))
    [placed] = placed_annotations(store, _doc(path, TEXT.replace(PASSAGE + " ", "")))
    assert placed.orphaned
    [kept] = store.for_document("report")
    assert kept.status == ORPHANED and kept.note == "keep me" and kept.quote.exact == PASSAGE


def test_a_repeated_passage_is_told_apart_by_its_context(tmp_path):
    twice = "Alpha says: the same words appear here. Beta says: the same words appear here. Gamma.\n"
    path = tmp_path / "lib" / "twice.txt"
    doc = _doc(path, twice)
    store = _store(tmp_path)
    second = twice.index("the same words", twice.index("Beta"))
    store.add(new_annotation(doc, second, second + len("the same words appear here.")))
    edited = "New opening line.\n\n" + twice
    [placed] = placed_annotations(store, _doc(path, edited))
    assert placed.annotation.start == edited.index("the same words", edited.index("Beta"))


def test_a_corrupt_store_is_set_aside_with_a_message_and_a_fresh_one_used(tmp_path):
    path = tmp_path / "data" / "annotations.sqlite"
    write(path, "this is not a database " * 100)
    store = AnnotationStore(path)
    assert store.count() == 0
    assert store.messages and "annotations.sqlite.damaged" in store.messages[0]
    assert (tmp_path / "data" / "annotations.sqlite.damaged").read_text().startswith("this is not")


def test_the_store_is_not_created_until_used(tmp_path):
    AnnotationStore(tmp_path / "data" / "annotations.sqlite")
    assert not (tmp_path / "data").exists()


_WRITER = """
import sys
from tuireader.annotations import AnnotationStore
from tuireader.annotations.model import Annotation, TextQuote
store = AnnotationStore(__import__("pathlib").Path(sys.argv[1]))
for i in range(40):
    store.add(Annotation(sys.argv[2], i, i + 1, TextQuote("x"), "h", note=f"{sys.argv[2]} {i}"))
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "data" / "annotations.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name]) for name in ("a", "b")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    store = AnnotationStore(path)
    assert store.count() == 80
    assert {a.note for a in store.all()} == {f"{n} {i}" for n in "ab" for i in range(40)}


def test_export_then_import_round_trips(tmp_path):
    doc = _doc(tmp_path / "lib" / "report.txt")
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    original = store.add(
        new_annotation(doc, start, start + len(PASSAGE), note="a *note*", tags=["t1", "t2"], colour="green")
    )
    out = tmp_path / "out.jsonld"
    assert export_file(store, out) == 1
    data = json.loads(out.read_text())
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    item = data["first"]["items"][0]
    assert item["type"] == "Annotation" and item["motivation"] == "commenting"
    assert {
        "type": "TextQuoteSelector",
        "exact": PASSAGE,
        "prefix": original.quote.prefix,
        "suffix": original.quote.suffix,
    } in item["target"]["selector"]
    other = AnnotationStore(tmp_path / "other" / "annotations.sqlite")
    assert import_file(other, out) == 1
    [back] = other.all()
    assert back == original


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        json.dumps({"type": "Something"}),
        json.dumps(
            [
                {
                    "type": "Annotation",
                    "target": {
                        "source": "urn:tuireader:doc:report",
                        "selector": [{"type": "TextPositionSelector", "start": 5, "end": 2}],
                    },
                }
            ]
        ),
    ],
)
def test_a_malformed_import_changes_nothing(tmp_path, bad):
    doc = _doc(tmp_path / "lib" / "report.txt")
    store = _store(tmp_path)
    store.add(new_annotation(doc, TEXT.index("The last"), TEXT.index("The last") + 8))
    good = {
        "type": "Annotation",
        "target": {"source": "urn:tuireader:doc:report", "selector": [{"type": "TextQuoteSelector", "exact": "x"}]},
    }
    path = tmp_path / "in.jsonld"
    if bad.startswith("["):  # a good item first: it must not be written either
        bad = json.dumps([good, *json.loads(bad)])
    write(path, bad)
    with pytest.raises(ImportProblem):
        import_file(store, path)
    assert store.count() == 1


def test_the_query_is_split_into_index_and_annotation_parts():
    assert split_query('annotation:"quick note" tag:policy Ankara') == (
        "tag:policy Ankara",
        ["quick note"],
        ["policy"],
        [],
    )
    assert split_query("Ankara peace") == ("Ankara peace", [], [], ["Ankara", "peace"])
    assert split_query("Ankara OR peace")[3] == []


class _NoIndex:
    def __init__(self):
        self.asked = []

    def search(self, text, **kw):
        from tuireader.search.results import SearchResults

        self.asked.append(text)
        return SearchResults(text, 0, [])


def test_notes_and_tags_are_found_and_say_your_note_on(tmp_path):
    doc = _doc(tmp_path / "lib" / "report.txt")
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    store.add(
        new_annotation(doc, start, start + len(PASSAGE), note="Compare with the Ministry's statement", tags="ministry")
    )
    store.add(new_annotation(doc, TEXT.index("The last"), TEXT.index("The last") + 8, note="unrelated"))
    index = _NoIndex()
    results = search_with_annotations(index, store, "annotation:ministry")
    assert index.asked == []  # an annotation: query is about the notes only
    [hit] = results.hits
    assert hit.snippets[0].text.startswith("your note on “The second sentence")
    assert hit.snippets[0].field == "annotation" and hit.offsets == [(start, start + len(PASSAGE))]
    assert len(search_with_annotations(index, store, "tag:ministry").hits) == 1
    assert index.asked == ["tag:ministry"]  # documents' tags are still searched
    assert search_with_annotations(index, store, "tag:nothing").hits == []
    assert len(search_with_annotations(index, store, "statement").hits) == 1  # plain words: in notes too


def test_the_store_survives_a_table_written_by_another_schema(tmp_path):
    path = tmp_path / "data" / "annotations.sqlite"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE annotations (id TEXT)")
    conn.commit()
    conn.close()
    store = AnnotationStore(path)
    assert store.count() == 0 and store.messages


def test_quote_selector_without_position_is_placed_by_its_words(tmp_path):
    from tuireader.annotations.model import Annotation

    doc = _doc(tmp_path / "lib" / "report.txt")
    store = _store(tmp_path)
    store.add(Annotation("report", 0, 0, TextQuote(PASSAGE), ""))
    [placed] = placed_annotations(store, doc)
    assert TEXT[placed.annotation.start : placed.annotation.end] == PASSAGE


def test_a_similar_sentence_elsewhere_does_not_take_a_deleted_passages_place(tmp_path):
    text = (
        "A Title\n\nRapid developments in Kazakhstan in January 2022 surprised everyone.\n\n"
        + "Filler paragraph with other words entirely. " * 60
        + "\n\nThey spoke about the developments in Kazakhstan on January 6.\n"
    )
    path = tmp_path / "lib" / "report.txt"
    doc = _doc(path, text)
    store = _store(tmp_path)
    exact = "Rapid developments in Kazakhstan in January 2022"
    store.add(new_annotation(doc, text.index(exact), text.index(exact) + len(exact)))
    [placed] = placed_annotations(store, _doc(path, text.replace(exact + " surprised everyone.", "Gone.")))
    assert placed.orphaned  # difflib finds "about the developments in Kazakhstan on January " 0.81 alike


def test_the_library_listing_re_anchors_each_changed_document_reading_it_once(tmp_path, monkeypatch):
    from tuireader.annotations.service import placed_library
    from tuireader.core.library import Library

    root = tmp_path / "lib"
    write(root / "report.txt", TEXT)
    write(root / "other.txt", TEXT.replace("A Report on Things", "Another Report"))
    library = Library(root)
    entries = {e.id: e for e in library.scan().documents}
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    for doc_id in entries:
        doc = library.parse(entries[doc_id])
        store.add(new_annotation(doc, start, start + len(PASSAGE)))
        store.add(new_annotation(doc, start, start + 10, colour="green"))
    added = "An added paragraph.\n\n"
    write(root / "report.txt", TEXT.replace("The first paragraph", added + "The first paragraph"))
    parsed: list[str] = []
    real_parse = Library.parse
    monkeypatch.setattr(Library, "parse", lambda self, entry: parsed.append(entry.id) or real_parse(self, entry))

    listed = placed_library(store, library)
    assert parsed == ["report"]  # the changed file read once for its two annotations; the other not at all
    moved = sorted((a.status, a.start) for a in listed if a.doc_id == "report")
    assert moved == [(MOVED, start + len(added)), (MOVED, start + len(added))]
    assert {(a.status, a.start) for a in listed if a.doc_id == "other"} == {("anchored", start)}
    assert sorted(a.start for a in store.for_document("report")) == [start + len(added)] * 2  # written back
    parsed.clear()
    placed_library(store, library)
    assert parsed == []  # placed in the file as it is now: nothing to read again


def test_doctext_finds_the_same_piece_by_bisection_as_by_scanning_every_piece(tmp_path):
    from tuireader.annotations.text import DocText
    from tuireader.core.library import Library

    from .conftest import LIBRARY

    library = Library(LIBRARY)
    docs = [library.parse(e) for e in library.scan().documents]
    docs.append(_doc(tmp_path / "lib" / "report.txt"))
    for doc in docs:
        text = DocText(doc)
        assert text._disjoint  # these documents' pieces do not nest: the bisection is what is tested
        end = max(p.content.source_span(0, len(p.content))[1] for p in text.pieces)
        for source in range(0, end + 13, 13):  # every 13th offset, to stay quick
            expected = None
            for piece in text.pieces:  # the reading-order scan the bisection replaced
                s0, s1 = piece.content.source_span(0, len(piece.content))
                pos = piece.content.text_position(source) if s0 <= source < s1 else None
                if pos is not None:
                    expected = (piece, piece.start + pos)
                    break
            assert text._covering(source) == expected, (doc.id, source)


def test_a_document_with_an_orphan_is_read_once_per_change_of_its_file_not_per_listing(tmp_path, monkeypatch):
    from tuireader.annotations.model import Annotation
    from tuireader.annotations.service import placed_library
    from tuireader.core.library import Library

    root = tmp_path / "lib"
    write(root / "report.txt", TEXT)
    library = Library(root)
    [entry] = library.scan().documents
    store = _store(tmp_path)
    start = TEXT.index(PASSAGE)
    store.add(new_annotation(library.parse(entry), start, start + len(PASSAGE), note="keep me"))
    write(root / "report.txt", TEXT.replace(PASSAGE + " ", ""))  # the passage deleted: an orphan
    parsed: list[str] = []
    real_parse = Library.parse
    monkeypatch.setattr(Library, "parse", lambda self, entry: parsed.append(entry.id) or real_parse(self, entry))

    [listed] = placed_library(store, library)
    assert listed.status == ORPHANED and parsed == ["report"]
    for _ in range(3):
        [again] = placed_library(store, library)
        assert (again.status, again.note) == (ORPHANED, "keep me")  # still listed, as an orphan
    assert parsed == ["report"]  # the same file: not read again
    write(root / "report.txt", TEXT.replace(PASSAGE + " ", "") + "\nA line added.\n")
    placed_library(store, library)
    assert parsed == ["report", "report"]  # the file changed: tried again, once
    store.add(Annotation("report", 0, 0, TextQuote("The last paragraph closes it."), ""))  # an import to place
    listed_now = placed_library(store, library)
    assert parsed == ["report"] * 3  # a new annotation is placed in the file as it is
    assert {a.status for a in listed_now} == {ORPHANED, MOVED}
