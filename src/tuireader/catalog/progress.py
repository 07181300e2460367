"""How far an index update is, how fast it goes and when it should end: one line for the
CLI's progress bar and the reader's status line alike."""

from __future__ import annotations

import time
from collections.abc import Callable

# Below this many documents or seconds the rate says little: no estimate yet.
_MIN_DONE, _MIN_SECONDS = 3, 1.0


def duration(seconds: float) -> str:
    """0:42, 12:05, 1:02:03."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Rate:
    """Documents a second and the time left, from the documents done in this run only (a
    resumed build starts at the count an earlier run committed)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start: tuple[float, int] | None = None

    def describe(self, done: int, total: int) -> str:
        """``done/total``, and once there is a rate, ``· N docs/s · M:SS left``."""
        now = self._clock()
        if self._start is None:
            self._start = (now, done)
        since, first = self._start
        text = f"{done:,}/{total:,}"
        counted, seconds = done - first, now - since
        if counted < _MIN_DONE or seconds < _MIN_SECONDS:
            return text
        per_second = counted / seconds
        text += f" · {per_second:,.0f} docs/s" if per_second >= 10 else f" · {per_second:.1f} docs/s"
        if done < total:
            text += f" · {duration((total - done) / per_second)} left"
        return text
