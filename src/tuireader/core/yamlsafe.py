"""YAML from documents and settings, read without aliases and without crashing on values.

A "billion laughs" file defines a list and repeats it through ``&anchor`` /
``*alias`` nine levels deep: a few hundred bytes that construct into billions of
objects (measured: `show` grew to 1.85 GB).  No metadata, settings or gazetteer
of ours needs an alias, so any alias is refused before anything is constructed.

A value that looks like a timestamp but is none (``2022-13-45``) made PyYAML
raise a ValueError that no caller expected; it is kept as the string it is, and
the caller's own validation says what is wrong with it and where.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _loader() -> type:
    import yaml  # only where there is YAML to read: a slow import the reader's start skips

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster

    class UntrustedLoader(base):  # type: ignore[misc, valid-type]
        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)

    UntrustedLoader.add_constructor("tag:yaml.org,2002:timestamp", UntrustedLoader.construct_yaml_timestamp)
    return UntrustedLoader


def load_untrusted(text: str) -> Any:
    """``yaml.safe_load`` for text we did not write; an alias raises a ``yaml.YAMLError``."""
    import yaml

    loader = _loader()
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not accepted", problem_mark=mark)  # type: ignore[arg-type]
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
