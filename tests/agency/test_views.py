"""The agency pages and API as HR officers and directors use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from agency import returns, services
from agency.models import AgencyPlacement, CapSignOff
from core.roles import Role
from tests.agency.conftest import placement_fields
from tests.factories import TeamFactory
from workforce.models import Agency

pytestmark = pytest.mark.django_db

D = dt.date


def form_data(**overrides) -> dict:
    data = {
        "swe_number": "SW900001",
        "agency": "",
        "new_agency": "Brand New Locums",
        "team": "",
        "role_category": "social_worker",
        "pay_rate": "40.00",
        "charge_rate": "52.00",
        "hours_per_week": "37",
        "start_date": "2025-01-06",
        "end_date": "",
        "notice_weeks": "4",
        "reference_obtained_on": "2024-12-20",
        "reference_given_on": "",
        "declared_la_months": "36",
    }
    data.update(overrides)
    return data


def test_a_compliant_placement_is_saved_at_once(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    response = client.post(reverse("agency:placement-create"), form_data())
    assert response.status_code == 302
    placement = AgencyPlacement.objects.get()
    assert placement.agency.name == "Brand New Locums"


def test_the_form_warns_of_every_broken_rule_before_saving_then_saves_on_confirm(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    data = form_data(notice_weeks="8", declared_la_months="12", reference_obtained_on="")
    response = client.post(reverse("agency:placement-create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This placement breaks 3 DfE agency rules" in page
    for code in ("PQE", "NOTICE", "REFERENCE"):
        assert f"<strong>{code}</strong>" in page
    assert not AgencyPlacement.objects.exists()
    assert not Agency.objects.exists()  # nothing saved, not even the new agency
    assert response.context["form"].data["confirmed"] == "NOTICE,PQE,REFERENCE"
    response = client.post(
        reverse("agency:placement-create"), {**data, "confirmed": "NOTICE,PQE,REFERENCE"}
    )
    assert response.status_code == 302
    assert AgencyPlacement.objects.get().notice_weeks == 8


def test_a_new_breach_after_the_warning_is_warned_of_again(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    data = form_data(notice_weeks="8", confirmed="NOTICE", declared_la_months="1")
    response = client.post(reverse("agency:placement-create"), data)
    assert response.status_code == 200
    assert "<strong>PQE</strong>" in response.content.decode()
    assert not AgencyPlacement.objects.exists()


def test_a_cap_breach_is_saved_only_with_both_sign_offs(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    data = form_data(pay_rate="41.50", confirmed="CAP")
    response = client.post(
        reverse("agency:placement-create"),
        {**data, "dcs_signed_by": "Dee Director", "dcs_signed_on": "2025-01-02", "dcs_reason": "x"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "record the sign-offs of both" in page
    assert not AgencyPlacement.objects.exists()
    response = client.post(
        reverse("agency:placement-create"),
        {
            **data,
            "dcs_signed_by": "Dee Director",
            "dcs_signed_on": "2025-01-02",
            "dcs_reason": "Court deadline",
            "chief_executive_signed_by": "Cee Exec",
            "chief_executive_signed_on": "2025-01-03",
            "chief_executive_reason": "Agreed",
        },
    )
    assert response.status_code == 302
    assert CapSignOff.objects.filter(placement__swe_number="SW900001").count() == 2
    assert CapSignOff.objects.get(role="dcs").recorded_by == client.user


def test_edit_changes_a_placement(client_as, caps, agency_firm):
    placement = services.placement_save(agency=agency_firm, **placement_fields())
    client = client_as(Role.HR_OFFICER)
    url = reverse("agency:placement-edit", kwargs={"pk": placement.pk})
    assert 'value="SW900001"' in client.get(url).content.decode()
    data = form_data(
        agency=str(agency_firm.pk),
        new_agency="",
        end_date="2025-06-30",
        reference_given_on="2025-07-01",
    )
    assert client.post(url, data).status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == D(2025, 6, 30)
    assert AgencyPlacement.objects.count() == 1


def test_compliance_page_filters_by_rule_team_and_agency(client_as, caps, agency_firm):
    team = TeamFactory(name="Assessment East")
    services.placement_save(agency=agency_firm, team=team, **placement_fields(notice_weeks=6))
    other = Agency.objects.create(name="Other Agency")
    services.placement_save(agency=other, **placement_fields(swe_number="SW900002"))
    client = client_as(Role.DIRECTOR)
    url = reverse("agency:compliance")
    page = client.get(url, {"as_of": "2025-02-03"}).content.decode()
    assert "SW900001" in page and "SW900002" in page
    assert "2 placements active on 3 February 2025" in page
    page = client.get(url, {"as_of": "2025-02-03", "rule": "NOTICE"}).content.decode()
    assert "SW900001" in page and "SW900002" not in page
    page = client.get(url, {"as_of": "2025-02-03", "agency": other.pk}).content.decode()
    assert "SW900001" not in page and "SW900002" in page
    page = client.get(url, {"as_of": "2025-02-03", "team": team.pk}).content.decode()
    assert "SW900001" in page and "SW900002" not in page
    page = client.get(url, {"as_of": "2024-12-01"}).content.decode()
    assert "SW900001" not in page  # not started yet
    assert "Edit" not in page  # directors read


def test_compliance_page_reports_a_bad_date_plainly(client_as, caps):
    response = client_as(Role.HR_OFFICER).get(reverse("agency:compliance"), {"as_of": "soon"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_return_download_for_directors_and_problems_listed(client_as, caps, agency_firm):
    services.placement_save(agency=agency_firm, **placement_fields())
    client = client_as(Role.DIRECTOR)
    response = client.get(reverse("agency:return"), {"quarter": "2025Q1"})
    assert response["Content-Type"] == "text/csv"
    assert 'filename="agency-return-2025Q1.csv"' in response["Content-Disposition"]
    data = returns.read_return(response.content.decode())
    assert [row["SWENo"] for row in data["placements"]] == ["SW900001"]
    services.placement_save(
        agency=agency_firm, **placement_fields(swe_number="SW900002", charge_rate=None)
    )
    response = client.get(reverse("agency:return"), {"quarter": "2025Q1"})
    assert response["Content-Type"].startswith("text/html")
    assert "SW900002: no hourly charge rate" in response.content.decode()
    response = client.get(reverse("agency:return"), {"quarter": "first"})
    assert "for example 2025Q1" in response.content.decode()


def test_api_lists_with_the_shared_filters_and_records_placements(client_as, caps, agency_firm):
    services.placement_save(agency=agency_firm, **placement_fields(notice_weeks=6))
    client = client_as(Role.HR_OFFICER)
    url = reverse("agency-api:placement-list")
    body = client.get(url, {"as_of": "2025-02-03", "rule": "NOTICE"}).json()
    assert body["count"] == 1
    assert body["results"][0]["breaches"][0]["rule"] == "NOTICE"
    assert client.get(url, {"rule": "CAP"}).json()["count"] == 0
    payload = {
        "swe_number": "sw900002",
        "agency": "API Agency",
        "role_category": "team_manager",
        "pay_rate": "60.00",
        "hours_per_week": "37",
        "start_date": "2025-01-06",
        "notice_weeks": 4,
        "reference_obtained_on": "2025-01-01",
        "declared_la_months": 40,
    }
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert "record the sign-offs of both" in response.json()["pay_rate"][0]
    assert not Agency.objects.filter(name="API Agency").exists()
    signed = {"signed_by": "D", "signed_on": "2025-01-02", "reason": "Cover"}
    payload["sign_offs"] = {"dcs": signed, "chief_executive": signed}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["swe_number"] == "SW900002"
    assert response.json()["breaches"] == []
    assert len(response.json()["sign_offs"]) == 2


def test_api_refuses_writes_to_directors(client_as, caps):
    response = client_as(Role.DIRECTOR).post(
        reverse("agency-api:placement-list"), {}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.HR_OFFICER, True), (Role.DIRECTOR, True), (Role.SERVICE_MANAGER, False)],
)
def test_the_service_navigation_links_to_agency_for_hr_and_directors(client_as, role, shown):
    page = client_as(role).get(reverse("home"), follow=True).content.decode()
    assert (f'href="{reverse("agency:placement-list")}"' in page) is shown


def test_costs_page_by_month_team_and_role(client_as, caps, agency_firm):
    team = TeamFactory(name="Assessment East")
    services.placement_save(agency=agency_firm, team=team, **placement_fields())
    client = client_as(Role.DIRECTOR)
    url = reverse("agency:costs")
    page = client.get(url, {"start": "2025-01-01", "end": "2025-02-28", "by": "month"})
    text = page.content.decode()
    # January 6-31: 26 days; February: 28 days; 37 h x £52 a week.
    assert (
        "2025-01" in text and "&pound;7,146" in text
    )  # 37 x 52 x 26 / 7 = 7146.29, shown to the pound
    by_team = client.get(url, {"start": "2025-01-01", "end": "2025-02-28", "by": "team"})
    assert "Assessment East" in by_team.content.decode()
    by_role = client.get(url, {"start": "2025-01-01", "end": "2025-02-28", "by": "role"})
    assert "Social worker" in by_role.content.decode()
    wrong = client.get(url, {"start": "2025-03-01", "end": "2025-02-28", "by": "month"})
    assert "The end date must be on or after the start date" in wrong.content.decode()


def test_agency_workers_without_details_are_listed_and_the_form_is_filled_in(client_as, caps):
    from tests.factories import GradeFactory, PersonFactory, employ
    from workforce.choices import OrgRole

    grade = GradeFactory(name="Advanced practitioner", default_org_role=OrgRole.SENIOR_PRACTITIONER)
    team = TeamFactory(name="Court Team")
    person = PersonFactory(swe_number="SW333444")
    employment = employ(
        person=person,
        team=team,
        start=timezone_today() - dt.timedelta(days=10),
        agency=True,
        org_role=OrgRole.SENIOR_PRACTITIONER,
        grade=grade,
    )
    client = client_as(Role.HR_OFFICER)
    page = client.get(reverse("agency:placement-list")).content.decode()
    assert "1 agency worker in post has no placement details yet" in page
    assert f"?employment={employment.pk}" in page
    form = client.get(reverse("agency:placement-create"), {"swe": "SW333444"}).context["form"]
    assert form.initial["swe_number"] == "SW333444"
    url = reverse("agency:placement-create")
    form = client.get(url, {"employment": employment.pk}).context["form"]
    assert form.initial["swe_number"] == "SW333444"
    assert form.initial["role_category"] == "advanced_practitioner"  # from the grade
    assert form.initial["team"] == team.pk


def test_cap_sign_offs_are_audited(caps, agency_firm):
    from auditlog.models import LogEntry

    signed = {"signed_by": "A. Director", "signed_on": D(2025, 1, 2), "reason": "Cover"}
    placement = services.placement_save(
        agency=agency_firm,
        sign_offs={"dcs": signed, "chief_executive": signed},
        **placement_fields(pay_rate=Decimal("45")),
    )
    entries = LogEntry.objects.filter(content_type__model="capsignoff")
    assert entries.count() == 2
    assert "A. Director" in str(entries.first().changes)
    assert LogEntry.objects.filter(content_type__model="agencyplacement", object_pk=placement.pk)


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_compliance_counts_by_rule_cover_every_page(client_as, caps, agency_firm, monkeypatch):
    from agency import views

    for n in range(3):
        services.placement_save(
            agency=agency_firm, **placement_fields(swe_number=f"SW91000{n}", notice_weeks=6)
        )
    monkeypatch.setattr(views.ComplianceView, "paginate_by", 2)
    response = client_as(Role.DIRECTOR).get(reverse("agency:compliance"), {"as_of": "2025-02-03"})
    counts = {code: n for _, code, n in response.context["rule_counts"]}
    assert counts["NOTICE"] == 3
    assert len(response.context["rows"]) == 2
