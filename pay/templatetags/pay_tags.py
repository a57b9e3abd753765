"""``{% leaver_clawback employment %}``: what a leaver repays of their incentives, for the
workforce leaving page (a template include, so workforce code does not import pay)."""

from django import template
from django.utils import timezone

from pay import selectors

register = template.Library()


@register.inclusion_tag("pay/_leaver_clawback.html")
def leaver_clawback(employment):
    if employment is None or employment.is_agency:
        return {"clawback": None}
    leaving = employment.end_date or timezone.localdate()
    return {
        "clawback": selectors.clawback_for(employment=employment, leaving_date=leaving),
        "has_left": employment.end_date is not None,
    }
