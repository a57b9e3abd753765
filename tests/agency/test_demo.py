"""The demo council's agency register: a realistic mix of breaches, and its quarterly
DfE return produced and read back."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.utils import timezone

from agency import returns, selectors
from agency.models import AgencyPlacement, CapSignOff
from workforce import demo as workforce_demo
from workforce.models import Employment

pytestmark = pytest.mark.django_db


def test_demo_council_has_placements_with_a_mix_of_breaches_and_its_return_reads_back():
    started = time.monotonic()
    lines = []
    workforce_demo.seed_demo(seed=11, years=2, scale=0.3, stdout=lines.append)
    print("\n".join(lines))
    seeded = time.monotonic() - started
    placements = AgencyPlacement.objects.count()
    assert placements >= 10
    # Every agency placement since the rules came in has its details.
    assert (
        Employment.objects.filter(contract_type="agency", agency_placement__isnull=True)
        .exclude(end_date__lte=workforce_demo.dt.date(2024, 10, 31))
        .count()
        == 0
    )
    today = timezone.localdate()
    breaches = Counter(
        b.rule
        for found in selectors.placement_breaches(
            AgencyPlacement.objects.all(), as_of=today
        ).values()
        for b in found
    )
    compliant = sum(
        1
        for found in selectors.placement_breaches(
            AgencyPlacement.objects.all(), as_of=today
        ).values()
        if not found
    )
    assert compliant > placements / 2, "most placements keep the rules"
    assert len(breaches) >= 3, f"a mix of rules broken: {breaches}"
    assert CapSignOff.objects.exists()

    quarter = returns.Quarter(today.year, (today.month - 1) // 3 + 1)
    quarter = returns.Quarter.parse(f"{quarter.year - 1}Q{quarter.number}")  # a full quarter
    text = returns.return_csv(returns.agency_return(quarter=quarter))
    data = returns.read_return(text)
    active = selectors.placements_active_between(start=quarter.start, end=quarter.end).count()
    assert len(data["placements"]) == active > 0
    assert [row["Month"] for row in data["monthly"]][:3] == [f"{m:%Y-%m}" for m in quarter.months()]
    assert all(row["SWENo"] for row in data["placements"])
    print(f"seed_demo (2 years, scale 0.3) with agency: {seeded:.1f} s")
