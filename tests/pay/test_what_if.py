"""The what-ifs of the Pay and costs page: converting agency FTE to permanent and a
supplement to a group, on hand-made cases, and who may use them.

Spine 2024/25: SCP 29 £38,626, SCP 34 £43,693. On-costs from April 2022: 13.8% NI above
£9,100, 20% pension. Level 3 (``level3``): SCP 29-34; agency social workers compare with
its top (SCP 34).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from agency.models import AgencyPlacement
from core.roles import Role
from pay import services, what_if
from pay.models import AgencyEquivalentGrade
from tests.factories import GradeFactory, TeamFactory, employ
from workforce.models import Agency

pytestmark = pytest.mark.django_db
D = dt.date
WHAT_IF = reverse("pay:what-if")


def text(response, xpath: str) -> str:
    nodes = lxml.html.fromstring(response.content.decode()).xpath(xpath)
    return " ".join(" ".join(n.text_content().split()) for n in nodes)


# --- arithmetic ------------------------------------------------------------------------


def test_conversion_saving_is_n_times_the_difference_per_fte():
    assert what_if.conversion_saving(
        fte=Decimal(3), agency_per_fte=Decimal(100000), permanent_per_fte=Decimal(57000)
    ) == Decimal(129000)
    # Dearer permanent than agency: a negative saving (a cost), not hidden.
    assert what_if.conversion_saving(
        fte=Decimal("0.5"), agency_per_fte=Decimal(50000), permanent_per_fte=Decimal(60000)
    ) == Decimal(-5000)
    assert what_if.per_fte_year(Decimal(1000), Decimal("0.25")) == Decimal(4000)


def test_supplement_cost_is_amount_times_units_plus_on_costs():
    # 5,000 x 2 FTE x (1 + 13.8% + 20%) = 13,380
    assert what_if.supplement_cost(
        amount=Decimal(5000), units=Decimal(2), ni_rate=Decimal("13.8"), pension_rate=Decimal(20)
    ) == Decimal(13380)
    assert what_if.supplement_cost(
        amount=Decimal(1000), units=Decimal(3), ni_rate=Decimal(0), pension_rate=Decimal(0)
    ) == Decimal(3000)


# --- hand-made councils ----------------------------------------------------------------


@pytest.fixture
def world(spine, level3, oncosts):
    """Family Safeguarding: two permanent Level 3 workers (1 and 0.5 FTE); Children in
    Care: one on another grade. Two agency social workers in Family Safeguarding, each
    37 hours at £52 an hour, through 2024/25 (1 April 2024 to 31 March 2025)."""
    AgencyEquivalentGrade.objects.create(role_category="social_worker", grade=level3)
    fs, cic = TeamFactory(name="Family Safeguarding"), TeamFactory(name="Children in Care")
    other = GradeFactory(name="Advanced practitioner")
    for team, grade, fte in ((fs, level3, "1"), (fs, level3, "0.5"), (cic, other, "1")):
        employment = employ(team=team, start=D(2021, 6, 1), grade=grade, fte=fte)
        services.worker_point_set(employment=employment, effective_from=D(2021, 6, 1), scp=29)
    firm = Agency.objects.create(name="Locum Partners")
    for n in (1, 2):
        AgencyPlacement.objects.create(
            agency=firm, team=fs, swe_number=f"SW90000{n}", role_category="social_worker",
            pay_rate=Decimal("40.00"), charge_rate=Decimal("52.00"),
            hours_per_week=Decimal("37"), start_date=D(2024, 4, 1), end_date=D(2025, 4, 1),
            notice_weeks=4, declared_la_months=36,
        )  # fmt: skip
    return {"fs": fs, "cic": cic, "level3": level3}


YEAR = {"start": D(2024, 4, 1), "end": D(2025, 3, 31)}
#: 37 x £52 x 365 / 7 a year; SCP 34 + 13.8% NI above £9,100 + 20% pension.
AGENCY_PER_FTE = Decimal(37) * 52 * 365 / 7
PERMANENT_PER_FTE = Decimal(43693) + (Decimal(43693) - 9100) * Decimal("0.138") + Decimal(43693) / 5


def test_converting_one_agency_fte_saves_the_difference_of_the_yearly_costs(world):
    conversion = what_if.agency_conversion(fte=Decimal(1), **YEAR)
    assert conversion.placements == 2
    assert round(conversion.agency_fte, 6) == 2
    assert round(conversion.agency_per_fte, 2) == round(AGENCY_PER_FTE, 2) == Decimal("100322.86")
    assert round(conversion.permanent_per_fte, 2) == Decimal("57205.43")
    assert round(conversion.yearly_saving, 2) == Decimal("43117.42")


def test_converting_more_than_the_agency_fte_is_refused(world):
    with pytest.raises(what_if.WhatIfProblem, match="no more than 2.0 FTE"):
        what_if.agency_conversion(fte=Decimal("2.5"), **YEAR)
    with pytest.raises(what_if.WhatIfProblem, match="No agency placement"):
        what_if.agency_conversion(fte=Decimal(1), start=D(2023, 1, 1), end=D(2023, 12, 31))


def test_a_supplement_to_a_team_and_grade_counts_fte_or_heads(world):
    by_fte = what_if.supplement_group(
        amount=Decimal(5000), on=D(2025, 3, 31), team=world["fs"], grade=world["level3"]
    )
    assert (by_fte.workers, by_fte.fte) == (2, Decimal("1.5"))
    assert by_fte.yearly_cost == Decimal(5000) * Decimal("1.5") * Decimal("1.338")  # £10,035
    by_head = what_if.supplement_group(
        amount=Decimal(5000), on=D(2025, 3, 31), per="head", team=world["fs"]
    )
    assert by_head.yearly_cost == Decimal(5000) * 2 * Decimal("1.338")  # £13,380
    everyone = what_if.supplement_group(amount=Decimal(1000), on=D(2025, 3, 31))
    assert (everyone.workers, everyone.fte) == (3, Decimal("2.5"))
    with pytest.raises(what_if.WhatIfProblem, match="No permanent worker"):
        what_if.supplement_group(amount=Decimal(1000), on=D(2025, 3, 31), team=world["cic"],
                                 grade=world["level3"])  # fmt: skip


# --- the page --------------------------------------------------------------------------


def test_a_director_works_out_both_what_ifs_with_the_assumptions_in_words(client_as, world):
    query = {
        "start": "2024-04-01", "end": "2025-03-31", "scope": "all", "convert_fte": "1",
        "supplement": "5000", "per": "fte", "team": world["fs"].pk,
    }  # fmt: skip
    page = client_as(Role.DIRECTOR).get(WHAT_IF, query)
    assert page.status_code == 200
    assert "saves £43,117.42 a year" in text(page, '//*[@data-testid="conversion"]')
    assumptions = text(page, '//*[@data-testid="conversion-assumptions"]')
    assert "£100,322.86 a year" in assumptions and "£57,205.43 a year" in assumptions
    assert "2 agency placements" in assumptions
    assert "costs £10,035.00 a year" in text(page, '//*[@data-testid="supplement"]')
    assumptions = text(page, '//*[@data-testid="supplement-assumptions"]')
    assert "2 permanent workers (1.5 FTE)" in assumptions
    assert "National Insurance at 13.8% and pension at 20%" in assumptions


def test_every_problem_is_reported_beside_its_field(client_as, world):
    hr = client_as(Role.HR_OFFICER)
    page = hr.get(WHAT_IF, {"convert_fte": "lots", "supplement": "-5", "team": "999999"})
    summary = text(page, '//*[contains(@class, "govuk-error-summary")]')
    assert "Enter the agency FTE as a number" in summary
    assert "Enter a supplement of at least £1." in summary
    assert "Choose a team from the list." in summary
    nothing = hr.get(WHAT_IF, {"start": "2024-04-01"})
    assert "Enter the agency FTE to convert, or a supplement to pay, or both." in text(
        nothing, '//*[contains(@class, "govuk-error-summary")]'
    )
    too_many = hr.get(WHAT_IF, {"start": "2024-04-01", "end": "2025-03-31", "convert_fte": "9"})
    assert "Enter no more than 2.0 FTE" in text(
        too_many, '//*[contains(@class, "govuk-error-summary")]'
    )


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.LEAD_MEMBER, Role.SERVICE_MANAGER])
def test_councillors_and_managers_get_no_what_if(client_as, world, role):
    client = client_as(role)
    assert client.get(WHAT_IF, {"supplement": "5000"}).status_code == 403
    costs = client.get(reverse("pay:costs")).content.decode()
    assert 'id="what-if-form"' not in costs


def test_the_costs_page_offers_the_what_if_to_directors(client_as, world):
    page = client_as(Role.DIRECTOR).get(reverse("pay:costs"), YEAR_QUERY)
    assert 'id="what-if-form"' in page.content.decode()
    rows = text(page, '//*[@data-testid="agency-breakdown"]//tbody')
    assert "Social worker 2" in rows


YEAR_QUERY = {"start": "2024-04-01", "end": "2025-03-31"}


def test_councillors_see_no_premium_of_fewer_than_five_placements(client_as, world):
    member = client_as(Role.SCRUTINY_MEMBER).get(reverse("pay:costs"), YEAR_QUERY)
    body = member.content.decode()
    premium_row = text(member, '//dt[text()="Agency premium"]/following-sibling::dd')
    assert premium_row.startswith("fewer than 5")
    assert "£43,117" not in body
    rows = text(member, '//*[@data-testid="agency-breakdown"]//tbody')
    assert "fewer than 5" in rows and "hidden" in rows
    director = client_as(Role.DIRECTOR).get(reverse("pay:costs"), YEAR_QUERY)
    premium_row = text(director, '//dt[text()="Agency premium"]/following-sibling::dd')
    assert premium_row.startswith("£86,234.85")  # 2 x 43,117.42...
