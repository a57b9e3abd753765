"""The protocol of the permission matrix (tests/test_permission_matrix.py).

Each app declares, in ``tests/<app>/permissions*.py``, a dict ``EXPECTED`` mapping every
URL name it owns (``"workforce:person-detail"``, API names included) to an ``Access``:
which roles get ``ok_status`` on GET; every other role gets 403; anonymous users are sent
to the sign-in page (pages) or get 401/403 (API). A URL whose view accepts POST is also
POSTed with an empty body by everyone: ``post_roles`` (``roles`` unless given) get an
answer that is not a refusal (a form with its errors, a redirect, a 400 naming the
problems), everyone else 403, and nobody ever a 500. It may also define
``build_world(world)`` to add the sample objects its URLs need to the shared ``World``.

A URL pattern of the project with no entry fails the matrix, so a new page cannot forget
its permission check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from core.roles import Role

World = SimpleNamespace  # sample objects shared by all apps' entries (world.team, world.person...)


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    kwargs: Callable[[World], dict] | None = None
    ok_status: int = 200
    query: str = ""  # e.g. "?as_of=2023-09-30"
    api: bool = False
    public: bool = False  # anyone, even signed out or with no role, gets ok_status (sign-in)
    any_signed_in: bool = False  # any signed-in user, even with no role (change password)
    #: Who may POST (write), when not the same as who may GET (``roles``).
    post_roles: frozenset[Role] | None = None
    #: Anyone may POST, signed in or not (the API's token endpoint takes credentials).
    post_public: bool = False
    notes: str = field(default="", compare=False)
