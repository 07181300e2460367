"""Caches kept on Whoosh's reader objects, so that each lives exactly as long as its reader.

A segment reader is replaced when a commit changes its segment, so what is
computed from it (a term's scores, a field's words or lengths) is never stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def attached(owner: object, name: str, make: Callable[[], T]) -> T:
    """The object kept on ``owner`` under ``name``, made by ``make`` the first time it is asked for."""
    found = owner.__dict__.get(name)
    if found is None:  # not setdefault: that would make one at every call
        found = owner.__dict__[name] = make()
    return found
