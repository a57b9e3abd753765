"""Recruitment pages: vacancies, adverts, applicants and their stages (one at a time or in
bulk on the pipeline board), the start that records the starter in the workforce,
induction check-ins due and overdue, pipelines, and the aggregate funnel.

Thin views: a form checks the input, one service writes (all or nothing), one selector
reads. Roles (``recruitment.roles``): HR officers and admins do everything; service
managers work on their own teams' vacancies (others are "not found"); directors read;
scrutiny and lead members see only the funnel page, with small numbers suppressed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from core import views as core_views
from core.forms import add_service_errors
from core.numbers import share
from core.roles import STAFF_READERS, RoleRequiredMixin, has_role, is_team_limited
from workforce.disclosure import Audience, disclose_grid, threshold
from workforce.selectors import people_visible_to, teams_visible_to

from . import selectors, services
from .choices import STAGE_ORDER, Check, Outcome, Route, Stage
from .filters import ApplicationFilterSet, CampaignFilterSet, VacancyFilterSet
from .forms import (
    ApplicationForm,
    BulkStageChangeForm,
    CampaignForm,
    CheckForm,
    CheckInForm,
    CohortForm,
    FunnelPeriodForm,
    StageChangeForm,
    StartForm,
    VacancyForm,
    VacancyUpdateForm,
)
from .models import Application, InductionCheckIn, PipelineCohort
from .roles import (
    APPLICANT_DATA_ERASERS,
    FUNNEL_READERS,
    RECRUITMENT_READERS,
    RECRUITMENT_WRITERS,
)


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class ServiceFormView(core_views.ServiceFormView):
    """A recruitment form: one service call, its errors beside the fields."""

    allowed_roles = RECRUITMENT_WRITERS
    template_name = "recruitment/form.html"


def _vacancy_url(vacancy) -> str:
    return reverse("recruitment:vacancy-detail", kwargs={"pk": vacancy.pk})


def _application_url(application) -> str:
    return reverse("recruitment:application-detail", kwargs={"pk": application.pk})


# --- Vacancies -------------------------------------------------------------------------


class VacancyListView(RoleRequiredMixin, ListView):
    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/vacancy_list.html"
    context_object_name = "vacancies"
    paginate_by = 25

    def get_queryset(self):
        from django.db.models import Count, Q

        self.filterset = VacancyFilterSet(
            self.request.GET or None,
            queryset=selectors.vacancies_visible_to(self.request.user).annotate(
                applications_count=Count("applications"),
                in_progress=Count("applications", filter=Q(applications__outcome="in_progress")),
            ),
        )
        self.filterset.form.fields["team"].queryset = teams_visible_to(self.request.user)
        return self.filterset.qs.order_by("-opened_on", "reference")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            filter_form=self.filterset.form,
            querystring=_querystring(self.request),
            today=today,
            summary=selectors.vacancy_summary(
                as_of=today, vacancies=selectors.vacancies_visible_to(self.request.user)
            ),
            can_write=has_role(self.request.user, RECRUITMENT_WRITERS),
        )
        return context


class VacancyCreateView(ServiceFormView):
    form_class = VacancyForm
    heading = "Open a vacancy"
    success_message = "Vacancy {obj.reference} opened."

    def get_form_kwargs(self):
        user = self.request.user
        people = people_visible_to(user) if is_team_limited(user) else None
        return {**super().get_form_kwargs(), "teams": teams_visible_to(user), "people": people}

    def get_initial(self):
        return {"opened_on": timezone.localdate(), "fte": 1}

    def save(self, form):
        return services.vacancy_open(**form.cleaned_data)

    def success_url_for(self, obj) -> str:
        return _vacancy_url(obj)


class VacancyDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/vacancy_detail.html"
    context_object_name = "vacancy"

    def get_queryset(self):
        return selectors.vacancies_visible_to(self.request.user).select_related(
            "leaver_employment__person", "agency_cover__person", "agency_cover__agency"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy = self.object
        context["applications"] = vacancy.applications.select_related("campaign").order_by(
            "outcome", "-applied_on"
        )
        context["campaigns"] = vacancy.campaigns.all()
        context["can_write"] = has_role(self.request.user, RECRUITMENT_WRITERS)
        return context


class VacancyUpdateView(ServiceFormView):
    form_class = VacancyUpdateForm
    heading = "Change vacancy"
    success_message = "Vacancy {obj.reference} updated."

    @cached_property
    def vacancy(self):
        return get_object_or_404(
            selectors.vacancies_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        user = self.request.user
        people = people_visible_to(user) if is_team_limited(user) else None
        return {**super().get_form_kwargs(), "vacancy": self.vacancy, "people": people}

    def get_initial(self):
        v = self.vacancy
        return {
            "version": v.version,
            "status": v.status,
            "date": v.closed_on,
            "agency_cover": v.agency_cover_id,
            "notes": v.notes,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "caption": str(self.vacancy)}

    def save(self, form):
        data = form.cleaned_data
        return services.vacancy_update(
            vacancy=self.vacancy, version=data["version"], status=data["status"],
            date=data["date"], agency_cover=data["agency_cover"], notes=data["notes"],
        )  # fmt: skip

    def success_url_for(self, obj) -> str:
        return _vacancy_url(obj)


# --- Campaigns -------------------------------------------------------------------------


class CampaignListView(RoleRequiredMixin, ListView):
    """Adverts and campaigns, and the last 12 months by channel and partner."""

    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = CampaignFilterSet(self.request.GET or None)
        return self.filterset.qs.prefetch_related("vacancies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        end = timezone.localdate()
        start = end - dt.timedelta(days=364)
        context.update(
            filter_form=self.filterset.form,
            querystring=_querystring(self.request),
            channel_start=start,
            channel_end=end,
            channels=selectors.channel_stats(
                start=start,
                end=end,
                applications=selectors.applications_visible_to(self.request.user),
            ),
            can_write=has_role(self.request.user, RECRUITMENT_WRITERS),
        )
        return context


class CampaignCreateView(ServiceFormView):
    form_class = CampaignForm
    heading = "Record an advert or campaign"
    success_message = "Advert {obj.title} recorded."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "vacancies": selectors.vacancies_visible_to(self.request.user),
        }

    def get_initial(self):
        initial = {"opened_on": timezone.localdate()}
        if self.request.GET.get("vacancy", "").isdigit():
            initial["vacancies"] = [int(self.request.GET["vacancy"])]
        return initial

    def save(self, form):
        return services.campaign_create(**form.cleaned_data)

    def success_url_for(self, obj) -> str:
        return reverse("recruitment:campaign-list")


# --- Applications ----------------------------------------------------------------------


class ApplicationCreateView(ServiceFormView):
    form_class = ApplicationForm
    heading = "Record an application"
    success_message = "Application from {obj.applicant_name} recorded."

    @cached_property
    def vacancy(self):
        return get_object_or_404(
            selectors.vacancies_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "vacancy": self.vacancy}

    def get_initial(self):
        return {"applied_on": timezone.localdate(), "route": Route.EXPERIENCED}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "caption": f"Vacancy {self.vacancy}"}

    def save(self, form):
        return services.application_create(
            vacancy=self.vacancy, by=self.request.user, **form.cleaned_data
        )

    def success_url_for(self, obj) -> str:
        return _vacancy_url(self.vacancy)


class ApplicationDetailView(RoleRequiredMixin, DetailView):
    """An applicant: stages with dates, checks, history; forms to move them on."""

    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user).select_related(
            "employment__person"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        user = self.request.user
        can_write = has_role(user, RECRUITMENT_WRITERS) and application.is_open
        context.update(
            history=application.stage_changes.select_related("recorded_by"),
            checks=_checks(application),
            stages=[
                (s.label, getattr(application, f)) for s, f in services.STAGE_DATE_FIELD.items()
            ],
            can_write=can_write,
            can_start=can_write and application.stage == Stage.CHECKS,
            can_erase=has_role(user, APPLICANT_DATA_ERASERS) and not application.anonymised_on,
        )
        if can_write:
            context["stage_form"] = kwargs.get("stage_form") or StageChangeForm(
                application=application,
                initial={"version": application.version, "date": timezone.localdate()},
            )
            if application.offered_on and services.missing_checks(application):
                context["check_form"] = CheckForm(
                    application=application,
                    initial={
                        "version": application.version,
                        "date": timezone.localdate(),
                        "checked_by": _user_name(user),
                    },
                )
        return context


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _checks(application) -> list[dict]:
    """Each pre-employment check: its label, the date passed and its record (who)."""
    records = {r.kind: r for r in application.pre_employment_checks.select_related("recorded_by")}
    return [
        {"label": c.label, "date": getattr(application, c.value), "record": records.get(c.value)}
        for c in Check
    ]


class ApplicationObjectMixin:
    @cached_property
    def application(self) -> Application:
        return get_object_or_404(
            selectors.applications_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.application
        context["caption"] = (
            f"{self.application.applicant_name}, vacancy {self.application.vacancy.reference}"
        )
        return context

    def success_url_for(self, obj) -> str:
        return _application_url(self.application)


class ApplicationStageChangeView(ApplicationObjectMixin, ServiceFormView):
    form_class = StageChangeForm
    heading = "Move to a stage"
    success_message = "{obj.applicant_name}: recorded."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_initial(self):
        return {"version": self.application.version, "date": timezone.localdate()}

    def save(self, form):
        data = form.cleaned_data
        return services.application_stage_change(
            application=self.application, action=data["action"], date=data["date"],
            version=data["version"], close_reason=data["close_reason"] or "",
            by=self.request.user,
        )  # fmt: skip


class ApplicationCheckView(ApplicationObjectMixin, ServiceFormView):
    form_class = CheckForm
    heading = "Record a pre-employment check"
    success_message = "{obj.applicant_name}: check recorded."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_initial(self):
        return {
            "version": self.application.version,
            "date": timezone.localdate(),
            "checked_by": _user_name(self.request.user),
        }

    def save(self, form):
        return services.application_check_record(
            application=self.application, by=self.request.user, **form.cleaned_data
        )


class ApplicationStartView(ApplicationObjectMixin, ServiceFormView):
    """The start: records the person and employment in the workforce in the same step."""

    form_class = StartForm
    heading = "Record the start"
    template_name = "recruitment/start_form.html"
    success_message = "{obj.applicant_name} has started and is now in the workforce."

    def get_initial(self):
        application = self.application
        vacancy = application.vacancy
        return {
            "version": application.version,
            "start_date": timezone.localdate(),
            "swe_number": application.swe_number,
            "contract_type": "permanent",
            "fte": min(vacancy.fte, 1),
            "start_origin": services.ROUTE_START_ORIGIN.get(application.route),
            "is_asye": application.route == Route.NQSW or vacancy.grade.is_asye,
        }

    def save(self, form):
        return services.application_start(
            application=self.application, by=self.request.user, **form.cleaned_data
        )

    def success_url_for(self, obj) -> str:
        return reverse("workforce:person-detail", kwargs={"pk": obj.employment.person_id})


class ApplicationAnonymiseView(ApplicationObjectMixin, RoleRequiredMixin, TemplateView):
    """Delete an applicant's personal data on request (aggregates are kept)."""

    allowed_roles = APPLICANT_DATA_ERASERS
    template_name = "recruitment/application_anonymise.html"

    def post(self, request, *args, **kwargs):
        try:
            services.application_anonymise(application=self.application)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The applicant's personal data has been deleted.")
        return HttpResponseRedirect(_application_url(self.application))


# --- The pipeline board --------------------------------------------------------------------


class PipelineView(RoleRequiredMixin, TemplateView):
    """Applicants in progress, one column per stage, with bulk moves for writers."""

    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/pipeline.html"

    def get_filterset(self):
        filterset = ApplicationFilterSet(
            self.request.GET or None,
            queryset=selectors.applications_visible_to(self.request.user).filter(
                outcome=Outcome.IN_PROGRESS
            ),
        )
        filterset.form.fields["team"].queryset = teams_visible_to(self.request.user)
        filterset.form.fields["vacancy"].queryset = selectors.vacancies_visible_to(
            self.request.user
        ).filter(closed_on__isnull=True)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        applications = list(filterset.qs.order_by("applied_on", "pk")[:500])
        columns = [
            {"stage": stage, "applications": [a for a in applications if a.stage == stage]}
            for stage in Stage
            if stage != Stage.STARTED
        ]
        can_write = has_role(self.request.user, RECRUITMENT_WRITERS)
        context.update(
            filter_form=filterset.form,
            columns=columns,
            total=len(applications),
            can_write=can_write,
            bulk_form=kwargs.get("bulk_form")
            or BulkStageChangeForm(initial={"date": timezone.localdate()}),
            querystring=self.request.GET.urlencode(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, RECRUITMENT_WRITERS):
            raise PermissionDenied("Your role does not give access to this action.")
        form = BulkStageChangeForm(request.POST)
        if form.is_valid():
            moves = []
            visible = selectors.applications_visible_to(request.user)
            for value in request.POST.getlist("selected"):
                pk, _, version = value.partition(":")
                if pk.isdigit() and version.isdigit():
                    application = visible.filter(pk=pk).first()
                    if application is not None:
                        moves.append((application, int(version)))
            data = form.cleaned_data
            try:
                done = services.applications_stage_change(
                    moves=moves, action=data["action"], date=data["date"],
                    close_reason=data["close_reason"] or "", by=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{len(done)} applicant(s) moved.")
                url = reverse("recruitment:pipeline")
                query = request.GET.urlencode()
                return HttpResponseRedirect(f"{url}?{query}" if query else url)
        return self.render_to_response(self.get_context_data(bulk_form=form))


# --- Induction ---------------------------------------------------------------------------


class InductionView(RoleRequiredMixin, TemplateView):
    """Keeping-in-touch days and 90-day check-ins: overdue, and due in the next week."""

    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/induction.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        visible = selectors.check_ins_visible_to(self.request.user)
        context.update(
            today=today,
            overdue=selectors.check_ins_overdue(as_of=today, check_ins=visible),
            due=selectors.check_ins_due(as_of=today, check_ins=visible),
            can_write=has_role(self.request.user, RECRUITMENT_WRITERS),
        )
        return context


class CheckInCompleteView(ServiceFormView):
    form_class = CheckInForm
    heading = "Record a check-in"
    success_message = "Check-in recorded."

    @cached_property
    def check_in(self) -> InductionCheckIn:
        return get_object_or_404(
            selectors.check_ins_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {"completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        check_in = self.check_in
        caption = f"{check_in.employment.person}: {check_in.get_kind_display()}"
        return {**super().get_context_data(**kwargs), "caption": caption}

    def save(self, form):
        return services.induction_check_in_complete(check_in=self.check_in, **form.cleaned_data)

    def success_url_for(self, obj) -> str:
        return reverse("recruitment:induction")


# --- Pipelines of future starters ---------------------------------------------------------


class CohortListView(RoleRequiredMixin, ListView):
    allowed_roles = RECRUITMENT_READERS
    template_name = "recruitment/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self):
        return PipelineCohort.objects.select_related("team", "grade")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = has_role(self.request.user, RECRUITMENT_WRITERS)
        context["today"] = timezone.localdate()
        return context


class CohortCreateView(ServiceFormView):
    form_class = CohortForm
    heading = "Add a pipeline cohort"
    success_message = "Cohort {obj.name} added."

    def save(self, form):
        return services.pipeline_cohort_create(**form.cleaned_data)

    def success_url_for(self, obj) -> str:
        return reverse("recruitment:cohort-list")


# --- The aggregate funnel --------------------------------------------------------------------


class FunnelView(RoleRequiredMixin, TemplateView):
    """The hiring funnel per role for a period: counts at each stage and conversion.
    Councillors see it with small numbers suppressed; no applicant is ever named."""

    allowed_roles = FUNNEL_READERS
    template_name = "recruitment/funnel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = FunnelPeriodForm(self.request.GET or None)
        start, end, by = today - dt.timedelta(days=364), today, "grade"
        if form.is_bound and form.is_valid():
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
            by = form.cleaned_data["by"] or by
        staff = has_role(self.request.user, STAFF_READERS)
        applications = selectors.applications_visible_to(self.request.user) if staff else None
        rows = selectors.funnel(start=start, end=end, by=by, applications=applications)
        stages = selectors.FUNNEL_STAGES
        body = [r for r in rows if r.key != "total"]
        grid = {(r.label, s.value): r.counts[s.value] for r in body for s in stages}
        limit = threshold()
        # The disclosure rule: named-data roles see the counts as they are; councillors
        # see "fewer than 5" and "hidden to protect another figure" (a total would tell).
        audience = Audience.named() if staff else Audience.councillor()
        cells, _, col_totals = disclose_grid(grid, audience=audience, row_totals=False)
        shown = {key: cell.value for key, cell in cells.items()}
        totals = {s.value: col_totals[s.value].value for s in stages} if body else {}
        labels = {key: str(cell) for key, cell in cells.items()}
        total_labels = {s.value: str(col_totals[s.value]) for s in stages} if body else {}

        def line(label, values, texts):
            pairs = list(zip(stages, stages[1:], strict=False))
            return {
                "label": label,
                "counts": [values.get(s.value) for s in stages],
                "cells": [texts.get(s.value, "") for s in stages],
                "conversions": [
                    share(values[b.value], values[a.value])
                    if values.get(a.value) is not None and values.get(b.value) is not None
                    else None
                    for a, b in pairs
                ],
            }

        table = [
            line(
                r.label,
                {s.value: shown[(r.label, s.value)] for s in stages},
                {s.value: labels[(r.label, s.value)] for s in stages},
            )
            for r in body
        ]
        total_line = line("All roles", totals, total_labels) if body else None
        hire = selectors.time_to_hire(start=start, end=end, applications=applications)
        if not staff:
            for summary in hire.values():
                if summary["count"] < limit:
                    summary.update(median=None, p90=None, hidden=summary["count"] > 0)
        context.update(
            form=form,
            start=start,
            end=end,
            by=by,
            stages=stages,
            conversion_labels=[
                f"{a.label} to {b.label.lower()}" for a, b in zip(stages, stages[1:], strict=False)
            ],
            table=table,
            total_line=total_line,
            hire=hire,
            staff=staff,
            limit=limit,
            suppressed=not staff,
            vacancies=selectors.vacancy_summary(as_of=end) if staff else None,
            stage_order=STAGE_ORDER,
        )
        return context
