"""Markdown read by the CommonMark parser: each class of construct the issue lists, and our
conventions on top, on small documents written for them (expected values worked out by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from tuireader.core.formats import parse_file
from tuireader.core.metadata import Metadata
from tuireader.core.parse import parse_text


def parse(text: str, **kw):
    return parse_text(text, path=Path("doc.md"), fmt="markdown", **kw)


def body(text: str, **kw):
    """Parsed with a title given, so that the first block stays a block."""
    return parse(text, sidecar=Metadata(title="Given title"), **kw)


def kinds(doc) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in doc.blocks]


def spans(block) -> list[tuple[str, str, str]]:
    return [(sp.kind, block.text[sp.start : sp.end], sp.target) for sp in block.spans]


def codes(doc) -> list[str]:
    return [w.code for w in doc.warnings]


class TestLists:
    def test_one_space_bullets_are_items(self):
        doc = body("- a\n- b\n* c\n+ d\n")
        assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
            ("list_item", "-", "a"),
            ("list_item", "-", "b"),
            ("list_item", "*", "c"),
            ("list_item", "+", "d"),
        ]

    def test_ordered_markers_as_written(self):
        doc = body("1. one\n2. two\n\n3) three\n")
        assert [(b.marker, b.text) for b in doc.blocks] == [("1.", "one"), ("2.", "two"), ("3)", "three")]

    def test_item_not_joined_to_the_paragraph_after_it(self):
        doc = body("- an item that stops in the middle of a sentence and\n\nNext paragraph continues.\n")
        assert kinds(doc) == [
            ("list_item", "an item that stops in the middle of a sentence and"),
            ("paragraph", "Next paragraph continues."),
        ]

    def test_blocks_inside_items_keep_their_kind_and_depth(self):
        doc = body("- item one\n\n      code in item\n\n  > quote in item\n\n  more text\n")
        assert [(b.kind, b.text, b.depth) for b in doc.blocks] == [
            ("list_item", "item one", 1),
            ("code", "code in item", 1),
            ("quote", "quote in item", 2),
            ("paragraph", "more text", 1),
        ]

    def test_task_list_boxes_are_shown(self):
        doc = body("- [x] done\n- [ ] to do\n")
        assert [b.text for b in doc.blocks] == ["[x] done", "[ ] to do"]


class TestQuotesAndCode:
    def test_quote_interior_is_parsed(self):
        doc = body("> # Foo\n> bar\n>\n>     code in quote\n")
        assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
            ("heading", 1, "Foo"),
            ("quote", 0, "bar"),
            ("code", 0, "code in quote"),
        ]

    def test_nested_quotes(self):
        doc = body("> outer\n>\n> > inner\n")
        assert [(b.kind, b.text, b.depth) for b in doc.blocks] == [("quote", "outer", 1), ("quote", "inner", 2)]

    def test_fenced_code_keeps_its_lines_and_blank_lines(self):
        doc = body("```python\nx = 1\n\n\ny = [1]\n```\n")
        assert kinds(doc) == [("code", "x = 1\n\n\ny = [1]")]
        assert doc.blocks[0].refs == []

    def test_unclosed_fence_is_code_to_the_end_and_warned(self):
        doc = body("Text.\n\n```\nnever closed\n")
        assert kinds(doc) == [("paragraph", "Text."), ("code", "never closed")]
        assert codes(doc) == ["unclosed-code"]
        assert doc.warnings[0].source_offset == len("Text.\n\n")


class TestInline:
    def test_reference_links_resolve(self):
        doc = body('See [the report][r] and [Foo].\n\n[r]: https://example.org/r "Title"\n[foo]: /foo\n')
        assert kinds(doc) == [("paragraph", "See the report and Foo.")]
        assert spans(doc.blocks[0]) == [("link", "the report", "https://example.org/r"), ("link", "Foo", "/foo")]
        assert doc.footnotes == [] and doc.warnings == []

    def test_links_listed_in_json(self):
        data = body("See [the report][r].\n\n[r]: https://example.org/r\n").to_json()
        assert data["blocks"][0]["links"] == [
            {"text": "the report", "url": "https://example.org/r", "start": 4, "end": 14}
        ]

    def test_inline_link_with_nested_parentheses_and_angle_destination(self):
        doc = body("[a](foo(and(bar))) and [b](<my dest>)\n")
        assert spans(doc.blocks[0]) == [("link", "a", "foo(and(bar))"), ("link", "b", "my dest")]
        assert doc.blocks[0].text == "a and b"

    def test_autolinks(self):
        doc = body("Mail <foo@bar.example.com> or <https://x.org/a>.\n")
        assert doc.blocks[0].text == "Mail foo@bar.example.com or https://x.org/a."

    def test_emphasis_rules(self):
        doc = body("foo__bar__ and ***strong emph*** and *a **b** c*\n")
        block = doc.blocks[0]
        assert block.text == "foo__bar__ and strong emph and a b c"
        assert ("bold", "strong emph", "") in spans(block) and ("italic", "strong emph", "") in spans(block)
        assert ("bold", "b", "") in spans(block) and ("italic", "a b c", "") in spans(block)

    def test_escapes_and_entities(self):
        doc = body("\\[not a link\\] \\*x\\* &#42; &amp; &copy;\n")
        assert doc.blocks[0].text == "[not a link] *x* * & ©"

    def test_hard_break_backslash(self):
        doc = body("foo\\\nbar\n")
        assert doc.blocks[0].text == "foo bar"

    def test_images(self):
        doc = body("Look: ![a chart](chart.png) here.\n")
        assert doc.blocks[0].text == "Look: [image: a chart] here."
        assert spans(doc.blocks[0]) == [("image", "[image: a chart]", "chart.png")]

    def test_code_span_is_literal(self):
        doc = body("Use `items[1]` and `**x**`.\n")
        assert doc.blocks[0].text == "Use items[1] and **x**."
        assert doc.blocks[0].refs == []


class TestRawHtml:
    def test_inline_tags_stripped_to_their_text(self):
        doc = body("<del>*foo*</del> and <small>tiny</small> <b>bold</b>\n")
        assert doc.blocks[0].text == "foo and tiny bold"

    def test_comments_and_scripts_dropped(self):
        doc = body(
            "Before.\n\n<!-- a\nmulti-line comment -->\n\n<script>\nalert(1)\n</script>\n\nAfter <!-- x --> it.\n"
        )
        assert kinds(doc) == [("paragraph", "Before."), ("paragraph", "After it.")]

    def test_html_block_text_is_a_paragraph(self):
        doc = body("<div>\nSome <em>text</em> &amp; more\n</div>\n")
        assert kinds(doc) == [("paragraph", "Some text & more")]

    def test_sup_around_a_marker_is_the_marker(self):
        doc = parse(
            'Title\n\nA claim.<sup id="r1"><a href="#n1">¹</a></sup> More.<sup>2</sup>\n\n¹ First note.\n² Second.\n'
        )
        assert doc.blocks[0].text == "A claim. More."
        assert [(r.label, r.at) for r in doc.blocks[0].refs] == [("1", 8), ("2", 14)]
        assert doc.footnote("1").text == "First note." and doc.footnote("2").text == "Second."
        assert doc.warnings == []


class TestTables:
    DOC = "| Name | Role |\n|------|:----:|\n| Erdogan | President of *Turkey* |\n| Tokayev | \\| pipe |\n"

    def test_pipe_table_rows_and_cells(self):
        doc = body(self.DOC)
        (table,) = doc.blocks
        assert table.kind == "table"
        cells = [[table.text[a:b] for a, b in row] for row in table.rows]
        assert cells == [["Name", "Role"], ["Erdogan", "President of Turkey"], ["Tokayev", "| pipe"]]
        assert table.text == "Name | Role\nErdogan | President of Turkey\nTokayev | | pipe"
        assert ("italic", "Turkey", "") in spans(table)

    def test_cells_map_to_the_file(self):
        doc = body(self.DOC)
        table = doc.blocks[0]
        a, b = table.rows[1][0]
        s0, s1 = table.source_span(a, b)
        assert self.DOC[s0:s1] == "Erdogan"

    def test_json_adds_rows(self):
        data = body(self.DOC).to_json()
        assert data["blocks"][0]["rows"][0] == ["Name", "Role"]
        assert {"kind", "text", "refs", "source_start", "source_end"} <= set(data["blocks"][0])

    def test_html_table_block_is_a_table(self):
        doc = body(
            "<table>\n<tr><th>Name</th><th>Role</th></tr>\n"
            "<tr><td>Erdogan</td><td>President &amp; <b>leader</b></td></tr>\n</table>\n\nAfter.\n"
        )
        table, after = doc.blocks
        assert [[table.text[a:b] for a, b in row] for row in table.rows] == [
            ["Name", "Role"],
            ["Erdogan", "President & leader"],
        ]
        assert after.text == "After."

    def test_html_table_inside_other_html_is_text(self):
        doc = body("<div>\n<table><tr><td>cell</td></tr></table> tail\n</div>\n")
        assert kinds(doc) == [("paragraph", "cell tail")]

    def test_long_table_keeps_every_row(self):
        # 5,000 rows here (a test must stay fast); bench_parse.py times up to 10 MB of rows
        text = "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(5_000))
        table = body(text).blocks[0]
        assert len(table.rows) == 5_001
        a, b = table.rows[-1][0]
        assert table.text[a:b] == "4999"


class TestNotes:
    def test_multi_paragraph_note_with_code_and_quote(self):
        doc = parse(
            "# Title\n\nA claim[^long].\n\n[^long]: First paragraph\n    continues.\n\n"
            "    > A quote in the note.\n\n        code in the note\n\n    Last paragraph https://example.org/x.\n"
        )
        note = doc.footnote("^long")
        assert [(b.kind, b.text) for b in note.blocks] == [
            ("paragraph", "First paragraph continues."),
            ("quote", "A quote in the note."),
            ("code", "code in the note"),
            ("paragraph", "Last paragraph https://example.org/x."),
        ]
        assert (
            note.text
            == "First paragraph continues.\nA quote in the note.\ncode in the note\nLast paragraph https://example.org/x."
        )
        assert note.urls == ["https://example.org/x"]
        assert note.cited_at == [(0, len("A claim"))]
        assert doc.warnings == []

    def test_undefined_caret_marker_stays_text_and_is_reported(self):
        doc = body("This has no referent[^nope].\n")
        assert doc.blocks[0].text == "This has no referent[^nope]."
        assert codes(doc) == ["unresolved-marker"]

    def test_pandoc_inline_notes(self):
        doc = body("A claim^[See *the* report, p. 3.] and more.\n")
        assert doc.blocks[0].text == "A claim and more."
        (ref,) = doc.blocks[0].refs
        assert (ref.label, ref.at) == ("1", len("A claim"))
        note = doc.footnote(ref.key)
        assert note.text == "See the report, p. 3."  # its Markdown read like any text
        assert note.cited_at == [(0, 7)]

    def test_numbered_notes_under_a_notes_heading(self):
        doc = parse("# Report\n\nA claim [1] and another [2].\n\n## Notes\n\n1. First source.\n2. Second source.\n")
        assert [b.text for b in doc.blocks] == ["A claim and another."]
        assert doc.footnote("1").text == "First source." and doc.footnote("2").text == "Second source."
        assert doc.warnings == []

    def test_numbered_link_references_cited_as_notes(self):
        doc = parse("# Report\n\nA claim [1].\n\n[1]: https://example.org/a\n")
        assert doc.blocks[0].text == "A claim."
        assert doc.footnote("1").urls == ["https://example.org/a"]
        assert doc.warnings == []


class TestPandocAndKramdown:
    def test_superscript_and_subscript(self):
        doc = body("2^10^ is 1024 and H~2~O is water, x^a+b^ stays.\n")
        assert doc.blocks[0].text == "2¹⁰ is 1024 and H₂O is water, xa+b stays."
        assert doc.blocks[0].refs == []

    def test_strikethrough_keeps_its_text(self):
        assert body("~~gone~~ here\n").blocks[0].text == "gone here"

    def test_definition_list(self):
        doc = body("Term\n: The definition.\n")
        assert [(b.kind, b.text) for b in doc.blocks] == [("paragraph", "Term"), ("list_item", "The definition.")]

    def test_kramdown_attribute_lines_dropped(self):
        doc = body('{:start="2"}\n1. two\n\nA paragraph.\n{: .note}\n\n{: #id}\n')
        assert kinds(doc) == [("list_item", "two"), ("paragraph", "A paragraph.")]


class TestDebrisAndMetadata:
    def test_stray_strong_markers_dropped(self):
        doc = body("He said so in Beijing.** Turkish officials agreed.\n")
        assert doc.blocks[0].text == "He said so in Beijing. Turkish officials agreed."

    def test_front_matter_title_keeps_a_different_heading(self):
        doc = parse("---\ntitle: The Title\nauthor: Jane Doe\n---\n# Site Name\n\nBody.\n")
        assert (doc.title, doc.authors) == ("The Title", ["Jane Doe"])
        assert kinds(doc) == [("heading", "Site Name"), ("paragraph", "Body.")]

    def test_front_matter_title_repeated_as_heading_is_not_shown_twice(self):
        doc = parse("---\ntitle: The Title\n---\n# The Title\n\nBody.\n")
        assert kinds(doc) == [("paragraph", "Body.")]

    def test_leading_rule_is_not_front_matter(self):
        doc = body("---\nFoo\n---\n\nBar\n")
        assert [(b.kind, b.level, b.text) for b in doc.blocks] == [("heading", 2, "Foo"), ("paragraph", 0, "Bar")]
        assert doc.warnings == []

    def test_title_and_byline_from_the_text(self):
        doc = parse("# Kazakhstan Crisis\n\nBy Jane Doe on May 5, 2022\n\nBody text.\n")
        assert (doc.title, doc.authors, doc.date) == ("Kazakhstan Crisis", ["Jane Doe"], "2022-05-05")
        assert kinds(doc) == [("paragraph", "Body text.")]

    def test_show_json_fields(self):
        data = json.loads(json.dumps(body("> q\n").to_json()))
        assert data["format"] == "markdown"
        assert data["blocks"][0]["depth"] == 1


class TestBadInput:
    def test_deep_nesting_is_warned_not_a_crash(self):
        doc = body("> " * 1000 + "deep\n\n" + "".join("  " * i + "- x\n" for i in range(1000)))
        assert "deep-nesting" in codes(doc)
        assert doc.blocks[0].text == "deep"

    def test_many_brackets_and_stars(self):
        doc = body("[" * 10_000 + "\n\na " + "*" * 10_000 + "\n")
        assert doc.blocks[0].text == "[" * 10_000
        assert doc.blocks[1].text.startswith("a ***")

    def test_invalid_utf8_in_the_middle(self, tmp_path):
        path = tmp_path / "bad.md"
        path.write_bytes(("# Título\n\nCafé naïve " * 50).encode() + b"\xff" + b" and more.\n")
        doc = parse_file(path)
        assert doc.encoding == "utf-8"
        assert [w.message for w in doc.warnings] == ["1 bytes are not valid UTF-8; each is shown as \ufffd"]
        assert doc.blocks[-1].text.endswith("Café naïve \ufffd and more.")
