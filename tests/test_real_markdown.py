"""Real Markdown nobody here wrote (two Ethereum Improvement Proposals, CC0; see
tests/data/real/SOURCES.md): front matter as EIPs write it, `[^N]` notes whose text is a
fenced CSL-JSON record, definitions hidden in an HTML comment, markers inside block quotes.
The counts were taken from the files with grep and awk (SOURCES.md says how)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.metadata import metadata_from_mapping
from tuireader.core.model import HEADING, QUOTE

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def control_flow():
    return parse_file(REAL / "eip-8173.md")


@pytest.fixture(scope="module")
def secp256r1():
    return parse_file(REAL / "eip-7951.md")


def test_control_flow_metadata(control_flow):
    doc = control_flow
    assert doc.title == "Foundations of EVM Control Flow"
    assert doc.authors == ["Greg Colvin"]  # "Greg Colvin (@gcolvin)": the handle is not the name
    assert doc.date == "2026-02-16"


def test_control_flow_headings(control_flow):
    headings = [b.text for b in control_flow.blocks if b.kind == HEADING]
    assert len(headings) == 22
    assert headings[:3] == ["Abstract", "Motivation", "Historical Context"]
    assert headings[-1] == "Copyright"
    assert [b.level for b in control_flow.blocks if b.kind == HEADING].count(5) == 2  # the two Rollups


def test_control_flow_notes(control_flow):
    doc = control_flow
    assert [n.key for n in doc.footnotes] == [f"^{i}" for i in range(1, 9)]
    # ten citations: [^1] three times, every other note once
    assert [len(n.cited_at) for n in doc.footnotes] == [3, 1, 1, 1, 1, 1, 1, 1]
    assert doc.warnings == []
    # the first definitions stand inside an HTML comment: they are neither notes nor text
    assert not any("Bibliothèque Universelle" in b.text for b in doc.blocks)
    # the note that counts is the fenced CSL-JSON record after the comment
    assert '"family": "Menabrea"' in doc.footnotes[0].text
    # notes 4 to 7 are cited from block quotes
    for key in ("^4", "^5", "^6", "^7"):
        (block, _at) = doc.footnote(key).cited_at[0]
        assert doc.blocks[block].kind == QUOTE


def test_secp256r1(secp256r1):
    doc = secp256r1
    assert doc.title == "Precompile for secp256r1 Curve Support"
    assert doc.authors == ["Carl Beekhuizen", "Ulaş Erdoğan", "Doğan Alpaslan"]
    assert doc.date == "2025-05-27"
    assert sum(1 for b in doc.blocks if b.kind == HEADING) == 34
    assert [(n.key, len(n.cited_at)) for n in doc.footnotes] == [("^1", 2), ("^2", 3)]
    assert doc.warnings == []


@pytest.mark.parametrize(
    "value, names",
    [
        (
            "Martin Becze <mb@ethereum.org>, Hudson Jameson <hudson@ethereum.org>, et al.",
            ["Martin Becze", "Hudson Jameson"],
        ),
        (
            "Gregory Markou (@GregTheGreek) <g@example.com>, James Prestwich (@prestwich)",
            ["Gregory Markou", "James Prestwich"],
        ),
        ("Jane Doe (jane@example.org)", ["Jane Doe"]),
        ("Doe, Jane", ["Doe, Jane"]),  # one name written surname first stays one name
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ],
)
def test_author_strings_as_front_matter_writes_them(value, names):
    assert metadata_from_mapping({"author": value}).authors == names
