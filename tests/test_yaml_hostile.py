"""YAML "billion laughs" in every YAML we read from a library or settings: refused, never expanded."""

from __future__ import annotations

import pytest

from tuireader.config import load_settings
from tuireader.core.formats import parse_file
from tuireader.core.library import Library
from tuireader.entities.gazetteer import GazetteerError, parse_gazetteer

from .conftest import write

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def test_front_matter_with_aliases_is_ignored_with_a_warning(tmp_path):
    body = "The body stays, and it is read as the article's text once the front matter is set aside."
    doc = parse_file(write(tmp_path / "a.md", f"---\ntitle: Hello\n{LAUGHS}\n---\n\n# Heading\n\n{body}\n"))
    assert any("aliases" in w.message and w.code == "front-matter" for w in doc.warnings)
    assert body in [b.text for b in doc.blocks]


def test_a_sidecar_with_aliases_is_ignored_with_a_warning(tmp_path):
    write(tmp_path / "a.yaml", f"title: Sidecar\n{LAUGHS}\n")
    doc = parse_file(write(tmp_path / "a.txt", "Real title\n\nBody text here.\n"))
    assert any(w.code == "sidecar" and "aliases" in w.message for w in doc.warnings)
    assert doc.title != "Sidecar"


def test_settings_with_aliases_fall_back_to_defaults(tmp_path):
    settings = load_settings(write(tmp_path / "settings.yaml", f"theme: nord\n{LAUGHS}\n"))
    assert settings.problems and "aliases" in settings.problems[0]


def test_library_settings_with_aliases_fall_back_to_defaults(tmp_path):
    write(tmp_path / "tuireader.yaml", f"boilerplate: [x]\n{LAUGHS}\n")
    library = Library(tmp_path)
    assert library.settings.boilerplate == [] and "aliases" in library.settings.warnings[0]


def test_a_gazetteer_with_aliases_is_refused():
    with pytest.raises(GazetteerError, match="aliases"):
        parse_gazetteer(f"entities: []\n{LAUGHS}\n", "entities.yaml")


def test_yaml_without_aliases_still_loads(tmp_path):
    doc = parse_file(write(tmp_path / "a.md", "---\ntitle: Plain\ntags: [x, y]\n---\n\nBody.\n"))
    assert doc.title == "Plain" and doc.tags == ["x", "y"]


def test_an_impossible_date_in_a_sidecar_is_a_warning_not_a_crash(tmp_path):
    write(tmp_path / "a.yaml", "title: Sidecar title\ndate: 2022-13-45\n")
    doc = parse_file(write(tmp_path / "a.txt", "Real title\n\nBody text here.\n"))
    [warning] = [w for w in doc.warnings if w.code == "sidecar"]
    assert "a.yaml" in warning.message and "2022-13-45" in warning.message


def test_an_impossible_date_in_settings_does_not_stop_loading(tmp_path):
    settings = load_settings(write(tmp_path / "settings.yaml", "theme: 2022-13-45\nkeys:\n  app.search: s\n"))
    assert settings.keys == {"app.search": "s"}


@pytest.mark.parametrize("aliases", ["5", "{a: 1}", "[[x, y]]", "true"])
def test_aliases_that_are_not_a_list_of_names_are_a_message(aliases):
    text = f"entities:\n  - name: Ankara\n    type: place\n    aliases: {aliases}\n"
    with pytest.raises(GazetteerError, match=r"entities.yaml: entry 1 \(Ankara\): 'aliases' must be a list of names"):
        parse_gazetteer(text, "entities.yaml")


def test_one_alias_as_a_string_or_names_as_numbers_still_load():
    [entry] = parse_gazetteer("entities:\n  - name: G7\n    type: org\n    aliases: Group of Seven\n", "e.yaml")
    assert entry.aliases == ["Group of Seven"]
    [entry] = parse_gazetteer("entities:\n  - name: G7\n    type: org\n    aliases: [1600, G-7]\n", "e.yaml")
    assert entry.aliases == ["1600", "G-7"]
