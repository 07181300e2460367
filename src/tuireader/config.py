"""User settings: key remapping by binding id, and the theme.

# ~/.config/tuireader/settings.yaml
theme: textual-light
keys:
  article.next_marker: "right_square_bracket,ctrl+n"
  app.search: "slash,ctrl+k"
entities:
  model: en_core_web_sm   # optional spaCy pipeline (pip install 'tuireader[ner]')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .core.yamlsafe import load_untrusted


@dataclass(slots=True)
class Settings:
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    entities_model: str | None = None
    problems: list[str] = field(default_factory=list)


def load_settings(path: Path) -> Settings:
    settings = Settings()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError) as exc:
        settings.problems.append(f"{path}: cannot read it ({exc.__class__.__name__}); defaults used")
        return settings
    import yaml  # here, not at the top: most starts have no settings file, and yaml is slow to import

    try:
        data = load_untrusted(text)
    except yaml.YAMLError as exc:
        why = getattr(exc, "problem", None) or exc.__class__.__name__
        settings.problems.append(f"{path}: cannot read it ({why}); defaults used")
        return settings
    if data is None:
        return settings
    if not isinstance(data, dict):
        settings.problems.append(f"{path}: expected 'keys:' and 'theme:' settings; defaults used")
        return settings
    keys = data.get("keys") or {}
    if isinstance(keys, dict):
        settings.keys = {str(k): str(v) for k, v in keys.items() if v}
    else:
        settings.problems.append(f"{path}: 'keys' must map binding ids to keys; ignored")
    theme = data.get("theme")
    if theme is not None:
        settings.theme = str(theme)
    entities = data.get("entities") or {}
    if isinstance(entities, dict) and entities.get("model"):
        settings.entities_model = str(entities["model"])
    elif not isinstance(entities, dict):
        settings.problems.append(f"{path}: 'entities' must be a mapping (model: NAME); ignored")
    return settings
