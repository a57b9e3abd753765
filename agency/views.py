"""The agency register's pages.

Who sees what: HR officers and admins record and change placements and sign-offs;
directors read every placement, the compliance page and the quarterly return; other
roles get 403 (placements name people by SWE number and pay). Views are thin: a form
checks the input, ``agency.selectors.placement_check`` warns of every broken rule before
anything is saved (a confirm step), one service writes.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from core.roles import Role, RoleRequiredMixin, has_role
from workforce.choices import ContractType
from workforce.forms import add_service_errors
from workforce.models import Employment, Person
from workforce.selectors import assignment_on, current_assignment

from . import returns, selectors, services
from .choices import Rule, role_category_for
from .filters import PlacementFilterSet
from .followups import placement_recorded
from .forms import PlacementForm, QuarterForm, SpendForm
from .models import AgencyPlacement

#: Named placements, pay, compliance and the quarterly return.
AGENCY_READERS = frozenset({Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN})
#: Record and change placements and their sign-offs.
AGENCY_WRITERS = frozenset({Role.HR_OFFICER, Role.ADMIN})


class PlacementListMixin(RoleRequiredMixin):
    allowed_roles = AGENCY_READERS
    paginate_by = 50
    default_as_of = False

    def get_queryset(self):
        data = self.request.GET.copy()
        if self.default_as_of and not data.get("as_of"):
            data["as_of"] = timezone.localdate().isoformat()
        self.filterset = PlacementFilterSet(data, queryset=selectors.placements_all())
        if not self.filterset.is_valid():
            return AgencyPlacement.objects.none()
        return self.filterset.qs.order_by("-start_date", "swe_number")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = self.filterset.as_of_date()
        context["as_of"] = as_of
        context["rows"] = selectors.placement_rows(context["object_list"], as_of=as_of)
        context["filter_form"] = self.filterset.form
        context["can_edit"] = has_role(self.request.user, AGENCY_WRITERS)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class PlacementListView(PlacementListMixin, ListView):
    """Every placement recorded, newest first, with the rules each breaks today; and the
    agency workers in post whose placement details are still to be recorded."""

    template_name = "agency/placement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing"] = selectors.agency_employments_without_placement(
            as_of=timezone.localdate()
        )
        return context


class CostsView(RoleRequiredMixin, TemplateView):
    """Agency spend (hours x charge rate) over a period by month, team or role category."""

    allowed_roles = AGENCY_READERS
    template_name = "agency/costs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SpendForm(self.request.GET or None)
        context["form"] = form
        if form.is_bound and not form.is_valid():
            return context
        start, end, by = form.period() if form.is_bound else SpendForm.default_period()
        rows = returns.spend_by(start=start, end=end, by=by)
        context.update(
            rows=rows,
            total=sum((value for _, value in rows), Decimal("0")),
            start=start,
            end=end,
            by_label=dict(SpendForm.BY_CHOICES)[by],
        )
        return context


class ComplianceView(PlacementListMixin, ListView):
    """Placements active on a date with their breaches, by rule, team and agency."""

    template_name = "agency/compliance.html"
    default_as_of = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict.fromkeys(Rule.values, 0)
        # Every placement the filters select, not only this page's.
        everything = self.object_list if self.filterset.is_valid() else []
        for found in selectors.placement_breaches(everything, as_of=context["as_of"]).values():
            for breach in found:
                counts[breach.rule] += 1
        context["rule_counts"] = [(Rule(code).label, code, n) for code, n in counts.items()]
        return context


class PlacementFormView(RoleRequiredMixin, FormView):
    """Record or change a placement: warn of every rule it breaks, then save on confirm."""

    allowed_roles = AGENCY_WRITERS
    template_name = "agency/placement_form.html"
    form_class = PlacementForm

    placement: AgencyPlacement | None = None

    @cached_property
    def from_employment(self) -> Employment | None:
        """The agency start this placement is recorded for (``?employment=<id>``, the
        starter journey), if it is one without a placement yet."""
        if self.placement is not None:
            return None
        pk = self.request.GET.get("employment", "")
        if not pk.isdigit():
            return None
        employment = (
            Employment.objects.filter(pk=int(pk), contract_type=ContractType.AGENCY)
            .select_related("person", "agency")
            .first()
        )
        if employment is None or placement_recorded(employment):
            return None
        return employment

    def initial_from_employment(self, employment: Employment) -> dict:
        """What the workforce records already say: the worker, their SWE number, the
        agency, the start date, the team and the role category suggested from their DfE
        role and grade on the start date."""
        initial = {
            "swe_number": employment.person.swe_number,
            "start_date": employment.start_date,
            "agency": employment.agency_id,
        }
        if employment.end_date:
            initial["end_date"] = employment.end_date
        assignment = assignment_on(employment=employment, date=employment.start_date)
        if assignment is not None:
            initial["team"] = assignment.team_id
            initial["role_category"] = role_category_for(
                assignment.org_role, assignment.grade.name if assignment.grade else ""
            )
        return initial

    def get_initial(self):
        initial = {"notice_weeks": 4, "declared_la_months": 0}
        if self.from_employment is not None:
            return {**initial, **self.initial_from_employment(self.from_employment)}
        swe = self.request.GET.get("swe", "").strip().upper()
        person = Person.objects.filter(swe_number=swe).first() if swe else None
        if person is not None:
            initial["swe_number"] = person.swe_number
            employment = (
                person.employments.filter(contract_type="agency").order_by("-start_date").first()
            )
            if employment is not None:
                assignment = current_assignment(employment=employment)
                initial.update(start_date=employment.start_date, agency=employment.agency_id)
                if assignment is not None:
                    initial["team"] = assignment.team_id
                    initial["role_category"] = role_category_for(
                        assignment.org_role, assignment.grade.name if assignment.grade else ""
                    )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["placement"] = self.placement
        context["from_employment"] = self.from_employment
        context["warnings"] = getattr(self, "warnings", None)
        if self.placement is not None:
            context["sign_offs"] = list(self.placement.cap_sign_offs.all())
        return context

    def form_valid(self, form):
        fields = form.placement_fields()
        sign_offs = form.sign_offs()
        existing = (
            set(self.placement.cap_sign_offs.values_list("role", flat=True))
            if self.placement
            else set()
        )
        candidate = AgencyPlacement(
            **{**fields, "swe_number": fields["swe_number"].strip().upper()}
        )
        breaches, _ = selectors.placement_check(
            candidate, sign_off_roles=existing | set(sign_offs), as_of=timezone.localdate()
        )
        codes = {b.rule for b in breaches}
        if codes and not codes <= form.confirmed_rules():
            self.warnings = breaches
            data = form.data.copy()
            data["confirmed"] = ",".join(sorted(codes))
            form.data = data
            return self.render_to_response(self.get_context_data(form=form))
        try:
            with transaction.atomic():
                placement = services.placement_save(
                    placement=self.placement,
                    sign_offs=sign_offs,
                    recorded_by=self.request.user,
                    employment=self.from_employment,
                    **form.save_agency(fields),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            self.warnings = breaches
            return self.form_invalid(form)
        what = "recorded" if self.placement is None else "changed"
        note = f" It breaks {len(codes)} rule{'s' if len(codes) != 1 else ''}." if codes else ""
        messages.success(self.request, f"Placement of {placement.swe_number} {what}.{note}")
        if self.from_employment is not None and placement.person_id:
            # The starter journey ends on the worker's page, where the notice is now gone.
            return HttpResponseRedirect(
                reverse("workforce:person-detail", kwargs={"pk": placement.person_id})
            )
        return HttpResponseRedirect(reverse("agency:placement-list"))


class PlacementCreateView(PlacementFormView):
    """Record a placement (``?swe=SW123456`` fills it in from the worker's agency start)."""


class PlacementEditView(PlacementFormView):
    """Change a placement, or record the sign-offs of its rate above the cap."""

    @cached_property
    def _placement(self) -> AgencyPlacement:
        return get_object_or_404(selectors.placements_all(), pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        self.placement = self._placement
        return super().get_form(form_class)

    def get_initial(self):
        p = self._placement
        initial = {
            field: getattr(p, field)
            for field in services.PLACEMENT_FIELDS
            if field not in ("agency", "team")
        }
        initial.update(agency=p.agency_id, team=p.team_id)
        for sign_off in p.cap_sign_offs.all():
            initial[f"{sign_off.role}_signed_by"] = sign_off.signed_by
            initial[f"{sign_off.role}_signed_on"] = sign_off.signed_on
            initial[f"{sign_off.role}_reason"] = sign_off.reason
        return initial


class ReturnView(RoleRequiredMixin, TemplateView):
    """The DfE quarterly return: a CSV download once it passes its checks, else the problems."""

    allowed_roles = AGENCY_READERS
    template_name = "agency/return.html"

    def get(self, request, *args, **kwargs):
        form = QuarterForm(request.GET or None)
        context = {"form": form, "problems": []}
        if form.is_bound and form.is_valid():
            quarter = form.cleaned_data["quarter"]
            try:
                data = returns.agency_return(quarter=quarter)
            except returns.ReturnProblems as exc:
                context["problems"] = exc.messages
                context["quarter"] = quarter
            else:
                response = HttpResponse(returns.return_csv(data), content_type="text/csv")
                response["Content-Disposition"] = (
                    f'attachment; filename="agency-return-{quarter}.csv"'
                )
                return response
        return self.render_to_response(self.get_context_data(**context))
