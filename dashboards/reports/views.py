"""Report pack pages (directors and admins only): the list of packs, the form that asks for
one, a pack's page (which refreshes itself while the pack is being built) and downloads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from core.retention import period
from core.roles import Role, RoleRequiredMixin
from dashboards.models import ReportPack

from . import services
from .forms import ReportPackForm

REPORT_MAKERS = frozenset({Role.DIRECTOR, Role.ADMIN})
DOWNLOADS = {
    "docx": ("docx_file", "Word document"),
    "pdf": ("pdf_file", "PDF"),
    "xlsx": ("xlsx_file", "Excel workbook"),
    "csv": ("csv_zip_file", "CSV files (zip)"),
}


class ReportPackListView(RoleRequiredMixin, ListView):
    allowed_roles = REPORT_MAKERS
    template_name = "dashboards/reports/pack_list.html"
    context_object_name = "packs"
    paginate_by = 25

    def get_queryset(self):
        services.report_packs_fail_stuck()  # a lost pack says so here, even without beat
        return ReportPack.objects.select_related("created_by")


class ReportPackCreateView(RoleRequiredMixin, FormView):
    allowed_roles = REPORT_MAKERS
    template_name = "dashboards/reports/pack_form.html"
    form_class = ReportPackForm

    def get_form_kwargs(self):
        texts = services.last_texts()
        if self.request.method == "GET":
            texts["summary"] = services.summary_for_form(today=timezone.localdate())
            texts["plan"] = services.plan_for_form(today=timezone.localdate())
        return {**super().get_form_kwargs(), "today": timezone.localdate(), "texts": texts}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            pack = services.report_pack_create(
                user=self.request.user,
                start=data["start"],
                end=data["end"],
                scope=data["scope"],
                sections=data["sections"],
                title=data["title"],
                meeting=data["meeting"],
                audience=data.get("audience") or ReportPack.Audience.PUBLIC,
                texts=form.texts(),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return self.form_invalid(form)
        return redirect("dashboards:report-detail", pk=pack.pk)


class ReportPackDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = REPORT_MAKERS
    template_name = "dashboards/reports/pack_detail.html"
    context_object_name = "pack"
    model = ReportPack

    def get_object(self, queryset=None):
        services.report_packs_fail_stuck()  # a lost pack says so here, even without beat
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pack = self.object
        context["downloads"] = [
            {
                "format": fmt,
                "label": label,
                "size": getattr(pack, field).size,
                "name": services.file_name(pack, fmt),
            }
            for fmt, (field, label) in DOWNLOADS.items()
            if pack.status == ReportPack.Status.DONE and getattr(pack, field)
        ]
        context["expires_on"] = services.report_pack_expires_on(pack)
        context["retention_period"] = period(services.report_pack_retention_days())
        context["in_progress"] = pack.status in (
            ReportPack.Status.QUEUED,
            ReportPack.Status.RUNNING,
        )
        return context


class ReportPackDownloadView(RoleRequiredMixin, View):
    allowed_roles = REPORT_MAKERS

    def get(self, request, pk: int, fmt: str):
        pack = get_object_or_404(ReportPack, pk=pk)
        if fmt not in DOWNLOADS or pack.status != ReportPack.Status.DONE:
            raise Http404("This pack has no such file.")
        file = getattr(pack, DOWNLOADS[fmt][0])
        if not file:
            raise Http404("This pack has no such file.")
        try:
            handle = file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file of this pack is no longer stored.") from error
        return FileResponse(handle, as_attachment=True, filename=services.file_name(pack, fmt))
