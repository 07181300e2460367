"""Putting untrusted text where Textual expects markup (border titles, palette help).

Textual's ``markup.escape`` is not enough: it leaves an unfinished tag such as
``[link=htt…`` (a truncated title) which then fails to parse at render time,
and it alters backslashes.  Escaping every ``[`` round-trips any string.
"""

from __future__ import annotations


def literal_markup(text: str) -> str:
    """Markup that renders exactly as ``text``."""
    return text.replace("[", "\\[")
