"""The DfE agency rules on hand-made facts, at their boundaries (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from agency import rules
from agency.rules import Cap, Leaving, PlacementFacts

D = dt.date
START = D(2025, 4, 7)

COMPLIANT = PlacementFacts(
    start_date=START,
    end_date=None,
    pay_rate=Decimal("40.00"),
    notice_weeks=4,
    reference_obtained_on=D(2025, 3, 20),
    reference_given_on=None,
    is_project_team=False,
    project_worker_approved=False,
    project_costs_broken_down=False,
    known_la_months=24,
    declared_la_months=12,
    cap=Cap(region="South East", hourly_cap=Decimal("40.00"), effective_from=D(2024, 10, 31)),
)


def codes(facts, **kwargs):
    return [b.rule for b in rules.check_all(facts, as_of=kwargs.pop("as_of", START), **kwargs)]


def test_a_compliant_placement_breaks_nothing():
    assert codes(COMPLIANT) == []


def test_pqe_exactly_36_months_is_enough_35_is_not():
    assert codes(replace(COMPLIANT, known_la_months=30, declared_la_months=6)) == []
    breach = rules.check_pqe(replace(COMPLIANT, known_la_months=30, declared_la_months=5))
    assert breach.rule == "PQE"
    assert "35 months" in breach.message
    assert breach.evidence == {"known_months": 30, "declared_months": 5}


def test_whole_months_counts_calendar_months_and_adds_up():
    assert rules.whole_months(D(2020, 1, 6), D(2023, 1, 6)) == 36
    assert rules.whole_months(D(2020, 1, 6), D(2023, 1, 5)) == 35
    assert rules.whole_months(D(2024, 1, 31), D(2024, 2, 29)) == 1  # month-end clamps


def test_cooling_off_exactly_3_months_after_leaving_is_allowed_a_day_less_is_not():
    left = Leaving(D(2025, 1, 7), "this council")
    assert codes(replace(COMPLIANT, leavings=(left,))) == []  # 7 Jan + 3 months = 7 Apr
    breach = rules.check_cooling_off(replace(COMPLIANT, leavings=(left,), start_date=D(2025, 4, 6)))
    assert breach.rule == "COOLING_OFF"
    assert "7 April 2025" in breach.message
    assert breach.evidence["source"] == "this council"


def test_cooling_off_ignores_exempt_leavings_and_later_ones():
    recent = Leaving(D(2025, 3, 1), "LA 123, from the regional file", exempt=True)
    after = Leaving(D(2025, 5, 1), "this council")
    assert rules.check_cooling_off(replace(COMPLIANT, leavings=(recent, after))) is None


def test_cap_equal_to_the_penny_is_within_a_penny_more_is_a_breach():
    assert rules.check_cap(COMPLIANT) is None
    breach = rules.check_cap(replace(COMPLIANT, pay_rate=Decimal("40.01")))
    assert breach.rule == "CAP"
    assert "£40.01" in breach.message and "£40.00" in breach.message


def test_cap_compares_pay_plus_what_the_cap_includes():
    cap = Cap("South East", Decimal("40.00"), D(2024, 10, 31), on_cost_percent=Decimal("15"))
    facts = replace(COMPLIANT, cap=cap, pay_rate=Decimal("34.78"))  # 39.997 -> 40.00
    assert rules.capped_rate(facts.pay_rate, cap) == Decimal("40.00")
    assert rules.check_cap(facts) is None
    assert rules.check_cap(replace(facts, pay_rate=Decimal("34.79"))) is not None  # 40.0085


def test_cap_needs_both_sign_offs_one_is_not_enough():
    over = replace(COMPLIANT, pay_rate=Decimal("45"))
    only_dcs = rules.check_cap(replace(over, sign_offs=frozenset({"dcs"})))
    assert only_dcs is not None and "chief executive" in only_dcs.message
    assert "Director" not in only_dcs.message
    only_ce = rules.check_cap(replace(over, sign_offs=frozenset({"chief_executive"})))
    assert only_ce is not None and "Director of Children's Services" in only_ce.message
    assert rules.check_cap(replace(over, sign_offs=frozenset({"dcs", "chief_executive"}))) is None
    assert rules.over_cap(over)


def test_no_cap_recorded_is_not_a_breach():
    assert rules.check_cap(replace(COMPLIANT, cap=None, pay_rate=Decimal("99"))) is None


def test_notice_4_weeks_allowed_5_not_and_a_shorter_permanent_notice_wins():
    assert rules.check_notice(COMPLIANT, rules.Settings()) is None
    assert rules.check_notice(replace(COMPLIANT, notice_weeks=5), rules.Settings()).rule == "NOTICE"
    shorter = rules.Settings(permanent_notice_weeks=2)
    breach = rules.check_notice(replace(COMPLIANT, notice_weeks=3), shorter)
    assert breach is not None and "2 weeks" in breach.message


def test_reference_must_be_obtained_on_or_before_the_start():
    assert (
        rules.check_reference(
            replace(COMPLIANT, reference_obtained_on=START), rules.Settings(), START
        )
        is None
    )
    late = rules.check_reference(
        replace(COMPLIANT, reference_obtained_on=D(2025, 4, 8)), rules.Settings(), START
    )
    assert late is not None and "after the start" in late.message
    missing = rules.check_reference(
        replace(COMPLIANT, reference_obtained_on=None), rules.Settings(), START
    )
    assert "No practice-based reference" in missing.message


def test_reference_at_the_end_is_due_within_the_councils_period():
    ended = replace(COMPLIANT, end_date=D(2025, 6, 30))
    within = rules.Settings(reference_given_within_days=28)
    assert rules.check_reference(ended, within, D(2025, 7, 28)) is None  # due 28 July
    overdue = rules.check_reference(ended, within, D(2025, 7, 29))
    assert overdue is not None and "has not been given" in overdue.message
    given_late = replace(ended, reference_given_on=D(2025, 7, 29))
    assert rules.check_reference(given_late, within, D(2025, 9, 1)) is not None
    given = replace(ended, reference_given_on=D(2025, 7, 28))
    assert rules.check_reference(given, within, D(2025, 9, 1)) is None


def test_project_team_needs_approval_and_costs_per_worker():
    project = replace(COMPLIANT, is_project_team=True, project_worker_approved=True)
    breach = rules.check_project_team(project)
    assert breach.rule == "PROJECT_TEAM" and "costs are not broken down" in breach.message
    assert rules.check_project_team(replace(project, project_costs_broken_down=True)) is None


def test_check_all_lists_every_broken_rule_in_order():
    bad = replace(
        COMPLIANT,
        known_la_months=0,
        declared_la_months=0,
        leavings=(Leaving(D(2025, 3, 1), "this council"),),
        pay_rate=Decimal("50"),
        notice_weeks=8,
        reference_obtained_on=None,
        is_project_team=True,
    )
    assert codes(bad) == ["PQE", "COOLING_OFF", "CAP", "NOTICE", "REFERENCE", "PROJECT_TEAM"]
