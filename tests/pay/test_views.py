"""The pay pages as HR, directors and councillors see them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from pay import services
from pay.choices import IncentiveKind
from pay.models import IncentiveInstalment, IncentivePayment, IncentiveScheme, WorkerPoint
from tests.factories import employ

pytestmark = pytest.mark.django_db


@pytest.fixture
def retention():
    scheme = IncentiveScheme.objects.create(
        name="Retention payment", kind=IncentiveKind.RETENTION_PAYMENT, amount=Decimal("3000"),
        start_date=dt.date(2023, 1, 1), clawback_months=6,
    )  # fmt: skip
    IncentiveInstalment.objects.create(scheme=scheme, months_after=12, share=Decimal(1) / 3)
    return scheme


def test_hr_sees_the_month_due_and_records_a_payment(client_as, retention):
    employment = employ(start=dt.date(2023, 3, 15))
    client = client_as(Role.HR_OFFICER)
    page = client.get(reverse("pay:due-list"), {"month": "2024-03"}).content.decode()
    assert "Incentive payments due in March 2024" in page
    assert str(employment.person) in page and "£1,000.00" in page
    response = client.post(
        reverse("pay:payment-record"),
        {
            "scheme": retention.pk,
            "employment": employment.pk,
            "due_date": "2024-03-15",
            "amount": "1000.00",
            "paid_on": "2024-03-28",
        },  # fmt: skip
        follow=True,
    )
    assert "Payment recorded" in response.content.decode()
    assert "on 28 Mar 2024" in response.content.decode()
    assert IncentivePayment.objects.get().amount == Decimal("1000")


def test_a_payment_that_is_not_due_is_refused_with_a_message(client_as, retention):
    employment = employ(start=dt.date(2023, 3, 15))
    client = client_as(Role.HR_OFFICER)
    response = client.post(
        reverse("pay:payment-record"),
        {
            "scheme": retention.pk,
            "employment": employment.pk,
            "due_date": "2024-03-16",
            "amount": "1000.00",
            "paid_on": "2024-03-28",
        },  # fmt: skip
        follow=True,
    )
    assert "No Retention payment payment is due" in response.content.decode()
    assert not IncentivePayment.objects.exists()


def test_hr_confirms_an_increment(client_as, spine, level3):
    employment = employ(start=dt.date(2021, 6, 1), grade=level3)
    services.worker_point_set(employment=employment, effective_from=dt.date(2021, 6, 1), scp=29)
    client = client_as(Role.HR_OFFICER)
    page = client.get(reverse("pay:increment-list"), {"on": "2024-04-01"}).content.decode()
    assert "SCP 29 to 30" in page
    response = client.post(
        reverse("pay:increment-confirm"),
        {"employment": employment.pk, "date": "2024-04-01"},
        follow=True,
    )
    assert "moves to SCP 30" in response.content.decode()
    assert WorkerPoint.objects.filter(employment=employment, scp=30).exists()


def test_the_leaving_page_shows_the_clawback(client_as, retention):
    employment = employ(start=dt.date(2023, 3, 15), end=dt.date(2024, 5, 1))
    page = client_as(Role.HR_OFFICER).get(
        reverse("workforce:leaver-create", kwargs={"pk": employment.pk})
    )
    text = page.content.decode()
    assert "Incentives to repay" in text
    assert "£1,000.00" in text and "not recorded as paid" in text


def _pointed_workers(level3, count):
    for _ in range(count):
        employment = employ(start=dt.date(2021, 6, 1), grade=level3)
        services.worker_point_set(employment=employment, effective_from=dt.date(2021, 6, 1), scp=29)


def test_directors_see_averages_councillors_never_of_fewer_than_five(
    client_as, spine, level3, oncosts
):
    _pointed_workers(level3, 3)
    query = {"start": "2024-04-01", "end": "2025-03-31"}
    director = client_as(Role.DIRECTOR).get(reverse("pay:costs"), query).content.decode()
    assert "£38,626.00" in director  # the average (all on SCP 29 in 2024/25)
    assert "Permanent pay bill with on-costs" in director
    assert "£151,277.36" in director  # 3 x 50,425.79 (unrounded sum)
    assert "Agency spend and premium by DfE role category</h2>" in director
    by_team = client_as(Role.DIRECTOR).get(reverse("pay:costs"), {**query, "agency_by": "team"})
    assert "Agency spend and premium by team</h2>" in by_team.content.decode()
    member = client_as(Role.SCRUTINY_MEMBER).get(reverse("pay:costs"), query).content.decode()
    assert "£38,626.00" not in member
    assert "fewer than 5" in member
    assert "£151,277.36" in member  # totals are shown


def test_councillors_see_the_average_of_five_or_more(client_as, spine, level3):
    _pointed_workers(level3, 5)
    query = {"start": "2024-04-01", "end": "2025-03-31"}
    member = client_as(Role.LEAD_MEMBER).get(reverse("pay:costs"), query).content.decode()
    assert "£38,626.00" in member


def test_a_wrong_period_is_a_plain_message(client_as):
    page = client_as(Role.DIRECTOR).get(
        reverse("pay:costs"), {"start": "2024-04-01", "end": "2023-01-01", "scope": "team:Nope"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "The end date must be on or after the start date." in text
    assert "There is no team called" in text
