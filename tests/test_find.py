"""Find in one document (core/find.py): literal, smart case, accents and compatibility forms folded."""

from __future__ import annotations

from tuireader.core.find import find_spans, fold


def test_fold_keeps_a_map_to_the_original_characters():
    folded, origin = fold("Straße ﬁne café")
    assert folded == "strasse fine cafe"
    assert origin[4:6] == [4, 4]  # both s of "ss" come from ß
    assert origin[folded.index("fi")] == origin[folded.index("fi") + 1] == 7  # the ligature


def test_hits_are_spans_of_the_original_text():
    text = "Erdoğan, Erdogan and e\u0301lan (decomposed) and élan"
    assert [text[a:b] for a, b in find_spans(text, "erdogan")] == ["Erdoğan", "Erdogan"]
    assert [text[a:b] for a, b in find_spans(text, "elan")] == ["e\u0301lan", "élan"]


def test_smart_case_and_whitespace():
    text = "Turkey and turkey; the\nOrganization"
    assert len(find_spans(text, "turkey")) == 2
    assert [text[a:b] for a, b in find_spans(text, "Turkey")] == ["Turkey"]
    assert [text[a:b] for a, b in find_spans(text, "the organization")] == ["the\nOrganization"]
    assert find_spans(text, "   ") == []
