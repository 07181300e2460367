"""What the command line and the reader share: opening a document by reference, a comparison."""

from __future__ import annotations

import pytest

from tuireader.core.dates import date_range
from tuireader.core.library import Library
from tuireader.services.compare import prepare_comparison
from tuireader.services.documents import NoSuchDocument, UnsupportedFile, open_document
from tuireader.workspace import Workspace

from .conftest import ISW, LIBRARY, NEO, write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


def test_a_library_document_by_id_by_path_and_by_file_name():
    library = Library(LIBRARY)
    for ref in (ISW_ID, str(ISW), ISW.name):
        opened = open_document(library, ref)
        assert opened.ref == ISW_ID and opened.library_id == ISW_ID
        assert opened.document.title == "Kazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia"


def test_a_file_outside_the_library_is_named_by_its_resolved_path(tmp_path):
    path = write(tmp_path / "outside.md", "# Outside\n\nBody[^1].\n\n[^1]: Note.\n")
    opened = open_document(Library(LIBRARY), str(path))
    assert opened.entry is None and opened.library_id is None
    assert opened.ref == str(path.resolve()) and opened.document.footnotes[0].text == "Note."


def test_unknown_references_and_unread_types_are_told_apart(tmp_path):
    library = Library(LIBRARY)
    with pytest.raises(NoSuchDocument) as missing:
        open_document(library, "no-such-document")
    assert not isinstance(missing.value, UnsupportedFile) and missing.value.ref == "no-such-document"
    sheet = write(tmp_path / "table.xlsx", "not read")
    with pytest.raises(UnsupportedFile):
        open_document(library, str(sheet))


def test_prepare_comparison_counts_each_side(tmp_path):
    workspace = Workspace(LIBRARY, tmp_path / "index")
    library = workspace.library
    a, b = open_document(library, ISW.name), open_document(library, NEO.name)
    prepared = prepare_comparison(workspace, a.document, a.library_id, b.document, b.library_id)
    shared = {e.name: (e.a, e.b) for e in prepared.comparison.shared}
    # by hand: "Kazakhstan" is named in both texts, "Vladimir Danilov" only in NEO's
    assert "Kazakhstan" in shared and min(shared["Kazakhstan"]) > 0
    assert "Vladimir Danilov" in {e.name for e in prepared.comparison.only_b}
    assert prepared.a.document is a.document and prepared.b.mentions


def test_date_range():
    assert date_range("2021-12-28", "2022-01-18") == "2021-12-28 – 2022-01-18"
    assert date_range("2022-01-22", None) == "2022-01-22"
    assert date_range(None, None) == "" and date_range(None, "2022-01-18", undated="undated") == "undated"
