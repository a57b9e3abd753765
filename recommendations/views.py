"""The tracker's pages: the tracker table (Tameside layout) with its DOCX/XLSX exports,
a recommendation's page (response, actions, updates, monitoring schedule, evidence,
comments, history), the monitoring lists, and the forms that record a response, a
progress update, an action, the evidencing KPI and a member's comment.

Views are thin: a form checks the input, one service writes, selectors read. Roles are
in ``recommendations.access``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from core.roles import RoleRequiredMixin, has_role
from core.views import ServiceFormView

from . import exports, selectors, services
from .access import COMMENTERS, PROGRESS_WRITERS, RESPONSE_WRITERS, TRACKER_READERS
from .evidence import kpi_catalogue
from .filters import RecommendationFilterSet
from .forms import (
    ActionForm,
    EvidenceForm,
    ExecutiveResponseForm,
    MemberCommentForm,
    ProgressUpdateForm,
)
from .models import Action, Recommendation


class TrackerFilterMixin:
    def filtered(self):
        filterset = RecommendationFilterSet(
            self.request.GET or None, queryset=selectors.recommendations_tracked()
        )
        return filterset, filterset.qs, filterset.as_of_date()


class TrackerView(RoleRequiredMixin, TrackerFilterMixin, TemplateView):
    """The tracker: recommendation, decision, executive response, officer responsible,
    action by, latest update, RAG - filterable, with exports of the same rows."""

    allowed_roles = TRACKER_READERS
    template_name = "recommendations/tracker.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, queryset, as_of = self.filtered()
        context.update(
            filter_form=filterset.form,
            rows=selectors.tracker_rows(queryset=queryset, as_of=as_of),
            as_of=as_of,
            query=self.request.GET.urlencode(),
        )
        return context


class TrackerExportView(RoleRequiredMixin, TrackerFilterMixin, View):
    """The tracker's rows, filtered as on the page, as a Word or Excel file."""

    allowed_roles = TRACKER_READERS
    file_format = "docx"

    def get(self, request):
        filterset, queryset, as_of = self.filtered()
        if filterset.form.is_bound and not filterset.form.is_valid():
            messages.error(request, "Check the filters: " + "; ".join(
                f"{filterset.form.fields[f].label}: {' '.join(e)}"
                for f, e in filterset.form.errors.items()
            ))  # fmt: skip
            return HttpResponseRedirect(reverse("recommendations:tracker"))
        rows = selectors.tracker_rows(queryset=queryset, as_of=as_of)
        title = "Scrutiny recommendations tracker"
        if self.file_format == "xlsx":
            content = exports.tracker_xlsx(rows=rows, title=title, as_of=as_of)
            content_type = exports.XLSX_CONTENT_TYPE
        else:
            content = exports.tracker_docx(rows=rows, title=title, as_of=as_of)
            content_type = exports.DOCX_CONTENT_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="recommendations-tracker-{as_of:%Y-%m-%d}.{self.file_format}"'
        )
        return response


class RecommendationDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = TRACKER_READERS
    template_name = "recommendations/recommendation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rec = get_object_or_404(selectors.recommendations_tracked(), pk=self.kwargs["pk"])
        today = timezone.localdate()
        user = self.request.user
        context.update(
            rec=rec,
            response=selectors.recommendation_response(rec),
            children=rec.children.order_by("sort_key"),
            updates=sorted(rec.updates.all(), key=lambda u: (u.update_date, u.pk), reverse=True),
            actions=rec.actions.all(),
            comments=rec.comments.select_related("author"),
            schedule=[
                {"point": p, "state": p.state(as_of=today)}
                for p in selectors.monitoring_schedule(recommendation=rec)
            ],
            overdue=selectors.action_by_overdue(recommendation=rec, as_of=today),
            history=selectors.recommendation_history(recommendation=rec),
            today=today,
            can_respond=has_role(user, RESPONSE_WRITERS),
            can_record_progress=has_role(user, PROGRESS_WRITERS),
            can_comment=has_role(user, COMMENTERS),
        )
        return context


class MonitoringView(RoleRequiredMixin, TemplateView):
    """Updates due in the next two months and overdue ones; overdue actions."""

    allowed_roles = TRACKER_READERS
    template_name = "recommendations/monitoring.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            today=today,
            lists=selectors.monitoring_lists(as_of=today),
            actions_overdue=selectors.actions_overdue(as_of=today),
            can_record_progress=has_role(self.request.user, PROGRESS_WRITERS),
        )
        return context


class ActionCompleteView(RoleRequiredMixin, View):
    """POST: mark an action done today; back to its recommendation or the monitoring
    lists."""

    allowed_roles = PROGRESS_WRITERS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        action = get_object_or_404(Action, pk=pk)
        services.action_complete(
            action=action, completed_on=timezone.localdate(), today=timezone.localdate()
        )
        messages.success(request, "Action marked as done.")
        if action.recommendation_id:
            return HttpResponseRedirect(
                reverse("recommendations:detail", kwargs={"pk": action.recommendation_id})
            )
        return HttpResponseRedirect(reverse("recommendations:monitoring"))


class RecommendationFormView(ServiceFormView):
    """A form about one recommendation: on success, one service call, then back to the
    recommendation's page with a message. A service's ``ValidationError`` is shown
    beside the fields and nothing is saved."""

    template_name = "recommendations/recommendation_form.html"
    heading = ""
    success_message = ""

    @cached_property
    def recommendation(self) -> Recommendation:
        return get_object_or_404(
            Recommendation.objects.select_related("review__committee"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(rec=self.recommendation, heading=self.heading, **kwargs)

    def success_url_for(self, obj) -> str:
        return reverse("recommendations:detail", kwargs={"pk": self.recommendation.pk})


class ExecutiveResponseView(RecommendationFormView):
    allowed_roles = RESPONSE_WRITERS
    form_class = ExecutiveResponseForm
    heading = "Record the executive response"
    success_message = "Executive response saved."

    def get_initial(self):
        response = getattr(self.recommendation, "response", None)
        version = {"version": self.recommendation.version}
        if response is None:
            return {"response_date": timezone.localdate(), **version}
        return {
            field: getattr(response, field)
            for field in ExecutiveResponseForm.base_fields
            if hasattr(response, field) and field != "version"
        } | version

    def save(self, form):
        data = form.cleaned_data
        services.executive_response_record(
            recommendation=self.recommendation, user=self.request.user, **data
        )


class ProgressUpdateView(RecommendationFormView):
    allowed_roles = PROGRESS_WRITERS
    form_class = ProgressUpdateForm
    heading = "Record a progress update"
    success_message = "Progress update saved."

    def get_initial(self):
        return {"update_date": timezone.localdate()}

    def save(self, form):
        data = form.cleaned_data
        services.progress_update_record(
            recommendation=self.recommendation,
            user=self.request.user,
            today=timezone.localdate(),
            **data,
        )


class ActionCreateView(RecommendationFormView):
    allowed_roles = PROGRESS_WRITERS
    form_class = ActionForm
    heading = "Add an action"
    success_message = "Action added."

    def save(self, form):
        data = form.cleaned_data
        services.action_create(
            review=self.recommendation.review, recommendation=self.recommendation, **data
        )


class CommentCreateView(RecommendationFormView):
    allowed_roles = COMMENTERS
    form_class = MemberCommentForm
    heading = "Comment or ask for an update"
    success_message = "Comment added."

    def save(self, form):
        data = form.cleaned_data
        services.member_comment_add(
            recommendation=self.recommendation, author=self.request.user, **data
        )


class EvidenceView(RecommendationFormView):
    allowed_roles = PROGRESS_WRITERS
    form_class = EvidenceForm
    heading = "Link the KPI that evidences this recommendation"
    success_message = "Evidence saved."

    @cached_property
    def catalogue(self) -> dict[str, str]:
        return dict(kpi_catalogue())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "catalogue": self.catalogue}

    def get_initial(self):
        rec = self.recommendation
        return {
            "kpi_key": rec.kpi_key,
            "kpi_target": rec.kpi_target,
            "kpi_target_date": rec.kpi_target_date,
            "version": rec.version,
        }

    def save(self, form):
        data = form.cleaned_data
        services.recommendation_evidence_set(
            recommendation=self.recommendation, kpi_catalogue=self.catalogue, **data
        )
