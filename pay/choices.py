"""Code sets of the pay app."""

from django.db import models


class IncentiveKind(models.TextChoices):
    MARKET_SUPPLEMENT = "market_supplement", "Market supplement"
    RECRUITMENT_BONUS = "recruitment_bonus", "Recruitment bonus (golden hello)"
    RETENTION_PAYMENT = "retention_payment", "Retention payment"
    RELOCATION = "relocation", "Relocation payment"
    CAR_ALLOWANCE = "car_allowance", "Car allowance"
    PERFORMANCE_REWARD = "performance_reward", "Performance-related reward"
    REGIONAL_WEIGHTING = "regional_weighting", "London or regional weighting"
    REGISTRATION_FEES = "registration_fees", "Registration and DBS fees paid"


#: Paid monthly (1/12 of the yearly amount x FTE) while the worker qualifies.
RECURRING_KINDS = frozenset(
    {
        IncentiveKind.MARKET_SUPPLEMENT,
        IncentiveKind.CAR_ALLOWANCE,
        IncentiveKind.REGIONAL_WEIGHTING,
        IncentiveKind.REGISTRATION_FEES,
    }
)
#: Paid in instalments counted from the worker's start (or the scheme's start, for
#: retention payments to workers already in post).
SCHEDULED_KINDS = frozenset(
    {
        IncentiveKind.RECRUITMENT_BONUS,
        IncentiveKind.RETENTION_PAYMENT,
        IncentiveKind.RELOCATION,
        IncentiveKind.PERFORMANCE_REWARD,
    }
)

#: The census's council-level pay items (``workforce.census.items.COUNCIL_PAY_ITEMS``,
#: 2025 on) each kind of scheme declares. A market supplement is none of DfE's items.
CENSUS_PAY_ITEM = {
    IncentiveKind.RECRUITMENT_BONUS: "RecruitmentBonus",
    IncentiveKind.RETENTION_PAYMENT: "RetentionPayment",
    IncentiveKind.RELOCATION: "RelocationPayment",
    IncentiveKind.PERFORMANCE_REWARD: "PerformanceReward",
    IncentiveKind.CAR_ALLOWANCE: "CarAllowance",
    IncentiveKind.REGIONAL_WEIGHTING: "RegionalWeighting",
    IncentiveKind.REGISTRATION_FEES: "RegistrationFeesPaid",
}


class PointChangeReason(models.TextChoices):
    START = "start", "Start or first recorded"
    INCREMENT = "increment", "Annual increment"
    REGRADE = "regrade", "Regrade or promotion"
    CORRECTION = "correction", "Correction"


class BenchmarkRole(models.TextChoices):
    """The roles councils compare pay for (Tameside's Greater Manchester tables, seed 004:
    ASYE, experienced/senior social worker, team manager)."""

    ASYE = "asye", "Newly qualified social worker (ASYE)"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_SOCIAL_WORKER = "senior_social_worker", "Experienced or senior social worker"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"


class GradePoint(models.TextChoices):
    """Which spinal point of a grade stands for it when costing an equivalent permanent
    worker (the middle of an even range is the lower of its two middle points)."""

    BOTTOM = "bottom", "Bottom of the grade"
    MID = "mid", "Middle of the grade"
    TOP = "top", "Top of the grade"
