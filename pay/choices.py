"""Code sets of the pay app."""

from django.db import models


class IncentiveKind(models.TextChoices):
    MARKET_SUPPLEMENT = "market_supplement", "Market supplement"
    RECRUITMENT_BONUS = "recruitment_bonus", "Recruitment bonus (golden hello)"
    RETENTION_PAYMENT = "retention_payment", "Retention payment"
    RELOCATION = "relocation", "Relocation payment"
    CAR_ALLOWANCE = "car_allowance", "Car allowance"


#: Paid monthly (1/12 of the yearly amount x FTE) while the worker qualifies.
RECURRING_KINDS = frozenset({IncentiveKind.MARKET_SUPPLEMENT, IncentiveKind.CAR_ALLOWANCE})
#: Paid in instalments counted from the worker's start (or the scheme's start, for
#: retention payments to workers already in post).
SCHEDULED_KINDS = frozenset(
    {IncentiveKind.RECRUITMENT_BONUS, IncentiveKind.RETENTION_PAYMENT, IncentiveKind.RELOCATION}
)


class PointChangeReason(models.TextChoices):
    START = "start", "Start or first recorded"
    INCREMENT = "increment", "Annual increment"
    REGRADE = "regrade", "Regrade or promotion"
    CORRECTION = "correction", "Correction"


class GradePoint(models.TextChoices):
    """Which spinal point of a grade stands for it when costing an equivalent permanent
    worker (the middle of an even range is the lower of its two middle points)."""

    BOTTOM = "bottom", "Bottom of the grade"
    MID = "mid", "Middle of the grade"
    TOP = "top", "Top of the grade"
