"""What an update of the index did."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    reason: str = ""  # why a rebuild happened
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, message)
    busy: bool = False  # another process holds the write lock; nothing was written
    resumed: int = 0  # documents an interrupted full build had committed, kept by this one

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged in {self.seconds:.2f} s"
        )
        if self.skipped:
            text += f" ({len(self.skipped)} skipped)"
        return text
