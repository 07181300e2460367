"""`tuireader quote`, `cite` and `annotations` on the bundled library (issue 19's proof)."""

from __future__ import annotations

import json
from datetime import date

import bibtexparser

from tuireader import paths
from tuireader.annotations import AnnotationStore
from tuireader.annotations.service import new_annotation
from tuireader.cli import main
from tuireader.core.library import Library

from .conftest import ISW, LIBRARY, write

ISW_ID = "isw-2022-01-18-kazakhstan-crisis-turkey-reach"
SOURCE = ISW.read_text(encoding="utf-8")
# The passage that cites notes 1 and 2: from "Ankara’s initial response" to "role in Kazakhstan." (marker ² after it)
START = SOURCE.index("Ankara’s initial response")
END = SOURCE.index("retains a role in Kazakhstan.") + len("retains a role in Kazakhstan.")
NOTE_1_URL = "https://www.mfa.gov.tr/no_-2_-kazakistan-da-duzenlenen-protesto-gosterileri-hk.tr.mfa"
NOTE_2_URLS = (
    "https://www.vedomosti.ru/politics/articles/2010/06/15/mirotvorcy-odkb-ne-budut-napravleny-v-kirgiziyu",
    "https://www.interfax.ru/world/768966",
)


def _run(capsys, *args):
    code = main([*args, "--library", str(LIBRARY)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_quote_markdown_carries_both_notes_and_the_citation(capsys):
    code, out, err = _run(capsys, "quote", ISW_ID, "--start", str(START), "--end", str(END))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("> Ankara’s initial response to the Kazakh crisis")
    assert "stability and peace.[^1] Turkey accelerated" in lines[0]
    assert lines[0].endswith("retains a role in Kazakhstan.[^2]")
    assert f"[^1]: {NOTE_1_URL}" in lines
    note_2 = next(line for line in lines if line.startswith("[^2]: "))
    assert note_2.startswith("[^2]: The CSTO declined Kyrgyzstan's request")
    assert all(url in note_2 for url in NOTE_2_URLS)
    citation = lines[-1]
    assert citation.startswith("— Ezgi Yazici, Fatih Cungurlu, “Kazakhstan Crisis Exposes Limits")
    assert "2021-12-28 – 2022-01-18" in citation and f"(accessed {date.today().isoformat()})" in citation


def test_quote_as_plain_text(capsys):
    code, out, _ = _run(capsys, "quote", ISW_ID, "--start", str(START), "--end", str(END), "--format", "text")
    assert code == 0
    assert out.startswith("“Ankara’s initial response") and "peace.[1] Turkey" in out
    assert f"[1] {NOTE_1_URL}" in out and "Ezgi Yazici, Fatih Cungurlu" in out
    assert ">" not in out.split("\n")[0]


def test_a_quote_of_offsets_with_no_text_is_one_line(capsys):
    code, out, err = _run(capsys, "quote", ISW_ID, "--start", "999999", "--end", "1000000")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "show no text" in err


def test_cite_bibtex_parses_with_a_bibtex_parser(capsys):
    code, out, _ = _run(capsys, "cite", ISW_ID)
    assert code == 0
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.entry_type == "online"
    assert entry.key == "yazici2022kazakhstan"
    assert entry["author"] == "Yazici, Ezgi and Cungurlu, Fatih"
    assert entry["title"] == "{Kazakhstan Crisis Exposes Limits of Turkey’s Reach in Central Asia}"
    assert entry["year"] == "2022" and entry["date"] == "2021-12-28/2022-01-18"


def test_bibtex_escapes_what_would_break_it(tmp_path, capsys):
    path = write(tmp_path / "x.md", '---\ntitle: "50% of R&D {costs} #1"\nauthor: A_B Cee\n---\n\nBody text.\n')
    assert main(["cite", str(path), "--library", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    [entry] = bibtexparser.parse_string(out).entries
    assert entry["title"] == r"{50\% of R\&D \{costs\} \#1}"
    assert entry["author"] == r"Cee, A\_B"


# The CSL schema (citation-style-language/schema, schemas/input/csl-data.json): each item requires
# id and type and allows no property the schema does not name; the types of the fields we write, as
# the schema gives them (checked against the schema's text by hand; the schema is not vendored).
CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "report", "webpage", "document"}


def _date_variable(value):
    parts = value["date-parts"]
    assert isinstance(parts, list) and 1 <= len(parts) <= 2
    for part in parts:
        assert isinstance(part, list) and 1 <= len(part) <= 3 and all(isinstance(x, int | str) for x in part)


def test_cite_csl_json_has_the_schemas_required_fields_and_types(capsys):
    code, out, _ = _run(capsys, "cite", ISW_ID, "--format", "csl-json")
    assert code == 0
    [item] = json.loads(out)
    assert isinstance(item["id"], str | int) and item["type"] in CSL_TYPES
    assert isinstance(item["title"], str)
    assert item["author"] == [{"family": "Yazici", "given": "Ezgi"}, {"family": "Cungurlu", "given": "Fatih"}]
    assert item["issued"] == {"date-parts": [[2021, 12, 28], [2022, 1, 18]]}
    _date_variable(item["issued"])
    _date_variable(item["accessed"])
    assert set(item["accessed"]) == {"date-parts"}  # a date object allows no other keys (additionalProperties)
    allowed = {
        "id",
        "type",
        "title",
        "author",
        "issued",
        "accessed",
        "container-title",
        "publisher",
        "URL",
        "language",
        "keyword",
    }
    assert set(item) <= allowed
    for key in ("container-title", "publisher", "URL", "language", "keyword"):
        assert key not in item or isinstance(item[key], str)


def test_annotations_list_export_and_import(tmp_path, capsys):
    library = Library(LIBRARY)
    doc = library.parse(library.find(ISW_ID))
    store = AnnotationStore(paths.annotations_file())
    store.add(new_annotation(doc, START, END, note="Ankara waited", tags="turkey"))
    code, out, _ = _run(capsys, "annotations", ISW_ID, "--json")
    assert code == 0
    [item] = json.loads(out)["annotations"]
    assert (item["start"], item["end"], item["status"]) == (START, END, "anchored")
    assert item["exact"].startswith("Ankara’s initial response") and item["tags"] == ["turkey"]
    code, out, _ = _run(capsys, "annotations")
    assert code == 0 and f"{ISW_ID}\t{START}-{END}\tyellow\t“Ankara’s initial" in out and "    Ankara waited" in out
    target = tmp_path / "out.jsonld"
    assert _run(capsys, "annotations", "--export", str(target))[0] == 0
    store.close()
    paths.annotations_file().unlink()
    code, out, _ = _run(capsys, "annotations", "--import", str(target))
    assert (code, out) == (0, "imported 1 annotation\n")
    assert [a.note for a in AnnotationStore(paths.annotations_file()).all()] == ["Ankara waited"]


def test_a_malformed_import_is_one_line_and_imports_nothing(tmp_path, capsys):
    bad = write(tmp_path / "bad.jsonld", '{"type": "AnnotationPage", "items": [{"type": "Annotation"}]}')
    code, _, err = _run(capsys, "annotations", "--import", str(bad))
    assert code == 1 and err == "tuireader: item 1: no target; nothing was imported\n"


def test_listing_without_a_store_creates_none(capsys):
    assert _run(capsys, "annotations")[0] == 1
    assert not paths.annotations_file().exists()


def test_search_finds_your_notes_beside_the_documents(capsys):
    library = Library(LIBRARY)
    doc = library.parse(library.find(ISW_ID))
    AnnotationStore(paths.annotations_file()).add(new_annotation(doc, START, END, note="Ankara waited", tags="turkey"))
    code, out, _ = _run(capsys, "search", "annotation:waited", "--json")
    assert code == 0
    [hit] = json.loads(out)["hits"]
    assert hit["id"] == ISW_ID and hit["offsets"] == [[START, END]]
    assert hit["snippets"][0]["field"] == "annotation"
    assert hit["snippets"][0]["text"].startswith("your note on “Ankara’s initial response")
    code, out, _ = _run(capsys, "search", "tag:turkey")
    assert code == 0 and "your note on “Ankara’s initial" in out and "Ankara waited  #turkey" in out


def test_the_library_wide_listing_shows_annotations_where_they_are_now(library_copy, capsys):
    library = Library(library_copy)
    doc = library.parse(library.find(ISW_ID))
    AnnotationStore(paths.annotations_file()).add(new_annotation(doc, START, END))
    path = library_copy / ISW.name
    added = "An added paragraph.\n\n"
    path.write_text(SOURCE.replace("Ankara’s initial response", added + "Ankara’s initial response", 1), "utf-8")
    code = main(["annotations", "--json", "--library", str(library_copy)])
    [item] = json.loads(capsys.readouterr().out)["annotations"]
    assert code == 0 and (item["start"], item["end"], item["status"]) == (START + len(added), END + len(added), "moved")
