"""What other apps still need recorded about an employment, asked through one seam.

Starting an agency worker is not finished until the agency register has the placement
details the DfE agency rules need (``agency``). ``workforce`` must not import the apps
built on it, so it states the question here and they answer it: an app registers a
provider when it starts (``AgencyConfig.ready`` registers
``agency.selectors.placement_follow_up``), in the style of ``workforce.census.figures``.
The starter form sends HR on to the first follow-up after saving, and the person page
shows every follow-up still open as a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FollowUp:
    """Something still to record about an employment.

    ``notice``: what the person page says (for example "Placement details missing");
    ``detail``: why it matters, in plain words; ``url``: where the user records it, or
    ``""`` when their role cannot; ``link_text``: the words of that link."""

    notice: str
    detail: str
    url: str = ""
    link_text: str = ""


#: ``provider(employment, user) -> FollowUp | None``
Provider = Callable[..., "FollowUp | None"]

_providers: list[Provider] = []


def register_follow_up(provider: Provider) -> None:
    """Add a provider (once; registering it again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def follow_ups(employment, *, user=None) -> list[FollowUp]:
    """The follow-ups every registered app has for ``employment``, as ``user`` sees them
    (no app installed: none)."""
    found = []
    for provider in _providers:
        follow_up = provider(employment, user=user)
        if follow_up is not None:
            found.append(follow_up)
    return found
