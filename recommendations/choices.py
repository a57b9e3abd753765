"""The code sets of the recommendations tracker: executive decisions, delivery status,
RAG, themes and what kind of paper a review is."""

from django.db import models


class Decision(models.TextChoices):
    """The executive's answer to a recommendation, as papers print it. Empty means the
    response does not say (Surrey's Cabinet response answers each recommendation in
    prose without accepting or rejecting it)."""

    ACCEPTED = "accepted", "Accepted"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    REJECTED = "rejected", "Rejected"
    NOTED = "noted", "Noted"


class DeliveryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    NOT_DELIVERED = "not_delivered", "Not delivered"
    SUPERSEDED = "superseded", "Superseded"


#: Statuses after which no further monitoring updates are asked for.
CLOSED_STATUSES = frozenset(
    {DeliveryStatus.DELIVERED, DeliveryStatus.NOT_DELIVERED, DeliveryStatus.SUPERSEDED}
)
#: Decisions after which there is nothing to deliver, so nothing to monitor.
UNMONITORED_DECISIONS = frozenset({Decision.REJECTED, Decision.NOTED})


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Theme(models.TextChoices):
    RECRUITMENT = "recruitment", "Recruitment"
    RETENTION = "retention", "Retention"
    PAY_AND_REWARD = "pay_and_reward", "Pay and reward"
    CULTURE_AND_WELLBEING = "culture_and_wellbeing", "Culture and wellbeing"
    WORKLOAD = "workload", "Workload"
    MANAGEMENT = "management", "Management and supervision"
    LEARNING_AND_DEVELOPMENT = "learning_and_development", "Learning and development"
    WORKING_ENVIRONMENT = "working_environment", "Working environment"
    DATA_AND_REPORTING = "data_and_reporting", "Data and reporting"
    GOVERNANCE = "governance", "Governance and scrutiny"


class ReviewKind(models.TextChoices):
    SCRUTINY_REVIEW = "scrutiny_review", "Scrutiny review with recommendations"
    MINUTES = "minutes", "Committee minutes with recommendations"
    UPDATE_FOR_NOTING = "update_for_noting", "Update report for noting"
