"""The optional spaCy extra, with a tiny pipeline built here (an EntityRuler): no model download."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats import parse_file
from tuireader.entities.extract import NOTE, EntityExtractor
from tuireader.entities.gazetteer import load_gazetteers
from tuireader.entities.statistical import ModelError, ModelExtractor, load_model

spacy = pytest.importorskip("spacy")  # the extra is optional: without spaCy these tests do not apply


@pytest.fixture(scope="module")
def tiny():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ORG", "pattern": "Newmont"},
            {"label": "PERSON", "pattern": "Kenneth Clarke"},
            {"label": "GPE", "pattern": "Kyiv"},  # the gazetteer knows it: the rules' mention stands
            {"label": "GPE", "pattern": "Zorbland"},
            {"label": "NORP", "pattern": "Zorblish"},
            {"label": "MONEY", "pattern": "Zorbcoins"},  # a label of no type of ours
            {"label": "ORG", "pattern": "Lavrov"},  # wrong, and overlapping the rules' person: ignored
        ]
    )
    return nlp


@pytest.fixture(scope="module")
def merged(tiny):
    return ModelExtractor(EntityExtractor(load_gazetteers([])[0]), tiny)


def _doc(tmp_path: Path, text: str):
    path = tmp_path / "m.md"
    path.write_text(text, encoding="utf-8")
    return parse_file(path), text


def test_the_model_fills_what_the_rules_missed_and_the_rules_win_overlaps(merged, tmp_path):
    text = (
        "# Report\n\n"
        "Foreign Minister Sergey Lavrov met Kenneth Clarke in Kyiv.\n\n"
        "Newmont paid 5 Zorbcoins to Zorblish traders in Zorbland.¹\n\n"
        "¹ Newmont said so.\n"
    )
    doc, source = _doc(tmp_path, text)
    got = [(m.text, m.type, m.rule, m.part) for m in merged.extract_all(doc) if m.type != "DATE"]
    assert got == [
        ("Sergey Lavrov", "PERSON", "title-cue", "body"),
        ("Kenneth Clarke", "PERSON", "name", "body"),  # the rules found him first (a known given name)
        ("Kyiv", "PLACE", "gazetteer", "body"),
        ("Newmont", "ORG", "model", "body"),
        ("Zorblish", "GROUP", "model", "body"),
        ("Zorbland", "PLACE", "model", "body"),
        ("Newmont", "ORG", "model", NOTE),
    ]
    for m in merged.extract_all(doc):
        assert source[m.source_start : m.source_end] == m.text
    assert all(m.part == "body" for m in merged.extract(doc))


def test_the_gazetteer_names_what_the_model_finds(tiny, tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Rangoon"}])
    gazetteer = load_gazetteers([])[0]
    base = EntityExtractor(gazetteer)
    doc, _ = _doc(tmp_path, "# Report\n\nHe flew to Rangoon.\n")
    assert [(m.canonical, m.rule) for m in ModelExtractor(base, nlp).extract(doc)] == [("Yangon", "gazetteer")]


def test_a_missing_pipeline_is_one_clear_message():
    with pytest.raises(ModelError, match="cannot load the spaCy pipeline 'no_such_pipeline_xyz'"):
        load_model("no_such_pipeline_xyz")


def test_the_setting_names_the_pipeline_and_the_cli_merges_it(tiny, tmp_path, monkeypatch, capsys):
    import json

    from tuireader.cli import main

    from .conftest import LIBRARY

    pipeline = tmp_path / "pipeline"
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Bayraktar"}])
    nlp.to_disk(pipeline)  # spacy.load takes a path as well as a package name
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.yaml").write_text(f"entities:\n  model: {pipeline}\n", encoding="utf-8")
    monkeypatch.setenv("TUIREADER_CONFIG_DIR", str(config))
    monkeypatch.setenv("TUIREADER_INDEX_DIR", str(tmp_path / "idx"))
    assert main(["entities", "--library", str(LIBRARY), "isw-2022-01-18-kazakhstan-crisis-turkey-reach", "--json"]) == 0
    mentions = json.loads(capsys.readouterr().out)["mentions"]
    bayraktar = [m for m in mentions if m["text"] == "Bayraktar"]
    assert bayraktar and all(m["type"] == "ORG" for m in bayraktar)


def test_the_models_weak_guesses_are_left_out(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [
            {"label": "PERSON", "pattern": "Zorbek"},  # one word: a surname is the rules' to give
            {"label": "ORG", "pattern": "Zorb World Series"},  # several words: kept
            {"label": "ORG", "pattern": "QUORBIX"},  # one word in a line of capitals: a headline's word
            {"label": "ORG", "pattern": "senate"},  # lower case
            {"label": "ORG", "pattern": "Pusan 0 2"},  # digits: a results table
            {"label": "ORG", "pattern": "Quorbix's"},  # the possessive is not part of the name
        ]
    )
    base = EntityExtractor(load_gazetteers([])[0])
    doc, _ = _doc(
        tmp_path,
        "# Report\n\nZorbek won the Zorb World Series; the senate met; Pusan 0 2.\n\nQuorbix's shares rose.\n\n"
        "Shares of QUORBIX rose.\n\nQUORBIX WINS AGAIN IN THE RAIN\n",
    )
    got = [(m.text, m.type, m.block) for m in ModelExtractor(base, nlp).extract(doc) if m.rule == "model"]
    assert got == [("Zorb World Series", "ORG", 0), ("Quorbix", "ORG", 1), ("QUORBIX", "ORG", 2)]


def _merged_with(patterns: list[dict], tmp_path, text: str) -> list[tuple[str, str, str]]:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    doc, _ = _doc(tmp_path, text)
    merged = ModelExtractor(EntityExtractor(load_gazetteers([])[0]), nlp).extract(doc)
    return [(m.text, m.type, m.rule) for m in merged if m.type != "DATE"]


def test_a_longer_name_of_the_models_takes_over_the_rules_shorter_ones(tmp_path):
    got = _merged_with(
        [
            {"label": "PERSON", "pattern": "Naina Yeltsin"},
            {"label": "ORG", "pattern": "U.S. Zorbing Department"},
        ],
        tmp_path,
        "# Report\n\nPresident Boris Yeltsin spoke; Naina Yeltsin smiled.\n\nThe U.S. Zorbing Department said so.\n",
    )
    assert got == [
        ("Boris Yeltsin", "PERSON", "title-cue"),
        ("Naina Yeltsin", "PERSON", "model"),  # not the learned surname "Yeltsin" inside it
        ("U.S. Zorbing Department", "ORG", "model"),  # not "U.S." a place and "Zorbing Department"
    ]


def test_the_rules_boundary_stands_against_a_title_a_month_or_a_cue(tmp_path):
    got = _merged_with(
        [
            {"label": "PERSON", "pattern": "President Boris Yeltsin"},  # a title in front
            {"label": "ORG", "pattern": "August Zorbing Council"},  # a month in front
            {"label": "ORG", "pattern": "Quorbix news"},  # a lower-case word at the end
        ],
        tmp_path,
        "# Report\n\nPresident Boris Yeltsin spoke.\n\nIn August Zorbing Council met.\n\n"
        "The Quorbix news agency said so.\n",
    )
    assert ("Boris Yeltsin", "PERSON", "title-cue") in got
    assert ("Zorbing Council", "ORG", "org-cue") in got
    assert ("Quorbix", "ORG", "outlet-cue") in got
    assert not any(rule == "model" for _, _, rule in got)


def test_a_place_the_model_finds_playing_is_a_side_except_where_it_is_the_place(tmp_path):
    got = _merged_with(
        [{"label": "GPE", "pattern": "Zorbshire"}],
        tmp_path,
        "# Cricket\n\nZorbshire 345 for 6 declared.\n\nZorbshire's captain was pleased.\n\nIt rained in Zorbshire.\n",
    )
    assert got == [("Zorbshire", "ORG", "model"), ("Zorbshire", "ORG", "model"), ("Zorbshire", "PLACE", "model")]


def test_a_name_the_model_typed_two_ways_keeps_the_commoner_type():
    from tuireader.entities.extract import Mention
    from tuireader.entities.statistical import _one_type_per_name

    def m(at: int, etype: str) -> Mention:
        return Mention(0, at, at + 6, "Surrey", "Surrey", etype, at, at + 6, "model")

    assert [x.type for x in _one_type_per_name([m(0, "PERSON"), m(10, "ORG"), m(20, "ORG")])] == ["ORG"] * 3


def test_a_models_span_over_two_names_is_cut_where_no_name_runs(tmp_path):
    got = _merged_with(
        [
            {"label": "PERSON", "pattern": "Zorbek Quorbov c Arvan Tulek"},  # a scorecard: caught by
            {"label": "PERSON", "pattern": "Irvek Malan, Osper Drai"},  # a list
            {"label": "PERSON", "pattern": "Ulvar Senk lbw"},  # a lower-case word at the end
            {"label": "PERSON", "pattern": "Anka Zelen Monday"},  # a weekday
            {"label": "PERSON", "pattern": "Piet van der Quorb"},  # particles stay inside
            {"label": "ORG", "pattern": "Council on Zorbish Relations"},  # so do "on" and "in"
            {"label": "ORG", "pattern": "Zorbing Managers'"},  # a plural possessive is not part of it
        ],
        tmp_path,
        "# Scores\n\nZorbek Quorbov c Arvan Tulek 12.\n\nIrvek Malan, Osper Drai played.\n\n"
        "Ulvar Senk lbw 4.\n\nAnka Zelen Monday said so.\n\nPiet van der Quorb won.\n\n"
        "The Council on Zorbish Relations met.\n\n"
        "The Zorbing Managers' index fell.\n",
    )
    assert [(t, ty) for t, ty, rule in got if rule == "model"] == [
        ("Zorbek Quorbov", "PERSON"),
        ("Arvan Tulek", "PERSON"),
        ("Irvek Malan", "PERSON"),
        ("Osper Drai", "PERSON"),
        ("Ulvar Senk", "PERSON"),
        ("Anka Zelen", "PERSON"),
        ("Piet van der Quorb", "PERSON"),
        ("Council on Zorbish Relations", "ORG"),
        ("Zorbing Managers", "ORG"),
    ]


def test_a_one_word_organisation_or_people_after_in_or_at_is_a_place(tmp_path):
    got = _merged_with(
        [
            {"label": "ORG", "pattern": "Quorbix"},
            {"label": "ORG", "pattern": "Zorblex"},
            {"label": "NORP", "pattern": "Zorbish"},
            {"label": "NORP", "pattern": "Vellish"},
        ],
        tmp_path,
        "# Report\n\nFarmers in Quorbix county protested.\n\nZorblex said so.\n\nTroubles in Zorbish history.\n\n"
        "Vellish traders came.\n",
    )
    assert got == [
        ("Quorbix", "PLACE", "model"),
        ("Zorblex", "ORG", "model"),
        ("Zorbish", "PLACE", "model"),
        ("Vellish", "GROUP", "model"),
    ]


def test_a_place_the_rules_left_inside_a_longer_name_is_not_brought_back(tmp_path):
    # the gazetteer knows Cambridge; beside an unknown capitalised word the rules read it as part
    # of another name, and the model's place there is not taken either
    got = _merged_with([{"label": "GPE", "pattern": "Cambridge"}], tmp_path, "# Football\n\nCambridge Zorbers lost.\n")
    assert got == []


def test_a_word_of_a_full_name_alone_is_that_person_and_other_single_words_are_not(tmp_path):
    got = _merged_with(
        [
            {"label": "PERSON", "pattern": "Jansek Qorkhan"},
            {"label": "PERSON", "pattern": "Jansek"},  # the full name's first word: kept
            {"label": "PERSON", "pattern": "Orvelin"},  # named in full nowhere: a guess, left out
        ],
        tmp_path,
        "# Squash\n\nJansek Qorkhan beat Orvelin.\n\nJansek was pleased.\n",
    )
    assert got == [("Jansek Qorkhan", "PERSON", "model"), ("Jansek", "PERSON", "model")]


class _FirstOnly:
    """A pipeline that sees a person's name the first time only (as a model may)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def pipe(self, texts):
        seen = False
        for text in texts:
            at = text.find(self.name)
            ents = []
            if at >= 0 and not seen:
                ents, seen = [_Ent("PERSON", at, at + len(self.name))], True
            yield _Parsed(ents)


class _Ent:
    def __init__(self, label: str, start: int, end: int) -> None:
        self.label_, self.start_char, self.end_char = label, start, end


class _Parsed:
    def __init__(self, ents: list[_Ent]) -> None:
        self.ents = ents


def test_a_person_the_model_found_once_is_that_person_where_the_document_names_them_again(tmp_path):
    doc, _ = _doc(
        tmp_path, "# Report\n\nThe winner was Tovar Ilesku.\n\nLater Tovar Ilesku spoke; Tovar Ileskuvich did not.\n"
    )
    merged = ModelExtractor(EntityExtractor(load_gazetteers([])[0]), _FirstOnly("Tovar Ilesku")).extract(doc)
    assert [(m.text, m.block, m.start) for m in merged if m.type == "PERSON"] == [
        ("Tovar Ilesku", 0, 15),
        ("Tovar Ilesku", 1, 6),  # not inside the longer word
    ]


def test_a_one_word_place_only_the_model_knows_needs_a_place_word_somewhere_in_the_document(tmp_path):
    patterns = [{"label": "GPE", "pattern": "Quorvale"}]
    alone = _merged_with(patterns, tmp_path, "# Report\n\nQuorvale is quiet.\n")
    assert alone == []
    named = _merged_with(patterns, tmp_path, "# Report\n\nQuorvale is quiet.\n\nRebels left the town of Quorvale.\n")
    assert named == [("Quorvale", "PLACE", "model"), ("Quorvale", "PLACE", "model")]
