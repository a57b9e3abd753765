"""Starting an agency worker on the HR pages leads to the placement form for that start
(workforce.followups, answered by agency.followups), and the person page says when an
agency employment's placement details are missing."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from agency import services
from agency.models import AgencyPlacement
from core.roles import Role
from tests.agency.conftest import placement_fields
from tests.factories import AgencyFactory, GradeFactory, TeamFactory, employ
from workforce.choices import OrgRole

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=14)


def text(response, xpath: str) -> str:
    nodes = lxml.html.fromstring(response.content.decode()).xpath(xpath)
    return " ".join(" ".join(n.text_content().split()) for n in nodes)


def starter(team, agency, **overrides) -> dict:
    data = {
        "swe_number": "SW771234",
        "first_name": "Rowan",
        "last_name": "Blake",
        "date_of_birth": "1986-02-11",
        "gender": "2",
        "ethnicity": "WBRI",
        "qualification_route": "university",
        "qualification_level": "2",
        "contract_type": "agency",
        "agency": str(agency.pk),
        "team": str(team.pk),
        "grade": str(GradeFactory(name="Advanced practitioner", default_org_role=3).pk),
        "org_role": str(OrgRole.SENIOR_PRACTITIONER),
        "fte": "1",
        "start_date": START.isoformat(),
    }
    data.update(overrides)
    return data


def test_an_agency_start_leads_to_the_placement_form_filled_in_from_it(client_as, caps):
    team, agency = TeamFactory(name="Family Safeguarding East"), AgencyFactory(name="Reed")
    hr = client_as(Role.HR_OFFICER)
    response = hr.post(reverse("workforce:starter-create"), starter(team, agency))
    assert response.status_code == 302
    employment = AgencyPlacement._meta.get_field("employment").related_model.objects.get()
    assert (
        response["Location"] == f"{reverse('agency:placement-create')}?employment={employment.pk}"
    )

    form_page = hr.get(response["Location"])
    assert "The placement details are needed for the DfE agency rules" in text(
        form_page, '//*[@id="placement-needed"]'
    )
    initial = form_page.context["form"].initial
    assert initial["swe_number"] == "SW771234"
    assert initial["start_date"] == START
    assert initial["team"] == team.pk
    assert initial["agency"] == agency.pk
    # An advanced practitioner grade suggests the advanced practitioner category.
    assert initial["role_category"] == "advanced_practitioner"

    # Saving it (the rules' warnings first, as for any placement) ends on the worker's page,
    # where nothing is missing any more.
    data = {
        "swe_number": "SW771234", "agency": str(agency.pk), "team": str(team.pk),
        "role_category": "advanced_practitioner", "pay_rate": "44.00", "charge_rate": "55.00",
        "hours_per_week": "37", "start_date": START.isoformat(), "notice_weeks": "4",
        "reference_obtained_on": (START - dt.timedelta(days=7)).isoformat(),
        "declared_la_months": "12",
    }  # fmt: skip
    warned = hr.post(response["Location"], data)
    assert warned.status_code == 200
    assert "<strong>PQE</strong>" in warned.content.decode()
    assert not AgencyPlacement.objects.exists()
    saved = hr.post(response["Location"], {**data, "confirmed": "PQE"})
    person_url = reverse("workforce:person-detail", args=[employment.person_id])
    assert saved["Location"] == person_url
    placement = AgencyPlacement.objects.get()
    assert placement.employment == employment
    assert placement.person == employment.person
    assert "Placement details missing" not in hr.get(person_url).content.decode()


def test_a_permanent_start_goes_to_the_person_page_as_before(client_as):
    team = TeamFactory()
    hr = client_as(Role.HR_OFFICER)
    data = starter(team, AgencyFactory(), contract_type="permanent", start_origin="1")
    response = hr.post(reverse("workforce:starter-create"), {**data, "agency": ""})
    assert response.status_code == 302
    person = AgencyPlacement._meta.get_field("person").related_model.objects.get()
    assert response["Location"] == reverse("workforce:person-detail", args=[person.pk])


def test_the_person_page_says_an_agency_employment_has_no_placement(client_as, caps):
    employment = employ(agency=True, start=START)
    url = reverse("workforce:person-detail", args=[employment.person_id])
    hr = client_as(Role.HR_OFFICER)
    notice = text(hr.get(url), '//*[@data-testid="follow-up"]')
    assert "Placement details missing" in notice
    assert "Record the placement details" in notice
    # A director reads the notice but is not offered the form (only HR records placements).
    director = client_as(Role.DIRECTOR)
    notice = text(director.get(url), '//*[@data-testid="follow-up"]')
    assert "Placement details missing" in notice
    assert "Record the placement details" not in notice

    services.placement_save(
        **placement_fields(
            swe_number=employment.person.swe_number, start_date=START, agency=employment.agency
        )
    )
    assert "Placement details missing" not in hr.get(url).content.decode()


def test_a_permanent_employment_has_no_placement_notice(client_as):
    employment = employ(start=START)
    hr = client_as(Role.HR_OFFICER)
    page = hr.get(reverse("workforce:person-detail", args=[employment.person_id]))
    assert "Placement details missing" not in page.content.decode()


def test_the_form_ignores_an_employment_that_is_not_an_agency_start(client_as, caps):
    employment = employ(start=START)
    hr = client_as(Role.HR_OFFICER)
    page = hr.get(reverse("agency:placement-create"), {"employment": employment.pk})
    assert page.status_code == 200
    assert 'id="placement-needed"' not in page.content.decode()
    assert "swe_number" not in page.context["form"].initial
    assert hr.get(reverse("agency:placement-create"), {"employment": "x"}).status_code == 200
