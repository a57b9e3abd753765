"""Permission-matrix entries for the agency pages (agency/urls.py; see tests/access.py).

Placements name workers by SWE number and pay: HR officers, directors and admins read
them, the compliance page and the quarterly return; HR officers and admins record and
change them. Service managers and councillors get 403.
"""

import datetime as dt
from decimal import Decimal

from agency.views import AGENCY_READERS, AGENCY_WRITERS
from tests.access import Access


def build_world(world):
    from agency import services

    world.agency_placement = services.placement_save(
        agency=world.agency,
        swe_number=world.person.swe_number,
        role_category="social_worker",
        pay_rate=Decimal("38.00"),
        charge_rate=Decimal("50.00"),
        hours_per_week=Decimal("37"),
        start_date=dt.date(2024, 11, 4),
        notice_weeks=4,
        declared_la_months=12,
        team=world.team,
    )


EXPECTED = {
    "agency:placement-list": Access(AGENCY_READERS, query="?role_category=social_worker"),
    "agency:placement-create": Access(AGENCY_WRITERS),
    "agency:placement-edit": Access(
        AGENCY_WRITERS, kwargs=lambda world: {"pk": world.agency_placement.pk}
    ),
    "agency:compliance": Access(AGENCY_READERS, query="?as_of=2025-01-06&rule=PQE"),
    "agency:return": Access(AGENCY_READERS),
    "agency:costs": Access(AGENCY_READERS, query="?start=2024-11-01&end=2025-01-31&by=team"),
}
