"""The timeline core and `tuireader timeline`: documents by date or period, an entity's mentions in time."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from tuireader.cli import main
from tuireader.core.timeline import (
    DatedDocument,
    DatedMention,
    dated_mentions,
    document_timeline,
    entity_timeline,
    resolve_day,
    sentence_starts,
)
from tuireader.timeline import UnknownEntity, entity_in_time, library_timeline, resolve_entity

from .conftest import LIBRARY
from .timeline_library import PERSON

D = dt.date


def test_a_date_without_a_year_is_the_nearest_one_to_the_document():
    # "January 6" in a report of January 18, 2022; "December 30" in the same report is the year before.
    assert resolve_day("January 6", D(2022, 1, 18)) == D(2022, 1, 6)
    assert resolve_day("December 30", D(2022, 1, 18)) == D(2021, 12, 30)
    assert resolve_day("2021-12-28", D(2022, 1, 18)) == D(2021, 12, 28)
    assert resolve_day("January 10-14", D(2022, 1, 18)) == D(2022, 1, 10)  # a range: its first day
    assert resolve_day("January 2022", D(2022, 1, 18)) is None  # a month names no day
    assert resolve_day("the 1990s", D(2022, 1, 18)) is None
    assert resolve_day("January 6", None) is None  # no document date: the year is unknown
    assert resolve_day("February 29", D(2023, 3, 1)) == D(2024, 2, 29)  # the only year near that has one


def test_documents_are_grouped_and_in_date_order_and_undated_kept_apart():
    docs = [
        DatedDocument("b", "B", "2022-01-20", None, "ISW", ("turkey",)),
        DatedDocument("a", "A", "2021-12-28", "2022-01-18", "ISW", ("turkey", "csto")),
        DatedDocument("c", "C", "2022-01-22", None, None, ()),
        DatedDocument("u", "U", None, None, "ISW", ()),
    ]
    by_source = document_timeline(docs)
    assert [(r.group, r.document.id) for r in by_source.rows] == [("ISW", "a"), ("ISW", "b"), ("(none)", "c")]
    assert [d.id for d in by_source.undated] == ["u"]
    assert by_source.first == D(2021, 12, 28) and by_source.last == D(2022, 1, 22)
    by_tag = document_timeline(docs, group_by="tag")
    assert [(r.group, r.document.id) for r in by_tag.rows] == [
        ("csto", "a"),
        ("turkey", "a"),
        ("turkey", "b"),
        ("(none)", "c"),
    ]
    assert [r.document.id for r in document_timeline(docs, group_by="none", only={"c", "a"}).rows] == ["a", "c"]
    period = by_source.rows[0].document
    assert (period.start, period.end) == (D(2021, 12, 28), D(2022, 1, 18))
    assert DatedDocument("m", "M", "2022-01", "2022-02").end == D(2022, 2, 28)  # a month's period ends on its last day


def test_a_mention_takes_the_nearest_date_in_its_paragraph_else_the_document_date():
    doc = DatedDocument("isw", "ISW", "2021-12-28", "2022-01-18")
    body = [
        (3, 3, 12, "January 6", "DATE"),
        (3, 40, 47, "Erdogan", "PERSON"),  # 28 after January 6, 60 before January 11
        (3, 107, 117, "January 11", "DATE"),
        (3, 110, 117, "Erdogan", "PERSON"),  # nearer January 11
        (4, 0, 7, "Erdogan", "PERSON"),  # no date in its paragraph
        (5, 0, 7, "Erdogan", "PERSON"),
        (5, 20, 32, "January 2022", "DATE"),  # a month does not date it
        (3, 50, 58, "Tokayev", "PERSON"),
    ]
    parts = [("title", "", 0, 7, "Erdogan", "PERSON"), ("note", "4", 0, 10, "January 7", "DATE")]
    found = dated_mentions(doc, body, parts, "erdogan")
    assert [(m.day, m.how) for m in found] == [
        (D(2022, 1, 6), "text"),
        (D(2022, 1, 11), "text"),
        (D(2022, 1, 18), "document"),  # the day the report was written: its period's end
        (D(2022, 1, 18), "document"),
        (D(2022, 1, 18), "document"),  # the title's mention
    ]
    # No document date: "January 6" has no year to take, so nothing dates these mentions.
    undated = dated_mentions(DatedDocument("x", "X"), body, [], "Erdogan")
    assert [(m.day, m.how) for m in undated] == [(None, "undated")] * 4


def test_weekly_bins_run_monday_to_sunday_and_include_empty_weeks():
    mentions = [
        DatedMention("a", D(2022, 1, 3), "text"),  # Monday
        DatedMention("a", D(2022, 1, 9), "text"),  # Sunday, same week
        DatedMention("b", D(2022, 1, 24), "document"),
        DatedMention("c", None, "undated"),
    ]
    chart = entity_timeline("X", "PERSON", mentions, by="week")
    assert [(b.start, b.end, b.mentions, b.documents) for b in chart.bins] == [
        (D(2022, 1, 3), D(2022, 1, 9), 2, ["a"]),
        (D(2022, 1, 10), D(2022, 1, 16), 0, []),
        (D(2022, 1, 17), D(2022, 1, 23), 0, []),
        (D(2022, 1, 24), D(2022, 1, 30), 1, ["b"]),
    ]
    assert (chart.total, chart.dated_in_text, chart.dated_by_document, chart.undated) == (4, 2, 1, 1)
    monthly = entity_timeline("X", "PERSON", mentions, by="month")
    assert [(b.start, b.end, b.mentions) for b in monthly.bins] == [(D(2022, 1, 1), D(2022, 1, 31), 3)]
    far = [DatedMention("a", D(2022, 1, 3), "text"), DatedMention("a", D(2022, 12, 1), "text")]
    assert entity_timeline("X", "PERSON", far).by == "month"  # 48 weeks: too many bars for weeks
    assert entity_timeline("X", "PERSON", mentions).by == "week"


# ------------------------------------------------------------ the generated library
def test_generated_library_in_date_order(generated_timeline):
    _base, docs, workspace = generated_timeline
    timeline = library_timeline(workspace.index, group_by="none")
    expected = sorted(docs, key=lambda d: (d.start, d.title))
    assert [r.document.id for r in timeline.rows] == [d.id for d in expected]
    assert [(r.document.start, r.document.end) for r in timeline.rows] == [(d.start, d.end) for d in expected]
    by_source = library_timeline(workspace.index)
    assert sorted({r.group for r in by_source.rows}) == [
        "Bellmouth Review",
        "Institute of Calder Studies",
        "Northgate Wire",
    ]
    assert len(library_timeline(workspace.index, group_by="tag").rows) == 50 + 10  # every 5th has two tags


def test_entity_chart_counts_match_a_direct_count(generated_timeline):
    _base, docs, workspace = generated_timeline
    canonical, etype = resolve_entity(workspace, "mirela voss")
    assert (canonical, etype) == (PERSON, "PERSON")
    chart = entity_in_time(workspace, canonical, etype, by="week")
    expected_days = [day for d in docs for day in d.mention_days]
    assert chart.total == len(expected_days) == sum(b.mentions for b in chart.bins)
    assert chart.dated_in_text == sum(d.dated_in_text for d in docs)
    per_week = Counter(day - dt.timedelta(days=day.weekday()) for day in expected_days)
    assert {b.start: b.mentions for b in chart.bins if b.mentions} == dict(per_week)
    per_month = Counter(day.replace(day=1) for day in expected_days)
    monthly = entity_in_time(workspace, canonical, etype, by="month")
    assert {b.start: b.mentions for b in monthly.bins if b.mentions} == dict(per_month)
    # And the count straight from the extractor over each parsed document agrees.
    direct = 0
    for entry in workspace.library.scan().documents:
        doc = workspace.library.parse(entry)
        direct += sum(1 for m in workspace.extractor.extract_all(doc) if m.canonical == PERSON)
    assert direct == chart.total
    with pytest.raises(UnknownEntity, match="did you mean Mirela Voss"):
        resolve_entity(workspace, "Mirela Vos")


def test_cli_timeline_json_and_text(generated_timeline, capsys):
    base, docs, _workspace = generated_timeline
    args = ["timeline", "--library", str(base / "library"), "--index-dir", str(base / "index")]
    assert main([*args, "--json", "--group", "none"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = min(docs, key=lambda d: (d.start, d.title))
    assert data["documents"][0]["id"] == first.id and data["documents"][0]["start"] == first.start.isoformat()
    assert data["group_by"] == "none" and len(data["documents"]) == 50 and data["undated"] == []
    assert main([*args, "--entity", "Mirela Voss", "--by", "month", "--json"]) == 0
    chart = json.loads(capsys.readouterr().out)
    assert chart["entity"] == PERSON and chart["by"] == "month"
    assert chart["mentions"] == sum(len(d.mention_days) for d in docs)
    earliest = min(day for d in docs for day in d.mention_days)
    assert chart["bins"][0]["start"] == earliest.replace(day=1).isoformat()
    assert len(chart["timeline"]["documents"]) == 50
    assert main([*args, "--entity", "Mirela Voss"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{PERSON} (PERSON): {chart['mentions']} mentions") and "█" in out
    assert main([*args, "--entity", "Nobody Here"]) == 1
    assert "no entity 'Nobody Here'" in capsys.readouterr().err


def test_cli_timeline_on_the_bundled_library(tmp_path, capsys):
    args = ["timeline", "--library", str(LIBRARY), "--index-dir", str(tmp_path / "index")]
    assert main([*args, "--entity", "CSTO", "--json"]) == 0
    chart = json.loads(capsys.readouterr().out)
    assert chart["entity"] == "Collective Security Treaty Organization" and chart["by"] == "week"
    # The ISW report's "On January 6, ... CSTO troops had already arrived" counts in the week of January 3.
    week = {b["start"]: b["mentions"] for b in chart["bins"]}
    assert week.get("2022-01-03", 0) >= 1
    assert main([*args]) == 0
    out = capsys.readouterr().out
    assert "2021-12-28 – 2022-01-18  Kazakhstan Crisis" in out and "New Eastern Outlook\n  2022-01-22" in out


def test_a_mention_takes_the_date_in_its_own_sentence_before_a_nearer_one_in_its_paragraph():
    doc = DatedDocument("r", "R", "2022-01-18")
    text = (
        "Protests began in Zhanaozen on January 2. Erdogan called Tokayev on January 6. "
        "Gen. Ivanov arrived with the U.S. envoy on Jan. 9 and Erdogan spoke again."
    )

    def at(words: str, after: int = 0) -> int:
        return text.index(words, after)

    body = [
        (0, at("January 2"), at("January 2") + 9, "January 2", "DATE"),
        (0, at("Erdogan"), at("Erdogan") + 7, "Erdogan", "PERSON"),  # 2 after January 2, 21 before January 6
        (0, at("January 6"), at("January 6") + 9, "January 6", "DATE"),
        (0, at("Jan. 9"), at("Jan. 9") + 6, "Jan. 9", "DATE"),
        (0, at("Erdogan spoke"), at("Erdogan spoke") + 7, "Erdogan", "PERSON"),  # "Gen." and "U.S." end no sentence
        (1, 0, 7, "Erdogan", "PERSON"),  # a paragraph with no date of its own
    ]
    paragraphs = {0: text, 1: "Erdogan is not dated here."}
    asked: list[int] = []

    def block_text(block: int) -> str:
        asked.append(block)
        return paragraphs[block]

    found = dated_mentions(doc, body, [], "Erdogan", block_text)
    assert [(m.day, m.how) for m in found] == [
        (D(2022, 1, 6), "text"),
        (D(2022, 1, 9), "text"),
        (D(2022, 1, 18), "document"),
    ]
    assert asked == [0]  # only the paragraph whose dates name several days is read
    # Without the text (or a sentence without a date of its own) the paragraph's nearest date is taken.
    assert dated_mentions(doc, body, [], "Erdogan")[0].day == D(2022, 1, 2)
    alone = [(0, 0, 9, "January 2", "DATE"), (0, 20, 29, "January 6", "DATE"), (0, 64, 71, "Erdogan", "PERSON")]
    sentences = "January 2 and later January 6 were the days. Nothing here dates Erdogan at all."
    assert dated_mentions(doc, alone, [], "Erdogan", lambda b: sentences)[0].day == D(2022, 1, 6)


def test_sentences_end_at_full_stops_but_not_after_initials_abbreviations_or_before_digits():
    text = 'Gen. Ivanov met J. Smith in the U.S. on Jan. 6. "We will help," he said! Then: 2022. Nothing.'
    starts = sentence_starts(text)
    assert [text[i : i + 8] for i in starts] == ["Gen. Iva", '"We will', "Then: 20", "Nothing."]
