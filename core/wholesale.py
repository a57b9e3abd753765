"""Saves that build a whole body of data at once (the demo council), for the receivers
that work out what each single save changed.

The KPI snapshots' change receivers (``dashboards.signals``) note, for every save, the
earliest date and the teams it can move, fetching the stored row first to compare an
edit's old dates with its new ones. A block that builds a council from nothing changes
every date and every team anyway: inside ``wholesale()`` those receivers skip the
per-save work and note the block as a change to everything, which is what the notes of
its saves added up to. The snapshots are marked stale on the commit and refreshed as after
any change. Used only by ``workforce.demo``; everywhere else each save is worked out on
its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_wholesale: ContextVar[bool] = ContextVar("wholesale", default=False)


@contextlib.contextmanager
def wholesale() -> Iterator[None]:
    """Within the block, saves are noted as changing everything (see the module)."""
    token = _wholesale.set(True)
    try:
        yield
    finally:
        _wholesale.reset(token)


def is_wholesale() -> bool:
    return _wholesale.get()
