"""Exits pages.

Who sees what (issue 5, "Privacy"):

- HR officers and admins (``EXIT_OFFICERS``): the exit records of named leavers, their
  individual answers and free text, theme coding, the keyword rules, questionnaire links.
- Directors: the analysis, unsuppressed (aggregates only, no individual answers).
- Service managers: the analysis for their own teams, suppressed - themes, not who said what.
- Scrutiny and lead members: the analysis with small-number suppression
  (``workforce.suppression``: "fewer than 5", secondary suppression).
- A leaver with no account: the questionnaire through a one-time link, nothing else. An
  unknown, used or expired link gets one plain page; failed tries are rate-limited per
  client address (``EXIT_LINK_MAX_FAILURES`` in ``EXIT_LINK_FAILURE_WINDOW`` seconds,
  django-ratelimit; the address through the trusted proxies, ``config.client_address``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView
from django_ratelimit.core import get_usage

from config.client_address import client_address_for_ratelimit
from core.forms import add_service_errors
from core.roles import ALL_ROLES, Role, RoleRequiredMixin, has_role, is_team_limited
from core.views import ServiceFormView
from workforce.selectors import teams_visible_to
from workforce.suppression import Cell, threshold

from . import selectors, services
from .choices import RETENTION_STATEMENTS
from .filters import ExitRecordFilterSet
from .forms import AnalysisFilterForm, CodingForm, ExitRecordForm, QuestionnaireForm, ThemeForm
from .models import ExitRecord, ExitTheme
from .summaries import count_line, coverage_table, theme_table, within_years

#: Named leavers, individual answers and free text.
EXIT_OFFICERS = frozenset({Role.HR_OFFICER, Role.ADMIN})
#: Roles that see the analysis without small-number suppression.
UNSUPPRESSED_READERS = frozenset({Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN})

STATUS_TABS = [
    ("", "All leavers"),
    ("not_offered", "Not yet offered"),
    ("offered_not_completed", "Offered, not completed"),
    ("overdue", "Overdue"),
    ("completed", "Completed"),
]


def _record_url(record: ExitRecord) -> str:
    return reverse("exits:record-detail", kwargs={"pk": record.pk})


class ExitRecordListView(RoleRequiredMixin, ListView):
    """Every leaver's exit record, by status: not yet offered, offered but not completed,
    overdue (not completed ``EXIT_INTERVIEW_OVERDUE_DAYS`` after leaving), completed."""

    allowed_roles = EXIT_OFFICERS
    template_name = "exits/record_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = ExitRecordFilterSet(
            self.request.GET or None,
            queryset=selectors.exit_records_visible_to(self.request.user),
            request=self.request,
        )
        form = self.filterset.form
        self.status = (form.cleaned_data.get("status") or "") if form.is_valid() else ""
        return self.filterset.qs.order_by("-employment__end_date", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tabs"] = STATUS_TABS
        context["status"] = self.status
        context["overdue_days"] = selectors.overdue_days()
        return context


class ExitRecordMixin(RoleRequiredMixin):
    allowed_roles = EXIT_OFFICERS

    def get_record(self) -> ExitRecord:
        if not hasattr(self, "_record"):
            self._record = get_object_or_404(
                selectors.exit_records_visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.get_record()
        context["employment"] = self.get_record().employment
        return context


class ExitRecordDetailView(ExitRecordMixin, TemplateView):
    """One leaver's exit record, their answers and the themes coded from them."""

    template_name = "exits/record_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = context["record"]
        questionnaire = getattr(record, "questionnaire", None)
        context["questionnaire"] = questionnaire
        if questionnaire is not None:
            context["scores"] = [
                (statement, getattr(questionnaire, field))
                for field, statement in RETENTION_STATEMENTS
            ]
        context["links"] = record.links.all()
        context["now"] = timezone.now()
        return context


class ExitRecordEditView(ExitRecordMixin, ServiceFormView):
    """Record the offer of an exit interview and what came of it."""

    template_name = "exits/record_form.html"
    form_class = ExitRecordForm

    def get_initial(self):
        record = self.get_record()
        return {
            "offered_on": record.offered_on,
            "channel": record.channel,
            "conductor": record.conductor,
            "response": record.response,
            "completed_on": record.completed_on,
            "version": record.version,
        }

    success_message = "Exit interview record saved."

    def save(self, form):
        services.exit_record_update(exit_record=self.get_record(), **form.cleaned_data)
        return self.get_record()

    def success_url_for(self, record) -> str:
        return _record_url(record)


class QuestionnaireLinkCreateView(ExitRecordMixin, TemplateView):
    """Make a one-time questionnaire link for the leaver. The link is shown once."""

    template_name = "exits/link_create.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["valid_days"] = services.link_valid_days()
        return context

    def post(self, request, *args, **kwargs):
        record = self.get_record()
        try:
            link, token = services.questionnaire_link_create(
                exit_record=record, created_by=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(_record_url(record))
        url = request.build_absolute_uri(reverse("exits:questionnaire", kwargs={"token": token}))
        response = render(
            request,
            "exits/link_created.html",
            {"record": record, "employment": record.employment, "link": link, "url": url},
        )
        response["Cache-Control"] = "no-store"
        return response


class QuestionnaireEnterView(ExitRecordMixin, ServiceFormView):
    """An officer fills in the questionnaire with the leaver (in the exit interview)."""

    template_name = "exits/questionnaire_enter.html"
    form_class = QuestionnaireForm

    def get(self, request, *args, **kwargs):
        record = self.get_record()
        if hasattr(record, "questionnaire"):
            messages.info(request, "The questionnaire has already been completed for this leaver.")
            return HttpResponseRedirect(_record_url(record))
        return super().get(request, *args, **kwargs)

    success_message = "Questionnaire saved. Now code the themes in the answer."

    def save(self, form):
        services.questionnaire_submit(
            exit_record=self.get_record(),
            answers=form.answers(),
            reasons=form.cleaned_data["reasons"],
            entered_by=self.request.user,
        )
        return self.get_record()

    def success_url_for(self, record) -> str:
        return reverse("exits:coding", kwargs={"pk": record.pk})


class CodingView(ExitRecordMixin, ServiceFormView):
    """Tag the themes in an answer: the keyword rules suggest, the officer confirms."""

    template_name = "exits/coding.html"
    form_class = CodingForm

    def get_questionnaire(self):
        questionnaire = getattr(self.get_record(), "questionnaire", None)
        if questionnaire is None:
            raise Http404("No questionnaire has been completed for this leaver yet.")
        return questionnaire

    def get_initial(self):
        questionnaire = self.get_questionnaire()
        self.suggestions = services.themes_suggest(text=questionnaire.free_text)
        chosen = set(questionnaire.themes.values_list("pk", flat=True))
        if questionnaire.coded_on is None:
            chosen |= {theme.pk for theme, _ in self.suggestions}
            chosen |= set(questionnaire.reasons.values_list("pk", flat=True))
        return {
            "themes": sorted(chosen),
            "quote": questionnaire.quote,
            "quote_approved": questionnaire.quote_approved,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questionnaire = self.get_questionnaire()
        if not hasattr(self, "suggestions"):
            self.suggestions = services.themes_suggest(text=questionnaire.free_text)
        context["questionnaire"] = questionnaire
        context["suggestions"] = self.suggestions
        return context

    success_message = "Themes saved."

    def save(self, form):
        services.questionnaire_code(
            questionnaire=self.get_questionnaire(),
            themes=form.cleaned_data["themes"],
            quote=form.cleaned_data["quote"],
            quote_approved=form.cleaned_data["quote_approved"],
            coded_by=self.request.user,
        )
        return self.get_record()

    def success_url_for(self, record) -> str:
        return _record_url(record)


# --- Themes and their keyword rules ------------------------------------------------


class ThemeListView(RoleRequiredMixin, ListView):
    """The council's theme list and the keyword rules that suggest each theme."""

    allowed_roles = EXIT_OFFICERS
    template_name = "exits/theme_list.html"
    context_object_name = "themes"
    queryset = ExitTheme.objects.all()


class ThemeEditView(ServiceFormView):
    """Add a theme, or change a theme's name and keyword rules."""

    allowed_roles = EXIT_OFFICERS
    template_name = "exits/theme_form.html"
    form_class = ThemeForm

    def get_theme(self) -> ExitTheme | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(ExitTheme, pk=self.kwargs["pk"])

    def get_initial(self):
        theme = self.get_theme()
        if theme is None:
            return {"is_active": True}
        return {"name": theme.name, "keywords": theme.keywords, "is_active": theme.is_active}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["theme"] = self.get_theme()
        return context

    success_message = "Theme \u201c{obj.name}\u201d saved."

    def save(self, form):
        return services.theme_save(theme=self.get_theme(), **form.cleaned_data)

    def success_url_for(self, theme) -> str:
        return reverse("exits:theme-list")


# --- Analysis ------------------------------------------------------------------------


class AnalysisView(RoleRequiredMixin, TemplateView):
    """Why people leave, in aggregate: themes by quarter, team, length of service, route
    and protected characteristic; leavers by DfE reason and destination; leaving within
    1/2/3 years; retention statement scores by quarter; exit interview coverage."""

    allowed_roles = ALL_ROLES
    template_name = "exits/analysis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = AnalysisFilterForm(self.request.GET or None)
        start, end = form.period()
        valid = form.is_valid() if form.is_bound else True
        dimension = (form.cleaned_data.get("by") if form.is_bound and valid else "") or "quarter"
        area = form.cleaned_data.get("service_area") if form.is_bound and valid else None
        suppressed = not has_role(user, UNSUPPRESSED_READERS)
        teams = teams_visible_to(user) if is_team_limited(user) else None
        if area is not None:
            teams = (teams if teams is not None else teams_visible_to(user)).filter(
                service_area=area
            )
        leavers = selectors.leavers_between(start=start, end=end, teams=teams)
        raw_bands = selectors.leavers_by_length_of_service(leavers=leavers)
        bands = count_line(raw_bands, suppressed)
        by_reason = selectors.leavers_by_reason_and_destination(leavers=leavers)
        scores = selectors.retention_scores_by_quarter(leavers=leavers)
        limit = threshold()
        score_rows = [
            {
                "statement": row["statement"],
                "cells": [
                    (None if (suppressed and n < limit) or avg is None else avg, Cell(n, limit)
                     if not (suppressed and 0 < n < limit) else Cell(None, limit))
                    for avg, n in row["cells"]
                ],
            }
            for row in scores["rows"]
        ]  # fmt: skip
        themes = theme_table(selectors.themes_by(leavers=leavers, dimension=dimension), suppressed)
        answered_total = themes["answered_total"]
        context.update(
            {
                "form": form,
                "start": start,
                "end": end,
                "dimension": dimension,
                "dimension_label": selectors.DIMENSIONS[dimension],
                "suppressed": suppressed,
                "limit": limit,
                "team_limited": is_team_limited(user),
                "themes": themes,
                "coverage": coverage_table(
                    selectors.exit_interview_coverage(leavers=leavers), suppressed
                ),
                "bands": bands,
                "within": within_years({k: c for k, c, _ in bands["rows"]}, raw_bands, suppressed),
                "reasons": count_line(by_reason["reason"], suppressed),
                "destinations": count_line(by_reason["destination"], suppressed),
                "own_destinations": count_line(by_reason["own_destination"], suppressed),
                "score_quarters": scores["quarters"],
                "score_rows": score_rows,
                "quotes": selectors.approved_quotes(start=start, end=end)
                if not is_team_limited(user)
                and (not suppressed or (answered_total.value or 0) >= limit)
                else [],
            }
        )
        return context


# --- The leaver's one-time link -----------------------------------------------------


#: django-ratelimit's group for failed tries at a questionnaire link.
LINK_FAILURE_GROUP = "exits:questionnaire-link-failures"


def _max_failures() -> int:
    return int(getattr(settings, "EXIT_LINK_MAX_FAILURES", 20))


def _failure_window() -> int:
    return int(getattr(settings, "EXIT_LINK_FAILURE_WINDOW", 15 * 60))


def _link_failures(request, *, increment: bool) -> int:
    """Failed tries from the client's address in the current window (django-ratelimit,
    keyed on the address through the trusted proxies, ``config.client_address``), counting
    this one if ``increment``. 0 when the cache cannot be reached (fails open: a leaver's
    questionnaire must not depend on Redis)."""
    usage = get_usage(
        request,
        group=LINK_FAILURE_GROUP,
        key=client_address_for_ratelimit,
        rate=f"{_max_failures()}/{_failure_window()}s",
        increment=increment,
    )
    return usage["count"] if usage else 0


class QuestionnaireLinkView(View):
    """The questionnaire for a leaver with no account, through their one-time link.
    Public: the token is the only key. Shows nothing about the leaver; an unknown, used
    or expired link gets the same plain page (404), and too many failed tries from one
    address get 429 for a while, whatever the token."""

    template_name = "exits/questionnaire_public.html"
    public = True  # the permission matrix: no role needed

    def dispatch(self, request, *args, **kwargs):
        if _link_failures(request, increment=False) >= _max_failures():
            return self._plain(request, "exits/link_rate_limited.html", 429)
        self.link = selectors.questionnaire_link_for_token(token=kwargs["token"])
        if self.link is None:
            _link_failures(request, increment=True)
            return self._plain(request, "exits/link_invalid.html", 404)
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def _plain(self, request, template: str, status: int):
        response = render(request, template, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": QuestionnaireForm()})

    def post(self, request, *args, **kwargs):
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            try:
                services.questionnaire_submit(
                    exit_record=self.link.exit_record,
                    answers=form.answers(),
                    reasons=form.cleaned_data["reasons"],
                    link=self.link,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(request, "exits/questionnaire_thanks.html")
        return render(request, self.template_name, {"form": form})
