"""The optional model's pass over a library, asked for by name (``tuireader index
--entities-model``): which pipeline, whether it loads, then the workspace's resumable pass
(entities/background.py). The front-end shows the progress and the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..entities.statistical import ModelError

if TYPE_CHECKING:
    from ..entities.background import PassReport, Progress
    from ..workspace import Workspace

__all__ = ["ModelError", "model_name_for", "run_model_pass"]


def model_name_for(workspace: Workspace, asked: str | None) -> str:
    """The pipeline asked for, else ``entities.model`` from the settings; a ModelError without either."""
    name = asked or workspace.model_name
    if not name:
        raise ModelError(
            "no entities model: give one (--entities-model en_core_web_md) or set entities.model in settings.yaml"
        )
    return name


def run_model_pass(
    workspace: Workspace,
    name: str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PassReport:
    """The model over every indexed document it has not read in its current content, each
    re-indexed with the merged mentions. A ModelError (one line) when spaCy or the pipeline
    is not installed; nothing is read then."""
    workspace.use_model(name)
    if workspace.model_extractor is None:
        why = workspace.problems.pop() if workspace.problems else f"cannot load the spaCy pipeline {name!r}"
        raise ModelError(why)
    report = workspace.run_model_pass(progress=progress, cancelled=cancelled)
    assert report is not None  # the model loaded: the pass ran
    return report
