"""The agency register's answer to ``workforce.followups``: an agency employment whose
placement details (rates, role category, the DfE rules' facts) are not recorded yet.

Registered by ``AgencyConfig.ready``. Starting an agency worker on the HR pages then
leads to the placement form for that employment, and the person page says "Placement
details missing" until they are recorded.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from core.roles import has_role
from workforce.choices import ContractType
from workforce.followups import FollowUp

from .models import AgencyPlacement

NOTICE = "Placement details missing"
DETAIL = (
    "The DfE agency rules need this agency worker's placement details: role category, "
    "hourly pay and charge rates, hours, notice, references and experience. Until they are "
    "recorded the placement is not checked against the rules and the quarterly return "
    "cannot be produced."
)


def placement_recorded(employment) -> bool:
    """Whether the register holds the placement of this agency employment: linked to it,
    or recorded by SWE number for a placement active on the day it started."""
    start = employment.start_date
    return AgencyPlacement.objects.filter(
        Q(employment=employment)
        | Q(
            employment__isnull=True,
            swe_number=employment.person.swe_number,
            start_date__lte=start,
        )
        & (Q(end_date__isnull=True) | Q(end_date__gt=start))
    ).exists()


def placement_form_url(employment) -> str:
    """The placement form filled in from this employment."""
    return f"{reverse('agency:placement-create')}?{urlencode({'employment': employment.pk})}"


def placement_follow_up(employment, *, user=None) -> FollowUp | None:
    """ "Placement details missing" for an agency employment without a placement; the link
    to record it only for those who may (HR officers and admins)."""
    from .views import AGENCY_WRITERS

    if employment.contract_type != ContractType.AGENCY or placement_recorded(employment):
        return None
    can_record = user is None or has_role(user, AGENCY_WRITERS)
    return FollowUp(
        notice=NOTICE,
        detail=DETAIL,
        url=placement_form_url(employment) if can_record else "",
        link_text="Record the placement details" if can_record else "",
    )
