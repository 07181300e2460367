"""Superscript and subscript text of the formats that mark it (HTML ``<sup>``, Word's
``vertAlign``), written so that it is not glued to the word before it.

Set as plain text, ``10<sup>3</sup>`` reads "103" and ``x<sup>n</sup>`` "xn".  What a reader
sees instead: an exponent that Unicode can raise in full becomes superscript characters
("10³", "x⁻¹"), as a text file would write it; an ordinal's suffix after a number stays on
its number ("1st", "2nd", "1er"), since that is how the word is read and searched, and a
mark stays a mark ("Smith†", "Acme™"); anything
else is written after a caret ("Smith^a", "e^(iπ)").  Subscripts become subscript digits
when they are digits and signs ("H₂O"), else plain text, which reads right ("Xmax").

Each result has one character per source character, or a caret and brackets more.
"""

from __future__ import annotations

_SUPERSCRIPT = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
_RAISED = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_LOWERED = frozenset("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
# English, French, Spanish, Italian, German ordinal endings written raised after a number
_MARKS = frozenset("*†‡§¶#‖′″°®™")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "e", "er", "re", "ère", "eme", "ème", "o", "a", "º", "ª", "te"})


def raised(text: str, before: str) -> str:
    """``text`` set as a superscript after ``before`` (the text up to it)."""
    core = text.strip()
    if not core:
        return text
    if core.lower() in _ORDINAL_SUFFIXES and before[-1:].isdigit():
        return text
    if all(ch in _MARKS for ch in core):
        return text  # a mark is read as itself: "Smith†", "claim*"
    translated = core.translate(_SUPERSCRIPT)
    if all(ch in _RAISED for ch in translated):
        return translated
    if len(core) == 1 or core.isalnum():
        return "^" + core
    return "^(" + core + ")"


def lowered(text: str) -> str:
    """``text`` set as a subscript: subscript digits and signs when all of it has them."""
    core = text.strip()
    translated = core.translate(_SUBSCRIPT)
    if core and all(ch in _LOWERED for ch in translated):
        return translated
    return text
