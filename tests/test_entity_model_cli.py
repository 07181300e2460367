"""``tuireader index --entities-model``: the optional model's pass from the command line, with
a tiny spaCy pipeline built here (an EntityRuler saved to a folder): no model download."""

from __future__ import annotations

import json
import sys

import pytest

from tuireader.cli import main
from tuireader.services.entities import run_model_pass
from tuireader.workspace import Workspace

from .conftest import write


@pytest.fixture
def pipeline(tmp_path):
    spacy = pytest.importorskip("spacy")  # the extra is optional: without spaCy these tests do not apply
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Zorbcorp"}])
    folder = tmp_path / "tiny-pipeline"
    nlp.to_disk(folder)
    return folder


@pytest.fixture
def library(tmp_path, isolated_user_dirs):
    root = tmp_path / "lib"
    write(root / "a.md", "# Alpha\n\nZorbcorp hired Madeleine Albright.\n")
    write(root / "b.md", "# Beta\n\nNothing to see.\n")
    return root


def _search(library, capsys, query: str) -> list[str]:
    capsys.readouterr()
    assert main(["search", "--library", str(library), query, "--json"]) in (0, 1)
    return [hit["id"] for hit in json.loads(capsys.readouterr().out)["hits"]]


def test_the_pass_runs_after_the_index_with_progress_and_resumes(library, pipeline, capsys):
    assert main(["index", "--library", str(library), "--entities-model", str(pipeline)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == f"entities ({pipeline}): 2 documents read, 0 read before"
    assert f"entities ({pipeline}): 2/2 documents" in err  # progress on stderr (not a terminal: lines)
    assert _search(library, capsys, "org:zorbcorp") == ["a"]
    # run again after b changed: only b is read
    write(library / "b.md", "# Beta\n\nZorbcorp too.\n")
    assert main(["index", "--library", str(library), "--entities-model", str(pipeline)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(": 1 documents read, 1 read before")
    assert sorted(_search(library, capsys, "org:zorbcorp")) == ["a", "b"]


def test_without_the_option_the_index_is_the_rules_alone(library, pipeline, capsys):
    assert main(["index", "--library", str(library)]) == 0
    assert "entities (" not in capsys.readouterr().out
    assert _search(library, capsys, "org:zorbcorp") == []


def test_the_setting_names_the_pipeline_when_the_option_has_no_name(library, pipeline, isolated_user_dirs, capsys):
    write(isolated_user_dirs / "config" / "settings.yaml", f"entities:\n  model: {pipeline}\n")
    assert main(["index", "--library", str(library), "--entities-model"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"entities ({pipeline}): 2 documents read, 0 read before"


def test_no_model_named_anywhere_is_one_clear_line(library, capsys):
    assert main(["index", "--library", str(library), "--entities-model"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tuireader: no entities model: give one (--entities-model en_core_web_md)")
    assert "Traceback" not in err


def test_a_pipeline_that_is_not_installed_is_one_clear_line(library, capsys):
    pytest.importorskip("spacy")
    assert main(["index", "--library", str(library), "--entities-model", "no_such_pipeline_xyz"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "tuireader: cannot load the spaCy pipeline 'no_such_pipeline_xyz' (OSError): "
        "install it (python -m spacy download no_such_pipeline_xyz) or fix entities.model"
    ]


def test_spacy_not_installed_is_one_clear_line(library, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now raises ImportError
    assert main(["index", "--library", str(library), "--entities-model", "en_core_web_md"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "tuireader: spaCy is not installed, which the entities model needs: pip install 'tuireader[ner]'"
    ]


def test_a_stopped_pass_keeps_what_it_read_and_the_next_run_goes_on(library, pipeline, tmp_path):
    ws = Workspace(library, tmp_path / "index")
    ws.index.update()
    seen: list[int] = []
    report = run_model_pass(
        ws, str(pipeline), progress=lambda done, total: seen.append(done), cancelled=lambda: bool(seen)
    )
    assert (report.done, report.cancelled) == (1, True)
    again = run_model_pass(Workspace(library, tmp_path / "index"), str(pipeline))
    assert (again.done, again.already, again.cancelled) == (1, 1, False)
    assert [h.id for h in ws.index.search("org:zorbcorp").hits] == ["a"]
