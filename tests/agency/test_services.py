"""Recording placements: links to the worker's record, PQE from what the app knows, the
cooling-off from this council's leavers, and the cap's two sign-offs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agency import selectors, services
from agency.models import AgencyPlacement, CapSignOff
from tests.agency.conftest import placement_fields
from tests.factories import PersonFactory, TeamFactory, employ

pytestmark = pytest.mark.django_db

D = dt.date
SIGNED = {"signed_by": "A. Director", "signed_on": D(2025, 1, 2), "reason": "No one else"}


def rules_broken(placement, as_of=None):
    breaches = selectors.placement_breaches([placement], as_of=as_of or placement.start_date)
    return [b.rule for b in breaches[placement.pk]]


def test_region_comes_from_the_la_code_in_dfes_file_unless_the_admin_set_one(council):
    assert selectors.council_region() == "South East"  # 886 Kent, from data/dfe/
    council.region_name = "London"
    council.save()
    assert selectors.council_region() == "London"


def test_a_compliant_placement_is_saved_and_breaks_nothing(caps, agency_firm):
    placement = services.placement_save(agency=agency_firm, **placement_fields())
    assert rules_broken(placement) == []
    assert placement.person is None  # a worker the app does not know yet


def test_placement_joins_the_workers_record_and_agency_employment(caps, agency_firm):
    team = TeamFactory()
    person = PersonFactory(swe_number="SW900001")
    employment = employ(person=person, team=team, start=D(2025, 1, 6), agency=True)
    placement = services.placement_save(agency=agency_firm, **placement_fields())
    assert placement.person == person
    assert placement.employment == employment
    assert placement.team == team


def test_pqe_counts_months_employed_here_plus_declared_exactly_36(caps, agency_firm):
    person = PersonFactory(swe_number="SW900001")
    # ASYE and then permanent here: 6 Jan 2020 to 6 Jan 2022 = 24 months.
    employ(person=person, start=D(2020, 1, 6), end=D(2022, 1, 6), is_asye=True, reason=1)
    ok = services.placement_save(agency=agency_firm, **placement_fields(declared_la_months=12))
    assert rules_broken(ok) == []
    ok.declared_la_months = 11
    ok.save()
    assert rules_broken(ok) == ["PQE"]


def test_cooling_off_after_leaving_a_permanent_role_here(caps, agency_firm):
    person = PersonFactory(swe_number="SW900001")
    employ(person=person, start=D(2019, 1, 7), end=D(2024, 10, 6), reason=1)
    exactly = services.placement_save(
        agency=agency_firm, **placement_fields(start_date=D(2025, 1, 6))
    )
    assert rules_broken(exactly) == []  # 6 Oct + 3 months = 6 Jan: allowed
    exactly.start_date = D(2025, 1, 5)
    exactly.reference_obtained_on = D(2025, 1, 1)
    exactly.save()
    assert rules_broken(exactly) == ["COOLING_OFF"]


def test_redundancy_does_not_start_a_cooling_off(caps, agency_firm):
    person = PersonFactory(swe_number="SW900001")
    employ(person=person, start=D(2019, 1, 7), end=D(2024, 12, 1), reason=3)
    placement = services.placement_save(agency=agency_firm, **placement_fields())
    assert rules_broken(placement) == []


def test_above_the_cap_needs_both_sign_offs_to_be_saved(caps, agency_firm):
    fields = placement_fields(pay_rate=Decimal("40.01"))
    with pytest.raises(ValidationError) as only_one:
        services.placement_save(agency=agency_firm, sign_offs={"dcs": SIGNED}, **fields)
    assert "£40.01" in only_one.value.message_dict["pay_rate"][0]
    assert AgencyPlacement.objects.count() == 0
    placement = services.placement_save(
        agency=agency_firm,
        sign_offs={"dcs": SIGNED, "chief_executive": {**SIGNED, "signed_by": "C. Exec"}},
        **fields,
    )
    assert rules_broken(placement) == []
    assert sorted(CapSignOff.objects.values_list("role", "signed_by")) == [
        ("chief_executive", "C. Exec"),
        ("dcs", "A. Director"),
    ]


def test_a_sign_off_needs_who_when_and_why(caps, agency_firm):
    with pytest.raises(ValidationError) as exc:
        services.placement_save(
            agency=agency_firm,
            sign_offs={"dcs": {"signed_by": "", "signed_on": None, "reason": ""}},
            **placement_fields(),
        )
    assert set(exc.value.message_dict) == {"dcs_signed_by", "dcs_signed_on", "dcs_reason"}


def test_every_problem_with_a_placement_is_reported_at_once(caps, agency_firm):
    with pytest.raises(ValidationError) as exc:
        services.placement_save(
            agency=agency_firm,
            **placement_fields(
                swe_number="nope",
                end_date=D(2024, 1, 1),
                charge_rate=Decimal("10"),
                hours_per_week=Decimal("90"),
            ),
        )
    assert {"swe_number", "end_date", "charge_rate", "hours_per_week"} <= set(
        exc.value.message_dict
    )


def test_checking_many_placements_takes_the_same_queries_as_a_few(caps, agency_firm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.compliance(as_of=D(2025, 2, 3))
        return len(captured)

    services.placement_save(agency=agency_firm, **placement_fields())
    few = queries()
    for n in range(20):
        services.placement_save(
            agency=agency_firm, **placement_fields(swe_number=f"SW8100{n:02d}", notice_weeks=6)
        )
    assert queries() == few
