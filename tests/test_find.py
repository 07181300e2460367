"""Find in one document (core/find.py): literal, smart case, accents and compatibility forms folded."""

from __future__ import annotations

from tuireader.core.find import find_spans, fold


def test_fold_keeps_a_map_to_the_original_characters():
    folded, origin = fold("Straße ﬁne café")
    assert folded == "strasse fine cafe"
    assert origin[4:6] == [4, 4]  # both s of "ss" come from ß
    assert origin[folded.index("fi")] == origin[folded.index("fi") + 1] == 7  # the ligature


def test_hits_are_spans_of_the_original_text():
    text = "Erdoğan, Erdogan and e\u0301lan (decomposed) and élan"
    assert [text[a:b] for a, b in find_spans(text, "erdogan")] == ["Erdoğan", "Erdogan"]
    assert [text[a:b] for a, b in find_spans(text, "elan")] == ["e\u0301lan", "élan"]


def test_smart_case_and_whitespace():
    text = "Turkey and turkey; the\nOrganization"
    assert len(find_spans(text, "turkey")) == 2
    assert [text[a:b] for a, b in find_spans(text, "Turkey")] == ["Turkey"]
    assert [text[a:b] for a, b in find_spans(text, "the organization")] == ["the\nOrganization"]
    assert find_spans(text, "   ") == []


def test_find_in_a_document_the_index_does_not_hold_falls_back_to_plain_find(tmp_path):
    """The one fallback (LibraryIndex.find_in): no index yet, so the document is matched as the
    in-document find matches, accents and case folded, a phrase kept whole over its words."""
    from tuireader.core.formats import parse_file
    from tuireader.core.library import Library
    from tuireader.search import LibraryIndex

    lib = tmp_path / "lib"
    lib.mkdir()
    text = "Talks\n\nErdoğan met the Kremlin team.[1] Later erdogan left.\n\n[1] The Kremlin\nteam, in a note.\n"
    path = lib / "talks.md"
    path.write_text(text, encoding="utf-8")
    doc = parse_file(path)
    index = LibraryIndex(Library(lib), tmp_path / "index")
    results = index.find_in(doc, 'ERDOGAN "kremlin team" -absent')
    assert results.notes == ["plain find: this document is not in the library index"]
    assert results.total == 1
    found = [text[a:b] for a, b in results.hits[0].offsets]
    assert found == ["Erdoğan", "Kremlin team", "erdogan", "Kremlin\nteam"]
    snippets = results.hits[0].snippets  # three at most: the body's hits come first
    assert [s.text[s.hits[0][0] : s.hits[0][1]] for s in snippets] == ["Erdoğan", "Kremlin team", "erdogan"]
    assert index.find_in(doc, "NOT -x").messages == ["empty query"]
    assert index.find_in(doc, "zebra").total == 0
    index.close()
