"""What the reader says when its library gives it nothing to read: where it looked, and what to add."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..core.formats import supported_suffixes


def empty_library_text(root: Path) -> tuple[str, ...]:
    """Paragraphs for the article view when the library folder is missing or holds no document."""
    if not root.is_dir():
        first = f"No library: the folder {root} does not exist."
    else:
        first = f"No documents: the library folder {root} holds no documents."
    suffixes = ", ".join(sorted(supported_suffixes()))
    return (
        first,
        f"Put documents ({suffixes}) in it, or start tuireader on another folder. The library is, in this "
        f"order: --library DIR, then ${paths.ENV_LIBRARY}, then ./library in the current folder, then "
        f"{paths.default_library_dir()}.",
        "/ searches the library once it has documents; ? lists every key; q quits.",
    )
