"""Back/forward history: the browser rules, and nothing recorded when nothing was open."""

from __future__ import annotations

from tuireader.state.history import History, Location


def test_back_and_forward_like_a_browser():
    a, b, c = Location("a", 0), Location("b", 10), Location("c", 20)
    history = History()
    history.visit(None)  # a jump made before any document was open leaves nothing to come back to
    assert not history.can_go_back
    history.visit(a)
    history.visit(a)  # the same place twice is one entry
    history.visit(b)
    assert history.back(c) == b and history.back(b) == a and history.back(a) is None
    assert history.forward(a) == b
    history.visit(b)  # a new jump drops what was ahead
    assert not history.can_go_forward
