"""The HR officer's workforce pages: find people, see a person's timeline and audit trail,
record starters, leavers and changes, correct details, enter a team's weekly caseloads.

Views are thin: a form checks the input, one service writes (all-or-nothing), one selector
reads. Who may do what (``core.roles``): HR officers and admins do everything;
directors read everything; service managers read people who have worked in their teams
(others are "not found") and enter caseloads for their own teams; councillors get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, ListView

from core.roles import (
    AUDIT_READERS,
    CASELOAD_WRITERS,
    STAFF_READERS,
    WORKFORCE_WRITERS,
    RoleRequiredMixin,
    has_role,
)
from core.views import ServiceFormView

from . import selectors, services
from .filters import PersonFilterSet
from .followups import follow_ups
from .forms import (
    CaseloadGridForm,
    CaseloadWeekForm,
    ChangeForm,
    LeaverForm,
    PersonEditForm,
    StarterForm,
    add_service_errors,
)
from .models import Employment, Person, Team


def _person_url(person: Person) -> str:
    return reverse("workforce:person-detail", kwargs={"pk": person.pk})


class PersonListView(RoleRequiredMixin, ListView):
    """People, filtered (team, service area, DfE role, contract, in post on a date,
    started or left between dates) and searched; filters stay in the URL."""

    allowed_roles = STAFF_READERS
    template_name = "workforce/person_list.html"
    context_object_name = "people"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = PersonFilterSet(
            self.request.GET or None,
            queryset=selectors.people_visible_to(self.request.user),
            request=self.request,
        )
        self.filterset.form.fields["team"].queryset = selectors.teams_visible_to(self.request.user)
        return selectors.people_with_history(self.filterset.qs.order_by(*Person._meta.ordering))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        as_of = (form.cleaned_data.get("in_post_on") if form.is_bound else None) or (
            timezone.localdate()
        )
        context["rows"] = [
            {"person": person, **selectors.person_position(person=person, as_of=as_of)}
            for person in context["people"]
        ]
        context["filter_form"] = form
        context["as_of"] = as_of
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class PersonDetailView(RoleRequiredMixin, DetailView):
    """A person: details, whole timeline, actions for HR, and the audit trail."""

    allowed_roles = STAFF_READERS
    template_name = "workforce/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return selectors.people_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        user = self.request.user
        employments = list(person.employments.select_related("agency").order_by("-start_date"))
        context["employments"] = [
            {"employment": e, "assignment": selectors.current_assignment(employment=e)}
            for e in employments
        ]
        context["in_post"] = [e for e in employments if e.end_date is None]
        context["follow_ups"] = [
            (e, found) for e in employments for found in follow_ups(e, user=user)
        ]
        context["timeline"] = list(reversed(selectors.person_timeline(person=person)))
        context["can_edit"] = has_role(user, WORKFORCE_WRITERS)
        if has_role(user, AUDIT_READERS):
            context["audit_trail"] = selectors.person_audit_trail(person=person)
        return context


class WorkforceFormView(ServiceFormView):
    """A form that records something for a person, then shows their page with a banner."""

    allowed_roles = WORKFORCE_WRITERS

    def success_message_for(self, person: Person) -> str:
        return self.success_message.format(person=person)

    def success_url_for(self, person: Person) -> str:
        return _person_url(person)


class StarterCreateView(WorkforceFormView):
    """Record a starter: a new person, or a returning one found by their SWE number."""

    template_name = "workforce/starter_form.html"
    form_class = StarterForm
    success_message = "Starter recorded for {person}."

    def get_initial(self):
        initial = super().get_initial()
        returning = self.request.GET.get("person", "")
        if returning.isdigit():
            person = Person.objects.filter(pk=returning).first()
            if person is not None:
                initial.update(swe_number=person.swe_number, returning=True)
        return initial

    employment: Employment | None = None

    def save(self, form) -> Person:
        if form.returning_person is not None:
            employment = services.person_starter_record(
                person=form.returning_person, **form.employment_terms()
            )
        else:
            employment = services.person_starter_record(
                person_details=form.person_details(), **form.employment_terms()
            )
        self.employment = employment
        return employment.person

    def success_url_for(self, person: Person) -> str:
        """On to what another app still needs about the start (an agency start: its
        placement details, ``workforce.followups``), else the person's page."""
        for follow_up in follow_ups(self.employment, user=self.request.user):
            if follow_up.url:
                return follow_up.url
        return super().success_url_for(person)


class EmploymentFormView(WorkforceFormView):
    """A form about one employment (leaving, change)."""

    @cached_property
    def employment(self) -> Employment:
        # Looked up after the role check (in the handler), so others get 403, not 404.
        return get_object_or_404(
            Employment.objects.select_related("person", "agency"), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {**super().get_initial(), "version": self.employment.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["employment"] = self.employment
        context["person"] = self.employment.person
        context["assignment"] = selectors.current_assignment(employment=self.employment)
        return context


class LeaverCreateView(EmploymentFormView):
    """Record a leaving (employed) or the end of an agency placement."""

    template_name = "workforce/leaver_form.html"
    form_class = LeaverForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.employment.is_agency}

    def save(self, form) -> Person:
        services.leaver_record(employment=self.employment, **form.cleaned_data)
        what = "Agency placement end" if self.employment.is_agency else "Leaving"
        self.success_message = what + " recorded for {person}."
        return self.employment.person


class ChangeCreateView(EmploymentFormView):
    """Record a team move, FTE change, grade or role change, or ASYE completed."""

    template_name = "workforce/change_form.html"
    form_class = ChangeForm
    success_message = "Change recorded for {person}."

    def save(self, form) -> Person:
        services.assignment_change(employment=self.employment, **form.change_terms())
        return self.employment.person


class PersonEditView(WorkforceFormView):
    """Correct a person's details (the audit trail keeps the before and after)."""

    template_name = "workforce/person_form.html"
    form_class = PersonEditForm
    success_message = "Details saved for {person}."

    @cached_property
    def person(self) -> Person:
        return get_object_or_404(Person, pk=self.kwargs["pk"])

    def get_initial(self):
        return PersonEditForm.initial_for(self.person)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def save(self, form) -> Person:
        return services.person_update(
            person=self.person, version=form.cleaned_data["version"], **form.person_details()
        )


class CaseloadEntryView(RoleRequiredMixin, View):
    """A team's caseloads for a week in one grid (one row per worker in the team on the
    date). Directors see the figures; HR, admins and the team's managers enter them."""

    allowed_roles = STAFF_READERS
    template_name = "workforce/caseload_entry.html"

    def teams(self):
        return selectors.teams_visible_to(self.request.user)

    def can_write(self) -> bool:
        return has_role(self.request.user, CASELOAD_WRITERS)

    def get(self, request):
        week_form = CaseloadWeekForm(request.GET or None, teams=self.teams())
        grid = None
        if week_form.is_bound and week_form.is_valid():
            if week_form.cleaned_data["date"] > timezone.localdate():
                week_form.add_error("date", "Caseloads cannot be recorded for a future week.")
            else:
                grid = self.grid(week_form.cleaned_data["team"], week_form.cleaned_data["date"])
        return self.render(week_form, grid)

    def post(self, request):
        if not self.can_write():
            raise PermissionDenied("Your role does not let you enter caseloads.")
        week_form = CaseloadWeekForm(request.POST, teams=self.teams())
        if not week_form.is_valid():
            return self.render(week_form, None, status=200)
        team, date = week_form.cleaned_data["team"], week_form.cleaned_data["date"]
        grid = self.grid(team, date, data=request.POST)
        if grid.is_valid():
            try:
                saved = services.caseloads_record_week(
                    team=team, date=date, entries=list(grid.entries()), confirmed=grid.confirmed
                )
            except ValidationError as exc:
                add_service_errors(grid, exc)
            else:
                messages.success(
                    request,
                    f"Caseloads saved for {team} on {date.day} {date:%B %Y} "
                    f"({saved} worker{'s' if saved != 1 else ''}).",
                )
                url = reverse("workforce:caseload-entry")
                return HttpResponseRedirect(f"{url}?team={team.pk}&date={date:%Y-%m-%d}")
        return self.render(week_form, grid)

    def grid(self, team: Team, date, data=None) -> CaseloadGridForm:
        members = list(selectors.team_members_on(team=team, date=date))
        recorded = selectors.caseloads_for_team_week(team=team, date=date)
        grid = CaseloadGridForm(data, members=members, recorded=recorded)
        grid.team, grid.date = team, date
        return grid

    def render(self, week_form, grid, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "week_form": week_form,
                "grid": grid,
                "can_write": self.can_write(),
            },
            status=status,
        )
