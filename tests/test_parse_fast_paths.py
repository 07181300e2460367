"""The parser's shortcuts for plain text (issue #18 item 4: 100,000 notes) give what the full
steps give: each is checked against the full step, or the straightforward reference, on
generated text made of the characters that decide between them."""

from __future__ import annotations

import pyromark
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core import inline
from tuireader.core.footnotes import _ANGLE_URL, _BARE_URL, _MD_LINK_URL, _trim_url, find_urls
from tuireader.core.formats import markdown
from tuireader.core.mapped import MappedText
from tuireader.core.spans import SpanSet

# what the shortcuts look for, and what they do not care about
TRICKY = "ab Z1.,:/()[]<>*_`~^{}&!|#-\t\n  ¹²\u00a0\u2009'\""
URLISH = st.sampled_from(["https://e.org/a", "www.x.com", "http://y.io/p(q)", "<https://z.org>", "[t](https://u.org)"])


@st.composite
def texts(draw):
    parts = draw(st.lists(st.one_of(st.text(alphabet=TRICKY, max_size=8), URLISH), max_size=8))
    return "".join(parts)


def _reference_find_urls(text: str) -> list[tuple[str, int, int]]:
    """find_urls as first written: every pattern, every URL checked against those taken."""
    spans: list[tuple[str, int, int]] = []
    taken = SpanSet()

    def add(url: str, start: int, end: int) -> None:
        if taken.overlaps(start, end):
            return
        taken.add(start, end)
        spans.append(("http://" + url if url.startswith("www.") else url, start, end))

    for m in _MD_LINK_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
        taken.add(m.start(), m.end())
    for m in _ANGLE_URL.finditer(text):
        add(m.group(1), m.start(1), m.end(1))
    for m in _BARE_URL.finditer(text):
        url = _trim_url(m.group())
        if len(url) > len("https://"):
            add(url, m.start(), m.start() + len(url))
    spans.sort(key=lambda s: s[1])
    return spans


@settings(max_examples=400, deadline=None)
@given(text=texts())
def test_find_urls_equals_the_reference(text):
    assert find_urls(text) == _reference_find_urls(text)


def test_find_urls_by_hand():
    assert find_urls("see https://e.org/a, and www.x.com.") == [
        ("https://e.org/a", 4, 19),
        ("http://www.x.com", 25, 34),
    ]
    assert find_urls("no address here") == []


@settings(max_examples=400, deadline=None)
@given(text=texts(), md=st.booleans(), detect=st.booleans(), paragraphs=st.booleans())
def test_clean_inline_shortcut_equals_the_full_steps(text, md, detect, paragraphs):
    source = "##" + text
    content = MappedText.from_source(source, 2, len(source))
    got = inline.clean_inline(content, markdown=md, detect_markers=detect, keep_paragraphs=paragraphs)
    plain = inline._plain
    inline._plain = lambda *a, **k: False  # the full steps
    try:
        want = inline.clean_inline(content, markdown=md, detect_markers=detect, keep_paragraphs=paragraphs)
    finally:
        inline._plain = plain
    assert got == want


def test_clean_inline_shortcut_by_hand():
    content = MappedText.from_source("xx  Ministry statement 1, https://e.org/1 ", 2, 43)
    result = inline.clean_inline(content, markdown=True, detect_markers=False, keep_paragraphs=True)
    assert result.content.text == "Ministry statement 1, https://e.org/1"
    assert result.content.to_source(0) == 4 and result.markers == [] and result.spans == []


@settings(max_examples=400, deadline=None)
@given(text=texts())
def test_needs_cleaning_equals_its_pattern(text):
    # the pattern, and two spaces in a row (checked apart from it: a class stopping at every space was slow)
    assert markdown._needs_cleaning(text) == (markdown._NEEDS_CLEANING.search(text) is not None or "  " in text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="aZ09 .,;:'\"()/?%+=@#$-", min_size=1, max_size=40))
def test_a_plain_entry_is_one_text_event_of_itself(text):
    """What ``_PLAIN_ENTRY`` lets through, pulldown-cmark reads as one paragraph of one Text
    event covering it all (so the entry is its own characters); what it reads otherwise
    (a list, a heading, trailing space) the pattern does not let through."""
    if not markdown._PLAIN_ENTRY.fullmatch(text):
        return
    events = list(pyromark.events_with_range(text, options=markdown._OPTIONS))
    assert [e for e, _ in events] == [{"Start": "Paragraph"}, {"Text": text}, {"End": "Paragraph"}]
    assert (events[1][1]["start"], events[1][1]["end"]) == (0, len(text))


def test_plain_entry_pattern_by_hand():
    assert markdown._PLAIN_ENTRY.fullmatch("Note 3, see https://e.org/a (2020).")
    for not_plain in ("1. a list", "# heading", "a *b*", "a [b]", "trailing ", "a\nb", "a &amp; b", "a_b"):
        assert not markdown._PLAIN_ENTRY.fullmatch(not_plain), not_plain
