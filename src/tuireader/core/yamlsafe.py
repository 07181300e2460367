"""YAML from documents and settings, read without aliases.

A "billion laughs" file defines a list and repeats it through ``&anchor`` /
``*alias`` nine levels deep: a few hundred bytes that construct into billions of
objects (measured: `show` grew to 1.85 GB).  No metadata, settings or gazetteer
of ours needs an alias, so any alias is refused before anything is constructed.
"""

from __future__ import annotations

from typing import Any


def load_untrusted(text: str) -> Any:
    """``yaml.safe_load`` for text we did not write; an alias raises a ``yaml.YAMLError``."""
    import yaml  # only where there is YAML to read: a slow import the reader's start skips

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not accepted", problem_mark=mark)  # type: ignore[arg-type]
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
