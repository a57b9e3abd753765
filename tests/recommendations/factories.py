"""factory_boy factories for the tracker, writing through the services' rules where a
rule exists (the recommendation's natural sort key)."""

import datetime as dt

import factory

from recommendations import models
from recommendations.choices import Decision, DeliveryStatus
from recommendations.services import recommendation_sort_key


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Committee
        django_get_or_create = ["council", "name"]

    council = "Demoshire County Council"
    name = factory.Sequence(lambda n: f"Children's Scrutiny Panel {n}")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Review

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Review of social worker retention {n}")
    report_date = dt.date(2023, 1, 10)
    monitoring_months = [6, 12]


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Recommendation

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    sort_key = factory.LazyAttribute(lambda o: recommendation_sort_key(o.number))
    text = "Complete exit interviews with all social workers leaving, including agency."


class ExecutiveResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ExecutiveResponse

    recommendation = factory.SubFactory(RecommendationFactory)
    decision = Decision.ACCEPTED
    response_text = "This is already current practice."
    response_date = dt.date(2023, 1, 20)
    decision_body = "Executive Cabinet 8 February 2023"
    officer_responsible = "Assistant Director, People and Workforce Development"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    update_date = dt.date(2023, 6, 1)
    text = "Exit interviews offered to every leaver since March."
    status = DeliveryStatus.IN_PROGRESS
