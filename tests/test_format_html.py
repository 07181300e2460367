"""HTML pages: the article, not the page; notes in every common markup; metadata; exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.formats._html_tree import parse_tree
from tuireader.core.textio import read_source

from .conftest import write

DATA = Path(__file__).parent / "data" / "formats"


def page(tmp_path, body: str, head: str = "", name: str = "page.html") -> Path:
    return write(tmp_path / name, f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")


def notes_of(doc):
    return {n.label: n.text for n in doc.footnotes}


def assert_offsets_exact(doc, path: Path):
    """Every block's and note's source range holds its text's first and last word."""
    source = read_source(path).text
    for block in doc.blocks:
        words = block.text.replace("[image:", " ").split()
        if block.content.segments[0].slen == 0:
            continue  # a synthetic chapter heading
        span = source[block.source_start : block.source_end]
        assert words[0].strip("“”\"'’|") in span, (block.text, span)
    for ref in (r for b in doc.blocks for r in b.refs):
        assert source[ref.source_offset] == "<"
        assert source[ref.source_end - 1] == ">"
    for note in doc.footnotes:
        if note.defined:
            assert note.text.split()[0] in source[note.source_start : note.source_end]


def test_pandoc_html_keeps_every_note_with_its_marker():
    path = DATA / "pandoc-notes.html"
    doc = parse_file(path)
    assert doc.format == "html"
    assert (doc.title, doc.authors, doc.date) == ("Grain Routes & Black Sea Ports", ["Jane Roe"], "2024-03-05")
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Background"  # the title heading and the title block's author/date went to metadata
    assert "Jane Roe" not in texts
    first = doc.blocks[1]
    assert first.text.startswith("Ukraine’s grain exports fell sharply in 2022. Odesa")
    assert "trade & the rest" in first.text  # &amp; decoded
    assert [(r.label, first.text[: r.at].split()[-1]) for r in first.refs] == [("1", "2022."), ("2", "Poland.")]
    assert notes_of(doc) == {
        "1": "See https://example.org/report for the figures.",
        "2": "Rail capacity was limited by the gauge change.\nA second paragraph of the same note.",
        "3": "Statement of 1 August 2023.",
        "4": "Danube ports carried a third of the volume.",
        "5": "Rail capacity was limited by the gauge change.\nA second paragraph of the same note.",
    }
    assert doc.footnotes[0].urls == ["https://example.org/report"]
    assert [b.kind for b in doc.blocks] == [
        "heading",
        "paragraph",
        "quote",
        "list_item",
        "list_item",
        "table",
        "paragraph",
        "heading",
        "paragraph",
    ]
    assert doc.blocks[5].text == "Port | Tonnes\nOdesa | 100"
    assert doc.blocks[6].text == "[image: Map of the corridor]"
    assert doc.warnings == []
    assert_offsets_exact(doc, path)


def test_marker_and_note_offsets_point_at_the_markup(tmp_path):
    path = page(
        tmp_path, '<p>Caf&eacute; text.<sup><a href="#n1" id="r1">1</a></sup></p><ol><li id="n1">Note.</li></ol>'
    )
    doc = parse_file(path)
    source = path.read_text()
    block = doc.blocks[0]
    assert block.text == "Café text."
    assert source[block.source_start : block.source_end] == "Caf&eacute; text."
    ref = block.refs[0]
    assert source[ref.source_offset : ref.source_end] == '<sup><a href="#n1" id="r1">1</a></sup>'
    assert ref.at == len("Café text.")
    # The é stands for the whole reference, the rest character for character.
    assert block.content.source_span(3, 4) == (source.index("&eacute;"), source.index("&eacute;") + 8)
    note = doc.footnotes[0]
    assert source[note.source_start : note.source_end] == '<li id="n1">Note.</li>'
    assert note.content.source_span(0, 5)[0] == source.index("Note.")


def test_kramdown_jekyll_notes(tmp_path):
    body = (
        '<p>Claim one.<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a>'
        '</sup> Claim two.<sup id="fnref:src"><a href="#fn:src" class="footnote" rel="footnote">2</a></sup></p>'
        '<div class="footnotes" role="doc-endnotes"><ol>'
        '<li id="fn:1" role="doc-endnote"><p>First source. <a href="#fnref:1" class="reversefootnote" '
        'role="doc-backlink">&#8617;</a></p></li>'
        '<li id="fn:src"><p>Second source. <a href="#fnref:src" class="reversefootnote">&#8617;&#xfe0e;</a></p></li>'
        "</ol></div>"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["Claim one. Claim two."]
    assert [r.label for r in doc.blocks[0].refs] == ["1", "2"]
    assert notes_of(doc) == {"1": "First source.", "2": "Second source."}


def test_wordpress_footnote_plugin(tmp_path):
    body = (
        '<div class="entry-content"><p>Sanctions widened in May.<sup><a href="#footnote_0_42" '
        'id="identifier_0_42" class="footnote-link footnote-identifier-link" title="OFAC notice">1</a></sup></p>'
        '<ol class="footnotes"><li id="footnote_0_42" class="footnote">OFAC notice of 3 May. '
        '<span class="footnote-back-link-wrapper">[<a href="#identifier_0_42" class="footnote-link '
        'footnote-back-link">&#8617;</a>]</span></li></ol></div>'
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["Sanctions widened in May."]
    assert notes_of(doc)["1"].startswith("OFAC notice of 3 May.")
    assert "↩" not in notes_of(doc)["1"]


def test_substack_footnote_anchor(tmp_path):
    body = (
        '<article class="newsletter-post"><div class="body markup"><p>The convoy moved at night.'
        '<a class="footnote-anchor" data-component-name="FootnoteAnchorToDOM" id="footnote-anchor-1" '
        'href="#footnote-1" target="_self">1</a></p>'
        '<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-1" href="#footnote-anchor-1" '
        'class="footnote-number" contenteditable="false" target="_self">1</a><div class="footnote-content">'
        "<p>Satellite imagery, 4 March.</p></div></div></div></article>"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["The convoy moved at night."]
    assert doc.blocks[0].refs[0].label == "1"
    assert notes_of(doc) == {"1": "Satellite imagery, 4 March."}


def test_wikipedia_references_and_separate_notes_list(tmp_path):
    body = (
        '<main id="content"><div id="mw-content-text"><p>The treaty was signed in 1991.'
        '<sup id="cite_ref-1" class="reference"><a href="#cite_note-1"><span class="cite-bracket">[</span>1'
        '<span class="cite-bracket">]</span></a></sup> It lapsed later.'
        '<sup id="cite_ref-a" class="reference"><a href="#cite_note-a">[a]</a></sup>'
        '<sup class="reference"><a href="#cite_note-n1">[note 1]</a></sup></p>'
        '<h2 id="Notes">Notes</h2><div class="reflist"><ol class="references" style="list-style-type: lower-alpha">'
        '<li id="cite_note-a"><span class="mw-cite-backlink"><b><a href="#cite_ref-a">^</a></b></span> '
        '<span class="reference-text">Ratified in 1992.</span></li>'
        '<li id="cite_note-n1"><span class="mw-cite-backlink">^</span> <span class="reference-text">'
        "A named note.</span></li></ol></div>"
        '<h2 id="References">References</h2><div class="reflist"><ol class="references">'
        '<li id="cite_note-1"><span class="mw-cite-backlink">^ <a href="#cite_ref-1"><sup><i><b>a</b></i></sup></a>'
        ' <a href="#cite_ref-1b"><sup><i><b>b</b></i></sup></a></span> <span class="reference-text">Smith, '
        '<i>Treaties</i>, p. 4. <a class="external" href="https://example.org/t">online</a></span></li>'
        '</ol></div><div class="navbox">Treaties of the 1990s</div></div></main>'
        '<div id="catlinks" class="catlinks">Categories: Treaties</div>'
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["The treaty was signed in 1991. It lapsed later."]  # headings emptied
    assert [r.label for r in doc.blocks[0].refs] == ["1", "a", "note 1"]
    assert notes_of(doc) == {"a": "Ratified in 1992.", "note 1": "A named note.", "1": "Smith, Treaties, p. 4. online"}
    assert doc.footnote("cite_note-1").urls == ["https://example.org/t"]


def test_epub_type_noteref_and_aside(tmp_path):
    body = (
        '<section><p>The river froze early.<a epub:type="noteref" href="#n1">1</a></p>'
        '<aside epub:type="footnote" id="n1"><p>Records of the harbour master.</p></aside>'
        '<aside class="related">Read also: our river series</aside></section>'
    )
    doc = parse_file(page(tmp_path, body, name="page.xhtml"))
    assert [b.text for b in doc.blocks] == ["The river froze early."]
    assert notes_of(doc) == {"1": "Records of the harbour master."}


def test_gutenberg_style_bracketed_anchors(tmp_path):
    body = (
        '<p>He left at dawn.<a name="FNanchor_1_1" id="FNanchor_1_1"></a><a href="#Footnote_1_1" class="fnanchor">'
        "[1]</a></p>"
        '<div class="footnote"><p><a name="Footnote_1_1" id="Footnote_1_1"></a><a href="#FNanchor_1_1">'
        '<span class="label">[1]</span></a> The road was closed.</p></div>'
    )
    doc = parse_file(page(tmp_path, body, name="etext.htm"))
    assert [b.text for b in doc.blocks] == ["He left at dawn."]
    assert notes_of(doc) == {"1": "The road was closed."}


def test_gutenberg_licence_sections_and_page_numbers_are_furniture(tmp_path):
    body = (
        '<section class="pg-boilerplate pgheader" id="pg-header"><p>The Project Gutenberg eBook of X</p></section>'
        '<p>It was a cold<span class="pagenum"><a id="Page_12">[Pg 12]</a></span> morning.</p>'
        '<section class="pg-boilerplate pgfooter" id="pg-footer"><p>*** END OF THE PROJECT GUTENBERG EBOOK ***</p>'
        "</section>"
    )
    doc = parse_file(page(tmp_path, body, name="etext.htm"))
    assert [b.text for b in doc.blocks] == ["It was a cold morning."]


def test_notes_that_link_back_from_their_own_number(tmp_path):
    # The markup of the CIA's EPUB chapters: marker and note number link to each other.
    body = (
        '<p>Masters recalled the board.<sup><a name="ft31" href="#rft31" id="ft31"><strong>31</strong></a></sup></p>'
        '<h3>Footnotes</h3><p><a name="rft31" href="#ft31" id="rft31"><strong><sup>31</sup></strong></a>'
        "A. D. deGroot, <em>Thought and Choice in Chess</em>.</p>"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["Masters recalled the board."]  # "Footnotes" heading dropped
    assert notes_of(doc) == {"31": "A. D. deGroot, Thought and Choice in Chess."}


def test_uncited_item_of_a_notes_list_is_a_note_not_body_text(tmp_path):
    body = (
        '<p>One.<sup><a href="#fn1">1</a></sup> Two.<sup><a href="#fn3">3</a></sup></p>'
        '<ol class="notes"><li id="fn1">First.</li><li id="fn2">Never cited.</li><li id="fn3">Third.</li></ol>'
        "<ol><li>An ordinary list.</li></ol>"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["One. Two.", "An ordinary list."]
    assert [(n.label, n.text, bool(n.cited_at)) for n in doc.footnotes] == [
        ("1", "First.", True),
        ("2", "Never cited.", False),
        ("3", "Third.", True),
    ]
    assert [w.code for w in doc.warnings] == ["uncited-note"]


def test_marker_to_missing_note_is_a_warning(tmp_path):
    doc = parse_file(page(tmp_path, '<p>Text.<sup><a href="#gone">7</a></sup></p>'))
    assert [w.code for w in doc.warnings] == ["unresolved-marker"]
    assert doc.blocks[0].text == "Text.7"  # a marker we cannot follow stays as written


def test_table_of_contents_links_are_not_notes(tmp_path):
    body = '<p>See <a href="#s2">section 2</a>.</p><h2 id="s2">Two</h2><p>Body.</p>'
    doc = parse_file(page(tmp_path, body))
    assert doc.footnotes == []
    assert [b.text for b in doc.blocks] == ["See section 2.", "Two", "Body."]


NEWS_PAGE = """<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8"><title>Port strike spreads | The Harbour Times</title>
<meta property="og:title" content="Port strike spreads to Gdańsk">
<meta property="og:site_name" content="The Harbour Times">
<meta property="article:published_time" content="2023-06-02T08:15:00+02:00">
<meta name="author" content="Ewa Nowak">
<link rel="canonical" href="https://harbour.example/2023/06/port-strike">
<style>p { color: red }</style><script>var tracking = "<p>not text</p>";</script>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies. Accept?</p><button>OK</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav></header>
<main><article>
<h1>Port strike spreads to Gdańsk</h1>
<p class="byline">By Ewa Nowak</p>
<div class="share-bar"><a href="https://twitter.example/share">Share on X</a></div>
<p>Dockers in Gdańsk joined the strike on Friday&nbsp;morning.</p>
<figure><img src="docks.jpg" alt="Cranes at the Gdańsk container terminal"><figcaption>The terminal on Friday.</figcaption></figure>
<p style="display:none">Hidden teaser text.</p>
<p hidden>Also hidden.</p>
<ul><li>Gdańsk</li><li>Gdynia</li></ul>
<blockquote><p>We will not move a container.</p></blockquote>
<section class="related-stories"><h2>Related stories</h2><ul><li><a href="/a">Strike in Rotterdam</a></li></ul></section>
</article>
<section id="comments"><h2>Comments</h2><p>First!</p></section>
</main>
<aside class="sidebar"><p>Most read today</p></aside>
<footer><p>© The Harbour Times</p></footer>
</body></html>"""


def test_news_page_keeps_the_article_and_drops_the_furniture(tmp_path):
    doc = parse_file(write(tmp_path / "strike.html", NEWS_PAGE))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Dockers in Gdańsk joined the strike on Friday\u00a0morning."),
        ("paragraph", "[image: Cranes at the Gdańsk container terminal]"),
        ("paragraph", "The terminal on Friday."),
        ("list_item", "Gdańsk"),
        ("list_item", "Gdynia"),
        ("quote", "We will not move a container."),
    ]
    assert doc.title == "Port strike spreads to Gdańsk"
    assert doc.authors == ["Ewa Nowak"]
    assert doc.date == "2023-06-02"
    assert doc.source == "The Harbour Times"
    assert doc.url == "https://harbour.example/2023/06/port-strike"
    assert [b.marker for b in doc.blocks[3:5]] == ["-", "-"]


def test_generated_ids_are_not_furniture_words(tmp_path):
    body = (
        '<h2 id="toc_9">Memory</h2><p id="comment-free">Text.</p><div id="comments"><p>First!</p></div>'
        '<p class="hidden-xs">Shown on wide screens.</p><p class="hidden">Not shown.</p>'
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["Memory", "Text.", "Shown on wide screens."]


def test_bare_menus_are_dropped_when_the_page_marks_no_article(tmp_path):
    body = (
        '<div id="top"><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li><li><a href="/c">Contact</a>'
        "</li></ul></div><p>The article text.</p>"
        '<ul><li><a href="https://a.example/r1">Annual report on regional water security, 2021</a></li>'
        '<li><a href="https://a.example/r2">Annual report on regional water security, 2022</a></li>'
        '<li><a href="https://a.example/r3">Annual report on regional water security, 2023</a></li></ul>'
        "<ul><li>Point one</li><li>Point two</li><li>Point three</li></ul>"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == [
        "The article text.",
        "Annual report on regional water security, 2021",
        "Annual report on regional water security, 2022",
        "Annual report on regional water security, 2023",
        "Point one",
        "Point two",
        "Point three",
    ]


def test_highwire_and_dublin_core_metadata(tmp_path):
    head = (
        '<meta name="citation_title" content="Deterrence in the Baltic">'
        '<meta name="citation_author" content="Lind, Anna"><meta name="citation_author" content="Berg, Olof">'
        '<meta name="citation_date" content="2021/11/30"><meta name="DC.publisher" content="Nordic Institute">'
        "<title>Report page</title>"
    )
    doc = parse_file(page(tmp_path, "<p>Summary of findings.</p>", head))
    assert (doc.title, doc.authors, doc.date) == (
        "Deterrence in the Baltic",
        ["Lind, Anna", "Berg, Olof"],
        "2021-11-30",
    )
    assert doc.source == "Nordic Institute"
    head = '<meta name="DC.title" content="Water Rights"><meta name="DC.date" content="2019-04">'
    doc = parse_file(page(tmp_path, "<p>Text.</p>", head, name="dc.html"))
    assert (doc.title, doc.date) == ("Water Rights", "2019-04")


def test_json_ld_report_metadata(tmp_path):
    head = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "Page"},
      {"@type": "Report", "headline": "Arms Flows to the Sahel", "datePublished": "2022-09-14",
       "author": [{"@type": "Person", "name": "Moussa Diallo"}, {"@type": "Person", "name": "Claire Petit"}],
       "publisher": {"@type": "Organization", "name": "Sahel Monitor"}}]}</script>
      <script type="application/ld+json">{ not json</script><title>Sahel Monitor</title>"""
    doc = parse_file(page(tmp_path, "<p>Findings.</p>", head))
    assert doc.title == "Arms Flows to the Sahel"
    assert doc.authors == ["Moussa Diallo", "Claire Petit"]
    assert (doc.date, doc.source) == ("2022-09-14", "Sahel Monitor")


def test_title_from_title_tag_without_site_name_and_sidecar_wins(tmp_path):
    path = page(
        tmp_path, "<p>Body text.</p>", '<title>Field Notes | Site</title><meta property="og:site_name" content="Site">'
    )
    assert parse_file(path).title == "Field Notes"
    write(tmp_path / "page.yaml", "title: From the sidecar\n")
    assert parse_file(path).title == "From the sidecar"


def test_malformed_markup_is_read_as_a_browser_would(tmp_path):
    body = (
        "<p>One <b>bold <i>both</b> italic?</i></div></span><p>Two<li>stray item<table><tr><td>a<td>b</table><p>Three"
    )
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["One bold both italic?", "Two", "stray item", "a | b", "Three"]
    assert any(w.code == "markup" for w in doc.warnings)


def test_deep_nesting_and_huge_pages_do_not_recurse_without_bound(tmp_path):
    body = "<div>" * 3_000 + "<p>deep text</p>" + "</div>" * 3_000  # past the recursion limit
    doc = parse_file(page(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["deep text"]


def test_dtd_entities_are_never_expanded(tmp_path):
    path = write(
        tmp_path / "lol.xhtml",
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&lol2; &xxe; &amp;</p></body></html>',
    )
    doc = parse_file(path)
    assert [b.text for b in doc.blocks] == ["&lol2; &xxe; &"]


def test_script_style_and_control_characters_never_shown(tmp_path):
    body = "<p>Safe\x1b[31m text</p><script>alert(1)</script><style>.x{}</style><noscript>Enable JS</noscript>"
    doc = parse_file(page(tmp_path, body))
    assert len(doc.blocks) == 1
    assert "\x1b" not in doc.blocks[0].text and "alert" not in doc.blocks[0].text


def test_declared_legacy_charset_is_believed(tmp_path):
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><body><p>Москва</p>'
    path = tmp_path / "ru.html"
    path.write_bytes(html.encode("koi8-r"))
    doc = parse_file(path)
    assert (doc.blocks[0].text, doc.encoding, doc.warnings) == ("Москва", "koi8-r", [])
    path.write_bytes("<p>Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade \u2014 r\xe9sum\xe9</p>".encode("cp1252"))
    doc = parse_file(path)  # nothing declared: the guess, with a warning
    assert doc.blocks[0].text == "Café crème brûlée, naïve façade — résumé"
    assert [w.code for w in doc.warnings] == ["encoding"]


def test_html_that_is_a_pdf_or_empty_is_a_clear_error(tmp_path):
    from tuireader.core.textio import DocumentError

    write(tmp_path / "fake.html", "")
    with pytest.raises(DocumentError, match="empty"):
        parse_file(tmp_path / "fake.html")
    (tmp_path / "pdf.html").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01stream\x00")
    with pytest.raises(DocumentError):
        parse_file(tmp_path / "pdf.html")


def test_tree_offsets_survive_crlf_and_multiline_tags():
    source = '<p\r\n class="x">A&amp;B\r\n<a\nhref="#z">C</a></p>'
    tree = parse_tree(source)
    p = tree.root.children[0]
    assert source[p.start : p.start + 2] == "<p"
    pieces = [c for c in p.children if not hasattr(c, "tag")]
    assert [(c.text, source[c.segments[0].s : c.segments[0].s + c.segments[0].slen]) for c in pieces] == [
        ("A", "A"),
        ("&", "&amp;"),
        ("B\r\n", "B\r\n"),
    ]
    a = p.children[-1]
    assert source[a.start : a.end] == '<a\nhref="#z">C</a>'


def test_media_players_fallback_and_controls_are_not_article_text(tmp_path):
    """A <video>/<audio> element's fallback text, and a player's controls around it (the
    labels of role=button/slider widgets, "Current Time 0:00", a countdown) are dropped;
    a figure's caption and a control word outside a player ("arms-control") are kept."""
    path = page(
        tmp_path,
        "<article><h1>Talks</h1><p>Before the clip.</p>"
        '<figure><div class="player"><video controls src="a.mp4">Your browser does not support video.'
        '<a href="a.mp4">Download it</a></video>'
        '<div class="vjs-big-play-button" role="button"><span>Play Video</span></div>'
        '<div class="vjs-control-bar"><div class="vjs-current-time vjs-control">Current Time 0:00</div>'
        '<div class="vjs-progress" role="slider">Loaded: 0%</div></div>'
        '<div class="video-countdown">Your video will play in 00:25</div></div>'
        "<figcaption>Envoys arrive in Geneva.</figcaption></figure>"
        '<audio controls src="b.mp3">Your browser does not support the <code>audio</code> element.</audio>'
        '<p class="arms-control">The arms-control talks resumed.</p></article>',
    )
    doc = parse_file(path)
    assert doc.title == "Talks"
    assert [b.text for b in doc.blocks] == [
        "Before the clip.",
        "Envoys arrive in Geneva.",
        "The arms-control talks resumed.",
    ]


def test_mathml_is_kept_as_its_text_marked_as_math(tmp_path):
    """A formula's alttext when it is no TeX, else its tokens (with ^, _, / and √ for what is
    raised, lowered, over or under, white space around a token trimmed), else its TeX;
    each marked by a span of kind "math"; Wikipedia's formula hidden for screen readers
    beside its picture is read once."""
    path = page(
        tmp_path,
        '<article><p>Einstein: <math alttext="E = m c^2"><mi>E</mi><mo>=</mo><mi>m</mi>'
        "<msup><mi>c</mi><mn>2</mn></msup></math> is famous.</p>"
        "<p>Then <math><semantics><mrow><mi>\n  x\n</mi><mo> + </mo><mn>1</mn></mrow>"
        '<annotation encoding="application/x-tex">x+1</annotation></semantics></math> by TeX.</p>'
        "<p>Sum <math><msubsup><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></msubsup>"
        "<msup><mi>x</mi><mn>10</mn></msup></math>, <m:math><m:mfrac><m:mi>a</m:mi><m:mrow><m:mi>b</m:mi>"
        "<m:mo>+</m:mo><m:mn>1</m:mn></m:mrow></m:mfrac></m:math> and <math><msqrt><mi>y</mi></msqrt></math>.</p>"
        '<p>Wiki <span class="mwe-math-element"><span class="mwe-math-mathml-inline mwe-math-mathml-a11y" '
        'style="display: none;"><math alttext="{\\displaystyle x^{2}}"><msup><mi>x</mi><mn>2</mn></msup></math>'
        '</span><img src="x.svg" class="mwe-math-fallback-image-inline" aria-hidden="true" '
        'alt="{\\displaystyle x^{2}}"></span> squared.</p>'
        '<p>Only TeX <math><semantics><annotation encoding="application/x-tex">x_{1}</annotation>'
        "</semantics></math> here.</p></article>",
    )
    doc = parse_file(path)
    found = [(b.text, [b.text[s.start : s.end] for s in b.spans if s.kind == "math"]) for b in doc.blocks]
    assert found == [
        ("Einstein: E = m c^2 is famous.", ["E = m c^2"]),
        ("Then x+1 by TeX.", ["x+1"]),
        ("Sum ∑_(i = 1)^n x^(10), a/(b+1) and √(y).", ["∑_(i = 1)^n x^(10)", "a/(b+1)", "√(y)"]),
        ("Wiki x^2 squared.", ["x^2"]),  # its alttext is TeX: the tokens
        ("Only TeX x_{1} here.", ["x_{1}"]),
    ]
    sum_block = doc.blocks[2]
    source = read_source(path).text
    # token text is the source's own characters: "∑" maps to the "∑" of <mo>∑</mo>
    assert source[sum_block.content.to_source(sum_block.text.index("∑"))] == "∑"


def test_superscripts_and_subscripts_are_not_glued_to_their_word(tmp_path):
    path = page(
        tmp_path,
        "<article><p>About 10<sup>3</sup> cases on the 1<sup>st</sup> day, H<sub>2</sub>O, "
        "Smith<sup>a</sup>, e<sup>iπ x</sup> and x<sup>-1</sup>.</p></article>",
    )
    assert parse_file(path).blocks[0].text == "About 10³ cases on the 1st day, H₂O, Smith^a, e^(iπ x) and x⁻¹."


def test_tables_have_cell_ranges_so_the_reader_wraps_cells_at_words(tmp_path):
    """Each row's cells as ranges of the table block's text (the reader draws a grid from
    them; without them a table is cut at the width, mid-word); a <br> in a cell is a space,
    a table inside a cell is that cell's text."""
    path = page(
        tmp_path,
        "<article><p>Intro.</p><table><tr><th>Name</th><th>Role</th></tr>"
        "<tr><td>Kassym-Jomart<br>Tokayev</td><td>President of <b>Kazakhstan</b></td></tr>"
        '<tr><td><table><tr><td>in</td><td>ner</td></tr><tr><td>x</td></tr></table></td><td><img alt="Flag of Kazakhstan"></td></tr>'
        "</table></article>",
    )
    table = parse_file(path).blocks[1]
    assert table.kind == "table"
    assert [[table.text[a:b] for a, b in row] for row in table.rows] == [
        ["Name", "Role"],
        ["Kassym-Jomart Tokayev", "President of Kazakhstan"],
        ["in | ner x", "[image: Flag of Kazakhstan]"],
    ]
    assert table.header  # its first row is of <th>
    box = "<table><tr><th>Capital</th><td>Astana</td></tr><tr><th>Area</th><td>2.7M km²</td></tr></table>"
    infobox = parse_file(page(tmp_path, box, name="box.html"))
    assert not infobox.blocks[0].header  # an infobox: a column of <th>, no header row
    assert infobox.to_json()["blocks"][0]["header"] is False
    assert "header" not in parse_file(path).to_json()["blocks"][1]


def test_no_break_spaces_at_a_block_or_notes_end_are_trimmed(tmp_path):
    """kramdown writes "Note.&nbsp;<a class="reversefootnote">↩</a>": the note is "Note.", and
    a no-break space inside the text stays."""
    path = page(
        tmp_path,
        '<p>&nbsp;Claim.<sup id="fnref:1"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup> 10&nbsp;km.&nbsp;</p>'
        '<div class="footnotes"><ol><li id="fn:1"><p>Note.&nbsp;<a href="#fnref:1" class="reversefootnote">&#8617;</a>'
        "</p></li></ol></div>",
    )
    doc = parse_file(path)
    assert doc.blocks[0].text == "Claim. 10\u00a0km."
    assert [n.text for n in doc.footnotes] == ["Note."]


def test_a_stanza_of_line_elements_is_one_block_of_lines(tmp_path):
    """<div class="stanza"> (or linegroup, verse, poem, lg) whose <div>/<p> children are its
    lines: one block, a line break between lines, markers kept; a "poem" container that
    holds headings is not a stanza, its paragraphs stay paragraphs."""
    path = page(
        tmp_path,
        '<article><h1>Verse</h1><div class="stanza"><p>April is the cruellest month,</p>'
        '<p>Lilacs out of the dead land,<sup><a href="#n1" id="r1">1</a></sup></p>'
        "<blockquote><div>Frisch weht der Wind</div><div>Der Heimat zu</div></blockquote>"
        '<div class="indent">Memory and desire.</div></div>'
        '<div class="poem-page"><h2>Part two</h2><p>One paragraph.</p><p>Another.</p></div>'
        '<ol><li id="n1">A note. <a href="#r1">↩</a></li></ol></article>',
    )
    doc = parse_file(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "April is the cruellest month,\nLilacs out of the dead land,"),
        ("quote", "Frisch weht der Wind\nDer Heimat zu"),
        ("paragraph", "Memory and desire."),
        ("heading", "Part two"),
        ("paragraph", "One paragraph."),
        ("paragraph", "Another."),
    ]
    assert [(r.label, r.at) for r in doc.blocks[0].refs] == [("1", len(doc.blocks[0].text))]


def test_raised_marks_stay_marks(tmp_path):
    path = page(tmp_path, "<p>Smith<sup>†</sup> and Jones<sup>*</sup> of Acme<sup>™</sup>, 30<sup>°</sup>.</p>")
    assert parse_file(path).blocks[0].text == "Smith† and Jones* of Acme™, 30°."
