"""Gazetteers: YAML lists of entities with their aliases, merged in order.

    entities:
      - name: Recep Tayyip Erdogan        # the canonical name
        type: PERSON                      # PERSON | ORG | PLACE | GROUP
        aliases: [Erdogan, Erdoğan]       # other ways the text names it
        description: President of Turkey  # optional, shown on hover

Order: the general gazetteer shipped in the package, then the library's
``entities.yaml``, then the user's (``~/.config/tuireader/entities.yaml``).
A later file adds aliases to an entity of the same name and may change its
type or description; an alias claimed by a later entity moves to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.yamlsafe import load_untrusted
from .model import ENTITY_TYPES as TYPES


@dataclass(slots=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    origin: str = ""  # which file defined it


@dataclass(slots=True)
class Gazetteer:
    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # surface form -> canonical name
    sources: list[str] = field(default_factory=list)

    def add(self, entry: GazetteerEntry) -> None:
        existing = self.entries.get(entry.name)
        if existing is None:
            self.entries[entry.name] = entry
            existing = entry
        else:
            existing.type = entry.type or existing.type
            existing.description = entry.description or existing.description
            existing.aliases = list(dict.fromkeys(existing.aliases + entry.aliases))
            existing.origin = entry.origin
        for alias in (entry.name, *entry.aliases):
            self.aliases[alias] = entry.name

    def lookup(self, surface: str) -> GazetteerEntry | None:
        name = self.aliases.get(surface)
        return self.entries.get(name) if name else None


class GazetteerError(ValueError):
    pass


def _as_json(text: str) -> Any:
    """The data of a gazetteer written as JSON under its comment lines (the general one), or None."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).lstrip()
    if not body.startswith("{"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None  # YAML in flow style after all: the YAML parser reads it


def parse_gazetteer(text: str, origin: str) -> list[GazetteerEntry]:
    data = _as_json(text)
    if data is None:
        data = _load_yaml(text, origin)
    return _entries(data, origin)


def _load_yaml(text: str, origin: str) -> Any:
    import yaml  # gazetteers load in the background; the reader's start skips this import

    try:
        return load_untrusted(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", "") or "")
        why = f": {problem}" if "alias" in problem else ""
        raise GazetteerError(f"{origin}: invalid YAML" + (f" at line {mark.line + 1}" if mark else "") + why) from None


def _entries(data: Any, origin: str) -> list[GazetteerEntry]:
    if data is None:
        return []
    items = data.get("entities") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise GazetteerError(f"{origin}: expected a list under 'entities:'")
    entries = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("name"):
            raise GazetteerError(f"{origin}: entry {n} needs a 'name'")
        etype = str(item.get("type", "")).upper()
        if etype not in TYPES:
            raise GazetteerError(f"{origin}: entry {n} ({item['name']}): type must be one of {', '.join(TYPES)}")
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        # a number is a name ("1600"); a mapping, a list in the list or true is a mistake to say
        if not isinstance(aliases, list) or not all(
            isinstance(a, str | int | float) and not isinstance(a, bool) for a in aliases
        ):
            raise GazetteerError(f"{origin}: entry {n} ({item['name']}): 'aliases' must be a list of names")
        entries.append(
            GazetteerEntry(
                str(item["name"]).strip(),
                etype,
                [str(a).strip() for a in aliases if str(a).strip()],
                str(item.get("description") or ""),
                origin,
            )
        )
    return entries


def general_gazetteer_text() -> str:
    return resources.files("tuireader.entities").joinpath("data/general.yaml").read_text(encoding="utf-8")


def load_gazetteers(paths: list[Path], *, include_general: bool = True) -> tuple[Gazetteer, list[str]]:
    """The merged gazetteer and a list of problems (a bad file is skipped, with a message)."""
    gazetteer = Gazetteer()
    problems: list[str] = []
    texts: list[tuple[str, str]] = []
    if include_general:
        texts.append((general_gazetteer_text(), "general"))
    for path in paths:
        if not path.is_file():
            continue
        try:
            texts.append((path.read_text(encoding="utf-8-sig"), str(path)))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read it ({exc.__class__.__name__}); skipped")
    for text, origin in texts:
        try:
            for entry in parse_gazetteer(text, origin):
                gazetteer.add(entry)
            gazetteer.sources.append(origin)
        except GazetteerError as exc:
            problems.append(f"{exc}; skipped")
    return gazetteer, problems
