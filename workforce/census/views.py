"""Census pages: upload a return, preview what it would change, confirm, see the result;
download the return for a year; upload caseloads.

An upload becomes an ``ImportJob`` (``workforce.imports``): a Celery worker checks it (the
preview) and, once confirmed, imports it; the web request only stores the file and shows
the job. While a job runs its page says so and refreshes itself every few seconds. The
census job in progress is named in the user's session (only its creator reaches it
through the preview page), so the confirm step imports exactly the file that was
previewed, never a copy sent back by the browser. HR officers and admins import;
directors may also download the return; everyone else gets 403.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from core.roles import WORKFORCE_WRITERS, Role, RoleRequiredMixin
from workforce.imports import import_job_confirm, import_job_create, import_job_notice_stuck
from workforce.models import ImportJob

from .forms import CaseloadUploadForm, CensusExportForm, CensusUploadForm
from .services import CensusError, census_export

#: Who may download the return: the workforce team and the director.
CENSUS_EXPORTERS = frozenset({Role.HR_OFFICER, Role.ADMIN, Role.DIRECTOR})
SESSION_UPLOAD = "census_upload"
SESSION_RESULT = "census_result"
#: How often a page showing a running job asks for news (seconds; static/js/job-progress.mjs).
REFRESH_SECONDS = 2
PROGRESS_TEMPLATE = "workforce/census/job_progress.html"


def _job(request, key: str) -> ImportJob | None:
    """The census job named in the session under ``key``, if it is this user's."""
    job_id = (request.session.get(key) or {}).get("job", "")
    try:
        job = ImportJob.objects.filter(
            pk=job_id, created_by=request.user, kind=ImportJob.Kind.CENSUS
        ).first()
    except Exception:  # not a UUID: a session from before jobs, or tampered with
        return None
    return import_job_notice_stuck(job=job) if job else None


def _progress(request, job: ImportJob, title: str):
    return render(
        request,
        PROGRESS_TEMPLATE,
        {"job": job, "title": title, "refresh_ms": REFRESH_SECONDS * 1000},
    )


class CensusUploadView(RoleRequiredMixin, FormView):
    """Step 1: choose the file (and, for CSV/XLSX, the year, LEA and council figures)."""

    allowed_roles = WORKFORCE_WRITERS
    form_class = CensusUploadForm
    template_name = "workforce/census/upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = import_job_create(
            kind=ImportJob.Kind.CENSUS,
            user=self.request.user,
            file_name=upload.name.replace("\\", "/").rsplit("/", 1)[-1],
            data=upload.read(),
            details=form.flat_details(),
        )
        self.request.session[SESSION_UPLOAD] = {"job": str(job.pk)}
        return HttpResponseRedirect(reverse("census:preview"))


class CensusPreviewView(RoleRequiredMixin, View):
    """Step 2: what the import would do (checked by a worker), then confirm (POST) to
    import; while the worker checks or imports, a page that refreshes itself."""

    allowed_roles = WORKFORCE_WRITERS
    template_name = "workforce/census/preview.html"

    def get(self, request):
        job = _job(request, SESSION_UPLOAD)
        if job is None:
            return render(request, self.template_name, {"pending": None, "result": None})
        if job.status == ImportJob.Status.DONE:
            return self._done(request, job)
        if job.running:
            title = (
                "Importing the census return"
                if job.status == ImportJob.Status.IMPORTING
                else "Checking the census return"
            )
            return _progress(request, job, title)
        return self._preview(request, job)

    def _preview(self, request, job: ImportJob):
        result = job.result or {
            "errors": [{"where": "file", "item": "", "value": "", "message": job.message}],
            "warnings": [],
        }
        return render(
            request,
            self.template_name,
            {"pending": {"name": job.file_name}, "result": result, "job": job},
        )

    def _done(self, request, job: ImportJob):
        request.session.pop(SESSION_UPLOAD, None)
        request.session[SESSION_RESULT] = {"job": str(job.pk)}
        return HttpResponseRedirect(reverse("census:result"))

    def post(self, request):
        job = _job(request, SESSION_UPLOAD)
        if job is None:
            return render(request, self.template_name, {"pending": None, "result": None})
        job = import_job_confirm(job=job)
        if job.status == ImportJob.Status.DONE:
            return self._done(request, job)
        if job.status == ImportJob.Status.FAILED or job.status == ImportJob.Status.CHECKED:
            return self._preview(request, job)
        return HttpResponseRedirect(reverse("census:preview"))


class CensusResultView(RoleRequiredMixin, View):
    """Step 3: what was imported."""

    allowed_roles = WORKFORCE_WRITERS

    def get(self, request):
        job = _job(request, SESSION_RESULT)
        result = job.result if job is not None and job.status == ImportJob.Status.DONE else None
        return render(request, "workforce/census/result.html", {"result": result})


class CensusExportView(RoleRequiredMixin, View):
    """Download the return for a census year; if the data breaks a rule, list the problems."""

    allowed_roles = CENSUS_EXPORTERS
    template_name = "workforce/census/export.html"

    def get(self, request):
        form = CensusExportForm(request.GET if "year" in request.GET else None)
        problems = None
        if form.is_bound and form.is_valid():
            year, fmt = form.cleaned_data["year"], form.cleaned_data["format"]
            try:
                data = census_export(year=year, format=fmt)
            except CensusError as exc:
                problems = exc.problems
            else:
                content_type = "application/xml" if fmt == "xml" else "text/csv"
                response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="csww-{year}.{fmt}"'
                return response
        return render(request, self.template_name, {"form": form, "problems": problems})


class CaseloadUploadView(RoleRequiredMixin, FormView):
    """Upload dated caseloads (CSV): a worker imports them (every problem is listed and
    nothing is saved on error) while the job's page shows its progress."""

    allowed_roles = WORKFORCE_WRITERS
    form_class = CaseloadUploadForm
    template_name = "workforce/census/caseloads_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = import_job_create(
            kind=ImportJob.Kind.CASELOADS,
            user=self.request.user,
            file_name=upload.name.replace("\\", "/").rsplit("/", 1)[-1],
            data=upload.read(),
            details={"confirmed_above_ceiling": form.cleaned_data["confirmed_above_ceiling"]},
        )
        return HttpResponseRedirect(reverse("census:caseloads-job", kwargs={"pk": job.pk}))


class CaseloadJobView(RoleRequiredMixin, View):
    """A caseload import: its progress while it runs, then what it did or found. The
    workforce team share their imports, so any HR officer or admin may follow one."""

    allowed_roles = WORKFORCE_WRITERS

    def get(self, request, pk):
        job = ImportJob.objects.filter(pk=pk, kind=ImportJob.Kind.CASELOADS).first()
        if job is None:
            raise Http404("No such caseload import.")
        job = import_job_notice_stuck(job=job)
        if job.running:
            return _progress(request, job, "Importing caseloads")
        result = job.result or {
            "errors": [{"where": "file", "item": "", "value": "", "message": job.message}],
            "warnings": [],
        }
        return render(
            request,
            "workforce/census/caseloads_upload.html",
            {"form": CaseloadUploadForm(), "result": result, "file_name": job.file_name},
        )
