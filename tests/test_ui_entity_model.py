"""The reader with the optional model: after the fast index, the background pass reads the
open document first and its entities list gains what the model found; progress in the status line."""

from __future__ import annotations

import pytest

from tuireader.ui.app import build_app

from .conftest import write
from .test_ui import settle


@pytest.mark.no_shared_index
async def test_the_background_pass_adds_the_models_entities_to_the_open_document(tmp_path, isolated_user_dirs):
    spacy = pytest.importorskip("spacy")  # the extra is optional: without spaCy this does not apply
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Zorbcorp"}])
    nlp.to_disk(tmp_path / "tiny")
    write(isolated_user_dirs / "config" / "settings.yaml", f"entities:\n  model: {tmp_path / 'tiny'}\n")
    library = tmp_path / "lib"
    write(library / "a.md", "# Alpha\n\nZorbcorp hired Madeleine Albright in Ankara.\n")
    write(library / "b.md", "# Beta\n\nZorbcorp again.\n")
    app = build_app(library_dir=library, open_doc="a")
    app.STATUS_SECONDS = 600  # the passing message must outlast a slow machine's settling
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.start_background_work()  # what the start-up timer does two seconds in
        await settle(pilot)
        await settle(pilot)  # the index's worker starts the model's
        status = app.reader.status.text
        await pilot.press("E")
        await pilot.pause()
        listing = app.query_one("#entity-list")
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    assert any("Zorbcorp" in p for p in prompts), prompts  # the model's, from the index
    assert any("Madeleine Albright" in p for p in prompts) and any("Ankara" in p for p in prompts)  # the rules'
    assert status == f"entities ({tmp_path / 'tiny'}): 2 documents read"
