"""Pay pages under /pay/ (namespace ``pay``).

Who sees what:

- HR officers and admins (``PAY_OFFICERS``): incentive payments due in a month (named
  workers, amounts) and recording them as paid; increments due on the increment date and
  confirming them.
- HR officers, directors and admins (``WHAT_IF_ROLES``): the what-ifs - converting
  agency FTE to permanent, a supplement to a group (``pay.what_if``).
- Everyone with a role: the Pay and costs page - totals and averages only, never one
  person's pay. Scrutiny and lead members, and service managers limited to their teams,
  get small-number suppression: no average over fewer than 5 people.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.roles import ALL_ROLES, Role, RoleRequiredMixin, has_role, is_team_limited

from . import presenters, selectors, services, what_if
from .arithmetic import add_months, month_end
from .forms import CostsFilterForm, IncrementConfirmForm, MonthForm, PaymentForm, WhatIfForm

#: Named workers' incentives and increments.
PAY_OFFICERS = frozenset({Role.HR_OFFICER, Role.ADMIN})
UNSUPPRESSED_READERS = frozenset({Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN})
#: The what-ifs (costs of converting agency staff, supplements to a group): directors, HR
#: and admins. Councillors see the page's totals and averages only.
WHAT_IF_ROLES = frozenset({Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN})


def _form_problems(request, form) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, error if field == "__all__" else f"{field}: {error}")


class DueListView(RoleRequiredMixin, TemplateView):
    """Incentive payments falling due in a month (default: this month), paid or not."""

    allowed_roles = PAY_OFFICERS
    template_name = "pay/due_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MonthForm(self.request.GET)
        first = form.cleaned_data.get("month") if form.is_valid() else None
        first = first or timezone.localdate().replace(day=1)
        last = month_end(first)
        dues = selectors.incentive_dues(
            start=first, end=last,
            employments=selectors.permanent_employments(start=add_months(first, -60), end=last),
        )  # fmt: skip
        context.update(
            form=form, month=first, dues=dues, today=timezone.localdate(),
            previous=add_months(first, -1), next=add_months(first, 1),
            unpaid_total=sum(d.amount for d in dues if d.paid is None),
        )  # fmt: skip
        return context


class PaymentRecordView(RoleRequiredMixin, View):
    """POST: record a due payment as paid, then back to the month's list."""

    allowed_roles = PAY_OFFICERS

    def post(self, request):
        form = PaymentForm(request.POST)
        month = ""
        if form.is_valid():
            data = form.cleaned_data
            month = f"{data['due_date']:%Y-%m}"
            try:
                services.incentive_payment_record(
                    scheme=data["scheme"], employment=data["employment"],
                    due_date=data["due_date"], amount=data["amount"], paid_on=data["paid_on"],
                    user=request.user,
                )  # fmt: skip
                messages.success(request, f"Payment recorded for {data['employment'].person}.")
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
        else:
            _form_problems(request, form)
        url = reverse("pay:due-list")
        return HttpResponseRedirect(f"{url}?month={month}" if month else url)


class IncrementListView(RoleRequiredMixin, TemplateView):
    """Annual increments due on the council's next increment date, for HR to confirm."""

    allowed_roles = PAY_OFFICERS
    template_name = "pay/increment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = selectors.increment_date_on_or_after(timezone.localdate())
        with contextlib.suppress(ValueError):  # no date or a wrong one: the next one
            on = dt.date.fromisoformat(self.request.GET.get("on", ""))
        context.update(on=on, increments=selectors.increments_due(on=on))
        return context


class IncrementConfirmView(RoleRequiredMixin, View):
    """POST: confirm one worker's increment (a new dated spinal point)."""

    allowed_roles = PAY_OFFICERS

    def post(self, request):
        form = IncrementConfirmForm(request.POST)
        url = reverse("pay:increment-list")
        if not form.is_valid():
            _form_problems(request, form)
            return HttpResponseRedirect(url)
        data = form.cleaned_data
        try:
            point = services.increment_confirm(
                employment=data["employment"], date=data["date"], user=request.user
            )
            messages.success(
                request, f"{data['employment'].person} moves to SCP {point.scp} on {data['date']}."
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(f"{url}?on={data['date']}")


class CostsView(RoleRequiredMixin, TemplateView):
    """Pay and costs: the period's pay bill, incentives and agency costs, and average
    salaries by DfE role on the period's last day."""

    allowed_roles = ALL_ROLES
    template_name = "pay/costs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CostsFilterForm(self.request.GET or None)
        today = timezone.localdate()
        start, end, scope = add_months(today, -12) + dt.timedelta(days=1), today, None
        if form.is_bound and form.is_valid():
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
            scope = form.cleaned_data["scope"]
        user = self.request.user
        suppressed = not has_role(user, UNSUPPRESSED_READERS) or is_team_limited(user)
        if form.is_bound and not form.is_valid():
            context.update(form=form, suppressed=suppressed)
            return context
        figures = selectors.costs(start=start, end=end, scope=scope)
        context.update(agency_breakdown(self.request, start=start, end=end, scope=scope,
                                        suppressed=suppressed))  # fmt: skip
        if has_role(user, WHAT_IF_ROLES):
            context["what_if_form"] = WhatIfForm(
                initial={"start": start, "end": end, "scope": str(scope or "all"), "per": "fte"}
            )
        context.update(
            form=form, start=start, end=end, suppressed=suppressed,
            scope_label=scope.label if scope else "Whole service",
            headline=presenters.headline(figures, suppressed=suppressed),
            role_rows=presenters.average_salary_rows(
                selectors.pay_on(on=end, scope=scope), suppressed=suppressed
            ),
            workers=figures["permanent_workers"],
            without_point=figures["workers_without_point"],
        )  # fmt: skip
        return context


class WhatIfView(RoleRequiredMixin, TemplateView):
    """What converting N agency FTE to permanent saves, and what a supplement of £X to a
    group costs, a year (``pay.what_if``), with the assumptions in words."""

    allowed_roles = WHAT_IF_ROLES
    template_name = "pay/what_if.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = WhatIfForm(self.request.GET or None, initial={"per": "fte"})
        context["form"] = form
        if not form.is_bound or not form.is_valid():
            return context
        data = form.cleaned_data
        today = timezone.localdate()
        start = data["start"] or add_months(today, -12) + dt.timedelta(days=1)
        end = data["end"] or today
        scope = data["scope"]
        context.update(start=start, end=end, scope_label=scope.label)
        if data["convert_fte"] is not None:
            try:
                context["conversion"] = what_if.agency_conversion(
                    fte=data["convert_fte"], start=start, end=end, scope=scope
                )
            except what_if.WhatIfProblem as exc:
                form.add_error("convert_fte", str(exc))
        if data["supplement"] is not None:
            try:
                context["supplement"] = what_if.supplement_group(
                    amount=data["supplement"], on=end, per=data["per"] or "fte",
                    team=data["team"], org_role=data["org_role"], grade=data["grade"],
                )  # fmt: skip
            except what_if.WhatIfProblem as exc:
                form.add_error("supplement", str(exc))
        return context


def agency_breakdown(request, *, start, end, scope, suppressed: bool) -> dict:
    """The Pay and costs page's agency spend and premium by role category, team or month
    (``?agency_by=``; role category unless a known one is asked for)."""
    from .costing import agency_premium

    by = request.GET.get("agency_by", "role")
    by = by if by in presenters.AGENCY_BY else "role"
    _total, lines = agency_premium(start=start, end=end, scope=scope, by=by)
    query = request.GET.copy()
    links = []
    for key, label in presenters.AGENCY_BY.items():
        query["agency_by"] = key
        links.append((key, label, query.urlencode()))
    return {
        "agency_by": by,
        "agency_by_label": presenters.AGENCY_BY[by],
        "agency_by_text": presenters.AGENCY_BY_IN_TEXT[by],
        "agency_by_links": links,
        "agency_rows": presenters.agency_rows(lines, suppressed=suppressed),
    }
