"""The reStructuredText (docutils) and Org readers: every note convention, metadata,
directives shown as text, blocks, and offsets into the file."""

from __future__ import annotations

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.model import CODE, HEADING, LIST_ITEM, PARAGRAPH, QUOTE, TABLE

from .conftest import write

RST_NOTES = """\
Notes of every kind
===================

:Author: Jane Analyst, John Roe
:Date: 28 December 2021
:Organization: Example Institute

Numbered [1]_, auto [#]_, auto named [#named]_,
symbol [*]_ and a citation [CIT2002]_. Named again [#named]_.

.. [1] A numbered note, https://example.org/one
.. [#] An auto-numbered note.
.. [#named] A named auto note.

   With a second paragraph.
.. [*] A symbol note.
.. [CIT2002] A citation.
"""


def test_rst_resolves_every_note_convention(tmp_path):
    path = write(tmp_path / "notes.rst", RST_NOTES)
    source = path.read_text(encoding="utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.date, doc.source) == (
        "Notes of every kind",
        ["Jane Analyst", "John Roe"],
        "2021-12-28",
        "Example Institute",
    )
    (para,) = doc.blocks
    assert para.text == "Numbered, auto, auto named, symbol and a citation. Named again."
    assert [(r.label, source[r.source_offset : r.source_end]) for r in para.refs] == [
        ("1", "[1]_"),
        ("2", "[#]_"),
        ("3", "[#named]_"),
        ("*", "[*]_"),
        ("CIT2002", "[CIT2002]_"),
        ("3", "[#named]_"),
    ]
    notes = {n.label: n for n in doc.footnotes}
    assert notes["1"].urls == ["https://example.org/one"]
    assert notes["3"].text == "A named auto note.\n\nWith a second paragraph."
    assert len(notes["3"].cited_at) == 2
    assert notes["CIT2002"].text == "A citation."
    assert source[notes["*"].source_start :].startswith(".. [*] A symbol note.")
    assert doc.warnings == []


def test_rst_a_missing_note_is_reported_not_lost(tmp_path):
    doc = parse_file(write(tmp_path / "a.rst", "Title\n=====\n\nA claim [9]_ here.\n"))
    assert doc.blocks[0].text == "A claim here."
    assert [(n.label, n.defined) for n in doc.footnotes] == [("9", False)]
    assert "unresolved-marker" in [w.code for w in doc.warnings]


def test_rst_never_reads_another_file_nor_runs_raw_markup(tmp_path, capsys):
    secret = write(tmp_path / "secret.txt", "TOP SECRET CONTENT\n")
    text = f"""\
Title
=====

Before.

.. include:: {secret}

.. raw:: html

   <script>alert(1)</script>

.. csv-table:: Data
   :file: {secret}

.. mystery:: argument
   :option: value

   Body of the unknown directive.

After.
"""
    doc = parse_file(write(tmp_path / "a.rst", text))
    everything = "\n".join(b.text for b in doc.blocks)
    assert "TOP SECRET" not in everything
    assert [b.text for b in doc.blocks if b.kind == PARAGRAPH] == ["Before.", "After."]
    shown = [b.text for b in doc.blocks if b.kind == CODE]
    # what docutils did not render is shown as it was written
    assert shown[0] == f".. include:: {secret}"
    assert shown[1] == ".. raw:: html\n\n   <script>alert(1)</script>"
    assert shown[-1].startswith(".. mystery:: argument\n   :option: value")
    assert [w.code for w in doc.warnings] == ["rst"] * 4
    assert "include" in doc.warnings[0].message and "disabled" in doc.warnings[0].message
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_rst_pep_header_is_metadata_and_not_text(tmp_path):
    text = """\
PEP: 9999
Title: A Header Like Python's
Author: David Example <david@example.org>,
        Guido Example <guido@example.org>
Status: Active
Created: 29-May-2001

Abstract
========

This PEP documents a convention (see :pep:`8`).

    "A quoted remark."

    -- Someone, 2001-06-16

Example::

    def f():
        return 1
"""
    path = write(tmp_path / "pep-9999.rst", text)
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.date, doc.source) == (
        "A Header Like Python's",
        ["David Example", "Guido Example"],
        "2001-05-29",
        "PEP 9999",
    )
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (HEADING, "Abstract"),
        (PARAGRAPH, "This PEP documents a convention (see PEP 8)."),
        (QUOTE, "“A quoted remark.”".replace("“", '"').replace("”", '"')),
        (QUOTE, "Someone, 2001-06-16"),
        (PARAGRAPH, "Example:"),
        (CODE, "def f():\n    return 1"),
    ]
    source = path.read_text(encoding="utf-8")
    code = doc.blocks[-1]
    assert source[code.source_start : code.source_end] == "def f():\n        return 1"
    assert doc.warnings == []


def test_rst_lists_tables_and_admonitions(tmp_path):
    text = """\
Doc
===

Intro.

Part
----

#. first
#. second

a) lettered

- bullet with `a link <https://example.org/l>`_

.. note:: Keep this in mind.

+------+-------+
| Name | Role  |
+======+=======+
| Ali  | Chief |
+------+-------+
"""
    doc = parse_file(write(tmp_path / "a.rst", text))
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        (PARAGRAPH, "", "Intro."),
        (HEADING, "", "Part"),
        (LIST_ITEM, "1.", "first"),
        (LIST_ITEM, "2.", "second"),
        (LIST_ITEM, "a)", "lettered"),
        (LIST_ITEM, "•", "bullet with a link"),
        (QUOTE, "", "Note: Keep this in mind."),
        (TABLE, "", "Name | Role\nAli | Chief"),
    ]
    item = doc.blocks[5]
    assert [(s.kind, s.target) for s in item.spans] == [("link", "https://example.org/l")]
    table = doc.blocks[-1]
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [["Name", "Role"], ["Ali", "Chief"]]


def test_rst_broken_markup_is_warned_not_raised(tmp_path):
    text = "Title\n=====\n\n+-----+\n| bad table\n\n`unclosed interpreted\n\n.. [1] never cited\n"
    doc = parse_file(write(tmp_path / "a.rst", text))
    codes = [w.code for w in doc.warnings]
    assert "rst" in codes and "uncited-note" in codes


# -- Org ---------------------------------------------------------------------------
ORG = """\
#+TITLE: OSINT Log: Kazakhstan
#+AUTHOR: Jane Analyst
#+DATE: <2022-01-18 Tue>
#+FILETAGS: :osint:kz:

* TODO Day one                                                      :urgent:
  :PROPERTIES:
  :ID: 1234
  :END:
Protests began in Zhanaozen.[fn:fuel] Prices doubled[fn:: Gas went from 60 to 120 tenge.] overnight.
A /second/ line with *bold*, =code= and [[https://example.org/a][a link]].[fn:late: An inline named note.]

** Sources
- item one[fn:fuel]
- item two
  continued
1. numbered

#+BEGIN_QUOTE
Quoted text here.
#+END_QUOTE

#+BEGIN_SRC python
print("[fn:notanote]")
#+END_SRC

| Name    | Role                  |
|---------+-----------------------|
| Tokayev | President[fn:missing] |

: fixed width

* Footnotes
[fn:fuel] Reuters, https://reuters.com/fuel

with a second paragraph.

[fn:unused] Never cited.
"""


def test_org_notes_of_every_form_numbered_by_first_citation(tmp_path):
    path = write(tmp_path / "log.org", ORG)
    source = path.read_text(encoding="utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.date, doc.tags) == (
        "OSINT Log: Kazakhstan",
        ["Jane Analyst"],
        "2022-01-18",
        ["osint", "kz"],
    )
    para = doc.blocks[1]
    assert para.text == (
        "Protests began in Zhanaozen. Prices doubled overnight. A second line with bold, code and a link."
    )
    assert [(r.label, source[r.source_offset : r.source_end]) for r in para.refs] == [
        ("1", "[fn:fuel]"),
        ("2", "[fn:: Gas went from 60 to 120 tenge.]"),
        ("3", "[fn:late: An inline named note.]"),
    ]
    assert [(n.label, n.text, n.defined) for n in doc.footnotes] == [
        ("1", "Reuters, https://reuters.com/fuel\n\nwith a second paragraph.", True),
        ("2", "Gas went from 60 to 120 tenge.", True),
        ("3", "An inline named note.", True),
        ("5", "Never cited.", True),
        ("4", "", False),
    ]
    assert doc.footnotes[0].urls == ["https://reuters.com/fuel"]
    assert len(doc.footnotes[0].cited_at) == 2
    assert sorted(w.code for w in doc.warnings) == ["uncited-note", "unresolved-marker"]
    spans = [(s.kind, para.text[s.start : s.end], s.target) for s in para.spans]
    assert spans == [
        ("italic", "second", ""),
        ("bold", "bold", ""),
        ("code", "code", ""),
        ("link", "a link", "https://example.org/a"),
    ]


def test_org_blocks_headings_lists_and_tables(tmp_path):
    doc = parse_file(write(tmp_path / "log.org", ORG))
    assert [(b.kind, b.level, b.marker, b.text) for b in doc.blocks] == [
        (HEADING, 1, "", "Day one"),  # TODO keyword and tags are not the heading's text
        (PARAGRAPH, 0, "", doc.blocks[1].text),
        (HEADING, 2, "", "Sources"),
        (LIST_ITEM, 0, "•", "item one"),
        (LIST_ITEM, 0, "•", "item two continued"),
        (LIST_ITEM, 0, "1.", "numbered"),
        (QUOTE, 0, "", "Quoted text here."),
        (CODE, 0, "", 'print("[fn:notanote]")'),  # no marker inside source code
        (TABLE, 0, "", "Name | Role\nTokayev | President"),
        (CODE, 0, "", "fixed width"),
    ]  # the "Footnotes" heading holds the notes: it is not text
    table = next(b for b in doc.blocks if b.kind == TABLE)
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [["Name", "Role"], ["Tokayev", "President"]]


def test_org_unclosed_block_is_read_to_the_end_with_a_warning(tmp_path):
    doc = parse_file(write(tmp_path / "a.org", "* H\n#+BEGIN_EXAMPLE\nline one\nline two\n"))
    assert [(b.kind, b.text) for b in doc.blocks] == [(HEADING, "H"), (CODE, "line one\nline two")]
    assert [w.code for w in doc.warnings] == ["unclosed-block"]


@pytest.mark.parametrize(
    "text",
    ["*not bold * here", "2*3*4 = 24", "a/b/c paths", "[fn:] empty", "[[unclosed link", "[fn:: unclosed"],
)
def test_org_near_misses_stay_text(tmp_path, text):
    doc = parse_file(write(tmp_path / "a.org", text + "\n"))
    assert [b.text for b in doc.blocks] == [text]
    assert doc.blocks[0].spans == [] and doc.blocks[0].refs == []


def test_rst_table_of_contents_and_substitutions(tmp_path):
    text = """\
Doc
===

.. contents::

.. |name| replace:: Substituted Text

A |name| here.

First
-----

Body of the first.
"""
    path = write(tmp_path / "a.rst", text)
    doc = parse_file(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (PARAGRAPH, "A Substituted Text here."),
        (HEADING, "First"),
        (PARAGRAPH, "Body of the first."),
    ]
    source = path.read_text(encoding="utf-8")
    first = doc.blocks[1]
    assert source[first.source_start : first.source_end] == "First"  # not the word in the contents
    assert source[slice(*doc.blocks[0].source_span(0, 1))] == "A"


def test_a_binary_file_named_rst_or_org_is_one_line(tmp_path):
    from tuireader.core.textio import DocumentError

    for name in ("report.rst", "log.org"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
        with pytest.raises(DocumentError, match="binary"):
            parse_file(path)


def test_org_pathological_markup_stays_text(tmp_path):
    doc = parse_file(write(tmp_path / "a.org", "x" + " *y" * 2000 + " [fn:a" * 2000 + " [[a][b" * 2000 + "\n"))
    assert doc.blocks[0].refs == [] and doc.blocks[0].spans == []
    nested = parse_file(write(tmp_path / "b.org", "x " + "*/" * 3000 + "y" + "/*" * 3000 + "\n"))
    assert len(nested.blocks[0].spans) == 8  # eight levels of emphasis, the rest is text


def test_org_image_links_are_shown_as_images(tmp_path):
    """[[file:x.png]] and [[./x.jpg][desc]] are pictures Org shows inline: [image: …] with the
    description, else the file's name, as the other formats show alt text; a remote picture
    and a link to another file stay links with their text."""
    text = (
        "* Map\nSee [[file:maps/almaty.png]] and [[./b.JPG][Protest on the square]] "
        "or [[https://x.org/c.png][remote]] and [[file:notes.org][notes]].\n"
    )
    path = write(tmp_path / "a.org", text)
    para = parse_file(path).blocks[1]
    assert para.text == "See [image: almaty.png] and [image: Protest on the square] or remote and notes."
    # the image stands at its link's place in the source
    assert text[para.content.to_source(para.text.index("[image: almaty"))] == "["
