"""Entities in the index and on the command line."""

from __future__ import annotations

import json

import pytest

from tuireader.cli import main
from tuireader.core.textio import read_source
from tuireader.workspace import Workspace

from .conftest import ISW, LIBRARY

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
NEO_ID = "neo-2022-01-22-turkic-military-alliance"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = Workspace(LIBRARY, tmp_path_factory.mktemp("index"))
    ws.index.update()
    yield ws
    ws.index.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('entity:"Recep Tayyip Erdogan"', {ISW_ID, NEO_ID}),  # NEO only says "Erdogan": merged by alias
        ("person:erdogan", {ISW_ID, NEO_ID}),
        ("org:CSTO", {ISW_ID, NEO_ID}),  # by acronym, although the index stores the canonical name too
        ('org:"Collective Security Treaty Organization"', {ISW_ID, NEO_ID}),
        ("place:Kazakhstan", {ISW_ID, NEO_ID}),
        ("person:danilov", {NEO_ID}),
        ("group:sunni", {ISW_ID}),
        ('org:"Syrian National Army"', {ISW_ID}),
    ],
)
def test_entity_queries(workspace, query, expected):
    results = workspace.index.search(query)
    assert {h.id for h in results.hits} == expected and results.messages == []


def test_results_faceted_by_entity(workspace):
    results = workspace.index.search("Kazakhstan", facets=True)
    facets = dict(results.facets["entity"])
    assert facets["Kazakhstan"] == 2 and facets["Collective Security Treaty Organization"] == 2
    # the top 20, most documents first: more than 20 entities are in both documents, so all show 2
    assert len(facets) == 20 and set(facets.values()) == {2}
    assert "Syrian National Army" not in facets  # in one document only: ranked below the shared ones


def test_entities_are_cached_at_index_time(workspace, monkeypatch):
    from tuireader.core.formats import parse_file

    doc = parse_file(ISW, doc_id=ISW_ID)
    monkeypatch.setattr(type(workspace.extractor), "extract", lambda *a: pytest.fail("extracted again"))
    mentions = workspace.mentions(doc, ISW_ID)
    assert len(mentions) == 437
    source = read_source(ISW).text
    assert all(source[m.source_start : m.source_end] == m.text for m in mentions)


def test_cached_mentions_are_the_extracted_ones(workspace):
    """The index stores spans and reads them back as the same mentions (field order included)."""
    from tuireader.core.formats import parse_file
    from tuireader.entities.extract import BODY

    doc = parse_file(ISW, doc_id=ISW_ID)
    extracted = [m for m in workspace.extractor.extract_all(doc) if m.part == BODY]
    cached = workspace.stored_mentions(doc, ISW_ID)
    assert cached is not None
    assert [m.span for m in cached] == [m.span for m in extracted]
    assert [(m.text, m.type, m.canonical) for m in cached] == [(m.text, m.type, m.canonical) for m in extracted]


def test_entities_package_knows_no_index_field_names():
    from importlib import resources

    for name in ("extract.py", "gazetteer.py", "library.py", "model.py", "statistical.py"):
        text = (resources.files("tuireader.entities") / name).read_text(encoding="utf-8")
        for field_name in ("entity_data", "entity_parts", "entity_keys", '"person"', '"org"'):
            assert field_name not in text, (name, field_name)


def test_library_entity_table(workspace):
    table = {(n, t): (d, m) for n, t, d, m in workspace.index.entity_table()}
    assert table[("Collective Security Treaty Organization", "ORG")] == (
        2,
        25,
    )  # 7 in NEO + 14 in ISW's body + 4 in its notes
    # the byline ("by Vladimir Danilov on 22 Jan 2022") and the signature at the end of the body
    assert table[("Vladimir Danilov", "PERSON")] == (1, 2)


def test_cli_entities_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TUIREADER_INDEX_DIR", str(tmp_path / "idx"))
    assert main(["entities", "--library", str(LIBRARY), NEO_ID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["mentions"][0]
    assert set(first) >= {"text", "canonical", "type", "start", "end"}
    source = read_source(LIBRARY / f"{NEO_ID}.txt").text
    assert all(source[m["start"] : m["end"]] == m["text"] for m in data["mentions"])
    assert [m["text"] for m in data["mentions"] if m["part"] == "byline"] == ["Vladimir Danilov"]
    erdogan = [m for m in data["mentions"] if m["text"] == "Erdogan"]
    assert erdogan and all(m["canonical"] == "Recep Tayyip Erdogan" and m["type"] == "PERSON" for m in erdogan)


def test_cli_library_table(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TUIREADER_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.chdir(LIBRARY.parent)  # ./library is found
    assert main(["entities", "--library", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["entities"]
    assert rows[0] == {
        "entity": "Turkey",
        "type": "PLACE",
        "documents": 2,
        "mentions": 63,
    }  # 62 in the bodies, 1 in ISW's title
