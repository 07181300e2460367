"""Untrusted strings made safe to show: no control character ever reaches a terminal.

Documents, file names and everything derived from them are untrusted: ESC, BEL
and C1 controls would let a file set the clipboard (OSC 52) or clear the
screen, and bidirectional overrides make text display differently from what it
says.  Each becomes a visible symbol, one character for one, so offsets into the
text stay offsets into the file.
"""

from __future__ import annotations

import re

_CONTROL_PICTURES = {c: 0x2400 + c for c in range(32) if c not in (9, 10, 13)}
_CONTROL_PICTURES[127] = 0x2421
for _c in range(0x80, 0xA0):
    _CONTROL_PICTURES[_c] = 0xFFFD
for _c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)):
    _CONTROL_PICTURES[_c] = 0xFFFD
_HAS_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_PICTURES) + "]")

# A name (a file's, a message's) is one line: its tabs and line breaks are shown as symbols too.
_NAME_PICTURES = {**_CONTROL_PICTURES, 9: 0x2409, 10: 0x240A, 13: 0x240D}
_NAME_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _NAME_PICTURES) + "]")


def make_displayable(text: str) -> str:
    """Replace control characters (ESC, BEL, C1, bidi overrides) with visible symbols; same length."""
    if _HAS_CONTROL.search(text) is None:  # the usual case, and much faster than translate
        return text
    return text.translate(_CONTROL_PICTURES)


def visible_name(text: str) -> str:
    """A file name or one-line message: as make_displayable, and tabs and line breaks shown too."""
    if _NAME_CONTROL.search(text) is None:
        return text
    return text.translate(_NAME_PICTURES)
