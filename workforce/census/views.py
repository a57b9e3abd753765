"""Census pages: upload a return, preview what it would change, confirm, see the result;
download the return for a year; upload caseloads.

Between preview and confirm the uploaded bytes stay on the server, in a temporary file
named by a random token kept in the user's session: the confirm step imports exactly the
file that was previewed, never a copy sent back by the browser. HR officers and admins
import; directors may also download the return; everyone else gets 403.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from workforce.roles import WORKFORCE_WRITERS, Role, RoleRequiredMixin

from .forms import CaseloadUploadForm, CensusExportForm, CensusUploadForm
from .parse import FlatFileDetails
from .services import CensusError, caseloads_import, census_export, census_import

#: Who may download the return: the workforce team and the director.
CENSUS_EXPORTERS = frozenset({Role.HR_OFFICER, Role.ADMIN, Role.DIRECTOR})
SESSION_UPLOAD = "census_upload"
SESSION_RESULT = "census_result"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


#: Uploads not confirmed within this many seconds are deleted at the next upload.
UPLOAD_KEPT_SECONDS = 24 * 60 * 60


def _upload_dir() -> Path:
    directory = Path(tempfile.gettempdir()) / "workforce-census-uploads"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def _forget_old_uploads() -> None:
    cutoff = time.time() - UPLOAD_KEPT_SECONDS
    for path in _upload_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another request removed it


def _pending_path(pending: dict | None) -> Path | None:
    token = (pending or {}).get("token", "")
    if not _TOKEN.match(token):
        return None
    path = _upload_dir() / token
    return path if path.exists() else None


class CensusUploadView(RoleRequiredMixin, FormView):
    """Step 1: choose the file (and, for CSV/XLSX, the year, LEA and council figures)."""

    allowed_roles = WORKFORCE_WRITERS
    form_class = CensusUploadForm
    template_name = "workforce/census/upload.html"

    def form_valid(self, form):
        old = _pending_path(self.request.session.get(SESSION_UPLOAD))
        if old is not None:
            old.unlink(missing_ok=True)
        _forget_old_uploads()
        token = secrets.token_urlsafe(32)
        upload = form.cleaned_data["file"]
        with open(_upload_dir() / token, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        self.request.session[SESSION_UPLOAD] = {
            "token": token,
            "name": Path(upload.name).name[:200],
            "flat": form.flat_details(),
        }
        return HttpResponseRedirect(reverse("census:preview"))


class CensusPreviewView(RoleRequiredMixin, View):
    """Step 2: what the import would do (a dry run), then confirm (POST) to import."""

    allowed_roles = WORKFORCE_WRITERS
    template_name = "workforce/census/preview.html"

    def _run(self, request, *, dry_run: bool):
        pending = request.session.get(SESSION_UPLOAD)
        path = _pending_path(pending)
        if path is None:
            return pending, None
        result = census_import(
            data=path.read_bytes(),
            flat=FlatFileDetails(**pending["flat"]),
            user=request.user,
            source_name=pending["name"],
            dry_run=dry_run,
        )
        return pending, result

    def get(self, request):
        pending, result = self._run(request, dry_run=True)
        return render(request, self.template_name, {"pending": pending, "result": result})

    def post(self, request):
        pending, result = self._run(request, dry_run=False)
        if result is None or result.errors:
            return render(request, self.template_name, {"pending": pending, "result": result})
        path = _pending_path(pending)
        if path is not None:
            path.unlink(missing_ok=True)
        request.session.pop(SESSION_UPLOAD, None)
        request.session[SESSION_RESULT] = {"name": pending["name"], **result.as_dict()}
        return HttpResponseRedirect(reverse("census:result"))


class CensusResultView(RoleRequiredMixin, View):
    """Step 3: what was imported."""

    allowed_roles = WORKFORCE_WRITERS

    def get(self, request):
        return render(
            request,
            "workforce/census/result.html",
            {"result": request.session.get(SESSION_RESULT)},
        )


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
    """Upload dated caseloads (CSV); every problem is listed and nothing is saved on error."""

    allowed_roles = WORKFORCE_WRITERS
    form_class = CaseloadUploadForm
    template_name = "workforce/census/caseloads_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = caseloads_import(data=upload.read(), user=self.request.user)
        return self.render_to_response(
            self.get_context_data(form=form, result=result, file_name=upload.name)
        )
