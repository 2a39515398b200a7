"""What the figures grids share: reading a typed figure, showing one, and saving edits together.

A figure is an int — whole persons or fen — or None for a blank (not reported) cell. Typed
text goes through `parse_count`/`parse_yuan`, so a grid accepts exactly what the rest of
mibdesk accepts (full-width digits and correct thousands separators included).

`EditBuffer` holds the cells typed into a grid until they are saved. Without `deferred` every
edit is saved at once. With it, the first edit of a batch calls `deferred()`, and the caller
runs `flush()` a moment later (the GUI: on the next turn of its event loop): a pasted block,
an undo or a cleared selection then reaches the service as ONE save, validated once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from mibdesk.core.errors import UserError
from mibdesk.core.money import parse_count, parse_yuan
from mibdesk.core.monthly import Cell
from mibdesk.core.table import Kind, format_value

T = TypeVar("T")

SaveCells = Callable[[Mapping[Cell, int | None]], T]
"""Store the edited cells (None = blank) and return what the grid shows next; raise
`UserError` to refuse them all (nothing stored)."""


def figure_kind(unit_kind: str) -> Kind:
    """The table kind of a report line's unit: "persons" → count, "fen" → fen."""
    return "count" if unit_kind == "persons" else "fen"


def parse_figure(unit_kind: str, text: str) -> int | None:
    """`text` typed for a line of `unit_kind`: an int, or None for an empty cell.

    Raises `ValidationError` (message for the user) when `text` is not a valid figure.
    """
    if not text.strip():
        return None
    return parse_count(text) if unit_kind == "persons" else parse_yuan(text)


def format_figure(unit_kind: str, value: int | None) -> str:
    """``12,345`` persons, ``1,234.56`` yuan; "" for a blank cell (0 shows as 0 / 0.00)."""
    return format_value(figure_kind(unit_kind), value)


class EditBuffer(Generic[T]):
    """Edits typed into a figures grid, saved through `save` and handed to `apply`."""

    def __init__(
        self,
        save: SaveCells[T],
        apply: Callable[[T], None],
        deferred: Callable[[], None] | None = None,
    ) -> None:
        self._save = save
        self._apply = apply
        self._deferred = deferred
        self._pending: dict[Cell, int | None] = {}

    @property
    def pending(self) -> Mapping[Cell, int | None]:
        return dict(self._pending)

    def shown(self, cell: Cell, stored: int | None) -> int | None:
        """What the cell shows: the edit waiting to be saved, else `stored`."""
        return self._pending.get(cell, stored)

    def put(self, cell: Cell, value: int | None) -> str | None:
        """Take one edit: saved at once (the refusal's message, or None), or kept for `flush`."""
        first = not self._pending
        self._pending[cell] = value
        if self._deferred is None:
            return self.flush()
        if first:
            self._deferred()
        return None

    def flush(self) -> str | None:
        """Save every waiting edit in one call; the refusal's message (nothing saved), or None."""
        edits, self._pending = self._pending, {}
        if not edits:
            return None
        try:
            result = self._save(edits)
        except UserError as error:
            return str(error)
        self._apply(result)
        return None

    def discard(self) -> None:
        """Forget the waiting edits (the table shows something else now)."""
        self._pending.clear()
