"""The command line's answers to mistakes and empty results (issue 12, items 13 and 17)."""

from __future__ import annotations

import json

import pytest

from tuireader.cli import main

from .conftest import LIBRARY, write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"


@pytest.mark.parametrize(
    "args",
    [
        ["nosuchdoc"],  # the reader: must not start on a folder that is not there
        ["show", "x"],
        ["check"],
        ["index"],
        ["search", "turkey"],
        ["entities"],
        ["entities", "x"],
        ["compare", "a", "b"],
        ["related", "x"],
    ],
)
def test_a_missing_library_folder_is_a_usage_error_with_one_clear_line(tmp_path, capsys, args):
    missing = tmp_path / "nonexistent"
    assert (
        main(["--library", str(missing), *args] if args[0] == "nosuchdoc" else [*args, "--library", str(missing)]) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tuireader: no such folder: {missing} (the library; give --library DIR)"]
    assert not missing.exists()


def test_library_from_the_environment_missing_is_the_same_error(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "gone"
    monkeypatch.setenv("TUIREADER_LIBRARY", str(missing))
    assert main(["check"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_document_path_outside_a_missing_library_still_opens(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./library here, and the default library does not exist
    path = write(tmp_path / "x.md", "# Outside\n\nBody.\n")
    assert main(["show", str(path)]) == 0
    assert "Body." in capsys.readouterr().out


def test_usage_line_shows_the_document_argument(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tuireader [--library DIR] [--index-dir DIR] [DOC]\n")
    assert "tuireader COMMAND" in out.split("\n\n")[0]


def test_compare_a_document_with_itself_is_refused(capsys):
    assert main(["compare", ISW_ID, ISW_ID, "--library", str(LIBRARY)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tuireader: compare needs two different documents ({ISW_ID} twice)"]


def test_entities_of_a_document_without_any_says_so(tmp_path, capsys):
    lib = tmp_path / "lib"
    write(lib / "plain.txt", "A note to self\n\nnothing worth naming here at all.\n")
    assert main(["entities", "plain", "--library", str(lib)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "tuireader: no entities found in plain"
    # the JSON shape stays, with an empty list
    assert main(["entities", "plain", "--library", str(lib), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "plain" and data["mentions"] == []


def test_entities_of_a_document_is_the_table_the_readme_describes(capsys):
    assert main(["entities", ISW_ID, "--library", str(LIBRARY)]) == 0
    out = capsys.readouterr().out
    # by type, then the count and canonical name, and the other forms the text used
    assert out.startswith("PERSON\n")
    assert "Recep Tayyip Erdogan  (as Erdogan)" in out
    readme = (LIBRARY.parent / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if ln.startswith("tuireader entities DOC"))
    assert "by type" in line and "count" in line


def test_readme_documents_search_facets():
    readme = (LIBRARY.parent / "README.md").read_text(encoding="utf-8")
    assert "--facets" in readme


def test_a_library_that_is_a_file_is_named_as_such(tmp_path, capsys):
    document = tmp_path / "report.txt"
    document.write_text("A report\n\nText.\n")
    assert main(["check", "--library", str(document)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"tuireader: {document} is a file, not a folder: the library is a folder of documents (--library DIR)"
    ]
    assert document.read_text() == "A report\n\nText.\n"
