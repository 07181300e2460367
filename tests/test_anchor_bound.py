"""The bound on re-anchoring (annotations/anchor.py's docstring): the traps, on texts written here.

Each expected place is found in the edited text by hand (``str.index``), not by the code under test.
"""

from __future__ import annotations

from pathlib import Path

from tuireader.annotations import AnnotationStore
from tuireader.annotations.anchor import MATCH_THRESHOLD, context_agreement, score
from tuireader.annotations.model import FUZZY, MOVED, ORPHANED, TextQuote
from tuireader.annotations.service import new_annotation, placed_annotations
from tuireader.core.formats import parse_file

from .conftest import write

HEAD = "A Report on Grain\n\nJane Roe\n\nJanuary 5, 2022\n\n"
# varied sentences: a repeated one would hand every quote piece a thousand candidate places
FILLER = " ".join(f"Sentence {i} of the filler is about topic number {i * 7 % 13} and nothing else." for i in range(20))


def _placed(tmp_path: Path, before: str, after: str, exact: str, *, which: int = 0, note: str = ""):
    """Annotate the ``which``-th occurrence of ``exact`` in ``before``, then place it in ``after``."""
    path = tmp_path / "lib" / "report.txt"
    write(path, before)
    doc = parse_file(path, doc_id="report")
    start = -1
    for _ in range(which + 1):
        start = before.index(exact, start + 1)
    store = AnnotationStore(tmp_path / "data" / "annotations.sqlite")
    store.add(new_annotation(doc, start, start + len(exact), note=note))
    write(path, after)
    [placed] = placed_annotations(store, parse_file(path, doc_id="report"))
    return placed, store


def test_a_paragraph_inserted_above_re_anchors_a_short_quote_exactly_at_its_new_offset(tmp_path):
    exact = "Ankara waited."  # 14 characters: short, so its context must vouch for a far place
    before = HEAD + "The ministry spoke first. " + exact + " Moscow did not.\n\n" + FILLER + "\n"
    inserted = FILLER.replace("filler", "preface") + "\n\n"  # 1,400 characters above it
    after = before.replace("The ministry spoke", inserted + "The ministry spoke")
    placed, _ = _placed(tmp_path, before, after, exact)
    assert placed.placement.status == MOVED
    new = after.index(exact)
    assert new - before.index(exact) == len(inserted)
    assert (placed.annotation.start, placed.annotation.end) == (new, new + len(exact))


def test_a_typo_fixed_inside_the_quote_is_found_fuzzily_where_it_is_even_far_below(tmp_path):
    exact = "The commitee approved the budget on Tuesday after a long debate."
    before = HEAD + "Members met at nine. " + exact + " Then they went home.\n\n" + FILLER + "\n"
    fixed = exact.replace("commitee", "committee")
    inserted = (FILLER + "\n\n") * 3  # 4,200 characters: 4 "match distances" from the old place
    after = before.replace(exact, fixed).replace("Members met", inserted + "Members met")
    placed, store = _placed(tmp_path, before, after, exact)
    assert placed.placement.status == FUZZY
    new = after.index(fixed)
    assert (placed.annotation.start, placed.annotation.end) == (new, new + len(fixed))
    [kept] = store.for_document("report")
    assert (kept.start, kept.status) == (new, FUZZY)  # written back


QUOTE = "Grain exports fell by a third in"  # 32 characters
BEFORE = "The ministry published its figures on Monday. "
LOOKALIKE = "Elsewhere: grain imports fell by a third in the spring of that year."


def test_a_deleted_passage_is_orphaned_though_a_similar_phrase_is_far_away(tmp_path):
    before = HEAD + BEFORE + QUOTE + " the spring, it said.\n\n" + FILLER + "\n\n" + LOOKALIKE + "\n"
    after = before.replace(QUOTE + " the spring, it said.", "It gave no reason.")
    # the look-alike: 3 edits in 32 characters (91% alike), about 1,400 characters below the old
    # place; the bound before this one took it
    assert after.index("grain imports") - before.index(QUOTE) > 1300
    placed, store = _placed(tmp_path, before, after, QUOTE, note="keep me")
    assert placed.orphaned and placed.placement.flat is None
    [kept] = store.for_document("report")
    assert (kept.status, kept.note, kept.quote.exact) == (ORPHANED, "keep me", QUOTE)
    assert (kept.start, kept.end) == (before.index(QUOTE), before.index(QUOTE) + len(QUOTE))  # old place kept


def test_the_same_look_alike_with_the_passages_context_is_taken(tmp_path):
    # the control for the trap above: the same 3 edits, made in place (its context stays), are found
    before = HEAD + BEFORE + QUOTE + " the spring, it said.\n\n" + FILLER + "\n"
    edited = "grain imports fell by a third in"
    after = before.replace(QUOTE, edited).replace(BEFORE, FILLER + "\n\n" + BEFORE)
    placed, _ = _placed(tmp_path, before, after, QUOTE)
    assert placed.placement.status == FUZZY
    new = after.index(edited)
    assert (placed.annotation.start, placed.annotation.end) == (new, new + len(edited))


def test_a_short_quote_that_occurs_twice_goes_where_its_context_matches_not_to_the_nearest(tmp_path):
    exact = "we agree."
    theirs = "Beta, after a long silence, said: " + exact + " That was all."
    before = HEAD + FILLER + "\n\n" + theirs + "\n"
    # the filler above is replaced by a short paragraph holding the same words with other words
    # around them, so the old offset now falls next to that other occurrence
    after = HEAD + "Alpha said: " + exact + " Gamma laughed.\n\n" + theirs + "\n"
    old = before.index(exact)
    first, second = after.index(exact), after.rindex(exact)
    assert abs(first - old) > abs(second - old) or abs(second - old) > 1000  # nearness alone would not choose
    placed, _ = _placed(tmp_path, before, after, exact)
    assert placed.placement.status == MOVED
    assert (placed.annotation.start, placed.annotation.end) == (second, second + len(exact))


def test_a_short_quote_deleted_is_orphaned_though_its_words_occur_far_away(tmp_path):
    exact = "we agree."
    before = HEAD + "Beta said: " + exact + " That was all.\n\n" + FILLER + "\n\nIn the end we agree. Fine.\n"
    after = before.replace("Beta said: " + exact + " That was all.", "Beta left.")
    placed, _ = _placed(tmp_path, before, after, exact)
    assert placed.orphaned


def test_the_score_weighs_errors_distance_and_context_as_documented():
    # errors alone: 1 edit in 40 characters, here
    assert score(1, 40, 0, 0.0) == 1 / 40
    # a quarter of the characters changed is the most a match may have
    assert score(10, 40, 0, 1.0) == 0.25 and score(11, 40, 0, 1.0) is None
    # distance costs 1.0 per MATCH_DISTANCE characters, less as the context agrees
    assert score(0, 40, 200, 0.0) == 0.2 and score(0, 40, 400, 0.0) is None
    assert score(0, 40, 4000, 1.0) == 0.0
    # a short quote's fuzzy match needs half its context; its exact match does not
    assert score(1, 10, 0, 0.4) is None and score(1, 10, 0, 0.5) == 0.1 and score(0, 10, 0, 0.0) == 0.0
    assert MATCH_THRESHOLD == 0.3


def test_context_agreement_counts_runs_not_stray_letters():
    quote = TextQuote("X", prefix="the ministry said on Monday that ", suffix=" and then it left")
    flat = "the ministry said on Monday that X and then it left"
    a = flat.index("X")
    assert context_agreement(flat, a, a + 1, quote) == 1.0
    other = "an unrelated line of some words, X, with no shared runs"
    b = other.index("X")
    assert context_agreement(other, b, b + 1, quote) < 0.2
