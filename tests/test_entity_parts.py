"""Entities in every part of a document: the title, the body (tables too) and the notes' prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.core.formats import parse_file
from tuireader.core.textio import read_source
from tuireader.entities.extract import BODY, BYLINE, NOTE, TITLE, EntityExtractor
from tuireader.entities.gazetteer import load_gazetteers
from tuireader.workspace import Workspace

from .conftest import ISW, LIBRARY

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


@pytest.fixture(scope="module")
def general() -> EntityExtractor:
    return EntityExtractor(load_gazetteers([])[0])


NOTED = """\
Talks in Minsk

Foreign Minister Anna Zorbova met her counterpart on Monday.¹

¹ Zorbova later spoke in Ankara: https://example.org/Ankara/Turkey.html
"""


def _doc(tmp_path: Path, text: str, name: str = "a.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path), text


def test_a_note_mention_has_its_note_key_offset_in_the_note_and_source_offset(general, tmp_path):
    doc, source = _doc(tmp_path, NOTED)
    in_notes = [m for m in general.extract_all(doc) if m.part == NOTE]
    note = doc.footnotes[0]
    # the surname learned from the body's title cue holds in the note; the URL's words are not read
    assert [(m.text, m.type, m.canonical, m.note) for m in in_notes] == [
        ("Zorbova", "PERSON", "Anna Zorbova", note.key),
        ("Ankara", "PLACE", "Ankara", note.key),
    ]
    for m in in_notes:
        assert m.block == -1
        assert note.text[m.start : m.end] == m.text
        assert source[m.source_start : m.source_end] == m.text


def test_the_title_is_read_and_extract_keeps_to_the_body(general, tmp_path):
    doc, source = _doc(tmp_path, "# Talks in Minsk\n\nA paragraph about Kyiv.\n")
    everything = general.extract_all(doc)
    title = [m for m in everything if m.part == TITLE]
    assert [(m.text, m.type) for m in title] == [("Minsk", "PLACE")]
    assert source[title[0].source_start : title[0].source_end] == "Minsk"
    assert [(m.text, m.part) for m in general.extract(doc)] == [("Kyiv", BODY)]


def test_table_cells_are_read(general, tmp_path):
    doc, _ = _doc(tmp_path, "Sites:\n\n| City | Country |\n|---|---|\n| Tbilisi | Georgia |\n")
    found = {(m.text, m.type) for m in general.extract(doc)}
    assert {("Tbilisi", "PLACE"), ("Georgia", "PLACE")} <= found


def test_isw_title_and_note_four(general):
    doc = parse_file(ISW)
    mentions = general.extract_all(doc)
    source = read_source(ISW).text
    assert all(source[m.source_start : m.source_end] == m.text for m in mentions if m.part != BYLINE)
    assert {m.text for m in mentions if m.part == TITLE} >= {"Kazakhstan", "Turkey", "Central Asia"}
    lavrov = [m for m in mentions if m.canonical == "Sergey Lavrov"]
    assert lavrov and {(m.part, m.note) for m in lavrov} == {(NOTE, "4")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = Workspace(LIBRARY, tmp_path_factory.mktemp("index"))
    ws.index.update()
    yield ws
    ws.index.close()


def test_a_person_named_only_in_a_note_is_found_by_search(workspace):
    results = workspace.index.search("person:lavrov")
    assert {h.id for h in results.hits} == {ISW_ID}


def test_library_table_counts_note_mentions(workspace):
    table = {(n, t): (d, m) for n, t, d, m in workspace.index.entity_table()}
    assert table[("Sergey Lavrov", "PERSON")] == (1, 1)  # once, in note 4


def test_cli_json_adds_part_and_note(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TUIREADER_INDEX_DIR", str(tmp_path / "idx"))
    assert main(["entities", "--library", str(LIBRARY), ISW_ID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lavrov = [m for m in data["mentions"] if m["canonical"] == "Sergey Lavrov"]
    assert [(m["text"], m["part"], m["note"]) for m in lavrov] == [("Sergey Lavrov", "note", "4")]
    assert {m["part"] for m in data["mentions"]} == {"title", "byline", "body", "note"}


def test_the_byline_is_read_as_the_reader_shows_it_and_counted(general, tmp_path):
    text = "# Talks in Minsk\n\nBy Anna Zorbova and Piotr Vellek\n\nZorbova met officials in Minsk.\n"
    doc, source = _doc(tmp_path, text)
    assert doc.authors == ["Anna Zorbova", "Piotr Vellek"]
    byline = [m for m in general.extract_all(doc) if m.part == BYLINE]
    # positions in "Anna Zorbova, Piotr Vellek" (the authors joined as the article's header shows
    # them); each one's source range is where the file spells that name
    assert [(m.text, m.type, m.start, m.end) for m in byline] == [
        ("Anna Zorbova", "PERSON", 0, 12),
        ("Piotr Vellek", "PERSON", 14, 26),
    ]
    assert [(m.source_start, m.source_end) for m in byline] == [(21, 33), (38, 50)]  # counted by hand
    assert all(source[m.source_start : m.source_end] == m.text for m in byline)
    # the surname in the body is the byline's person
    assert [(m.text, m.canonical) for m in general.extract(doc) if m.type == "PERSON"] == [("Zorbova", "Anna Zorbova")]


def test_a_byline_name_is_counted_in_the_library_table(workspace):
    table = {(n, t): (d, m) for n, t, d, m in workspace.index.entity_table()}
    # ISW's byline names both authors (the second from its contributors line, which names both too)
    assert table[("Ezgi Yazici", "PERSON")] == (1, 2)
    assert table[("Fatih Cungurlu", "PERSON")] == (1, 2)
