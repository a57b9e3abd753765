"""Audit trail actor for API writes.

django-auditlog's middleware records who made a change from ``request.user`` as Django
sees it *before* DRF authenticates, so a change made with ``Authorization: Token ...``
would be logged with no actor. API writes run inside ``audited_as(user)``, which puts
the DRF-authenticated user in the audit context for the duration of the service call
(and restores it afterwards, rather than nesting auditlog's own ``set_actor``, which
would leave a signal receiver connected per request).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from auditlog.context import auditlog_value, set_actor


@contextlib.contextmanager
def audited_as(user) -> Iterator[None]:
    try:
        current = auditlog_value.get()
    except LookupError:  # no middleware around us (a shell, a task): start a context
        with set_actor(user):
            yield
        return
    token = auditlog_value.set({**current, "actor": user})
    try:
        yield
    finally:
        auditlog_value.reset(token)
