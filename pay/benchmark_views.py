"""Pay benchmarking pages under /pay/benchmarking/ (namespace ``pay``).

Who sees what: every role sees the comparison. Neighbours' ranges are public pay
scales and the council's own are its grade ranges on the published NJC spine - no one's
pay, no count of people - so councillors see it too (Surrey's select committee asked
for this benchmarking, seed 001 recommendation 1). Only admins load the figures.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from core.roles import ALL_ROLES, Role, RoleRequiredMixin, has_role
from dashboards.charts import chart_html, pay_range_chart
from workforce.models import Council

from .benchmark_forms import BenchmarkUploadForm, BenchmarkYearForm
from .benchmark_selectors import benchmark_comparison, benchmark_years
from .benchmark_services import pay_benchmarks_import
from .choices import BenchmarkRole

BENCHMARK_LOADERS = frozenset({Role.ADMIN})


def council_name() -> str:
    council = Council.objects.first()
    return council.name if council else "This council"


class BenchmarkView(RoleRequiredMixin, TemplateView):
    """The council's grade ranges among its neighbours' for each role, in a pay year."""

    allowed_roles = ALL_ROLES
    template_name = "pay/benchmarking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = benchmark_years()
        form = BenchmarkYearForm(self.request.GET or None, years=years)
        year = years[0] if years else None
        if form.is_bound:
            if not form.is_valid():
                context.update(form=form, years=years)
                return context
            year = form.cleaned_data["year"] or year
        name = council_name()
        rows = benchmark_comparison(pay_year=year, council_name=name) if year else []
        charts = []
        for n, row in enumerate(rows):
            import pandas as pd  # imported when used: it adds a second to every command's start

            df = pd.DataFrame(
                [
                    {
                        "council": f"{r.council} (this council)" if r.ours else r.council,
                        "minimum": r.minimum,
                        "maximum": r.maximum,
                        "ours": r.ours,
                    }
                    for r in row.ranges
                ]
            )
            title = f"{row.label}: pay ranges {year}"
            charts.append(chart_html(pay_range_chart(df, title=title), div_id=f"pay-range-{n}"))
        context.update(
            form=form, years=years, year=year, rows=list(zip(rows, charts, strict=True)),
            council=name, can_load=has_role(self.request.user, BENCHMARK_LOADERS),
        )  # fmt: skip
        return context


class BenchmarkUploadView(RoleRequiredMixin, FormView):
    """An admin loads neighbours' pay ranges from a CSV: all or nothing, every problem
    listed with its row."""

    allowed_roles = BENCHMARK_LOADERS
    form_class = BenchmarkUploadForm
    template_name = "pay/benchmark_upload.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roles=BenchmarkRole.choices, **kwargs)

    def form_valid(self, form):
        try:
            result = pay_benchmarks_import(
                data=form.cleaned_data["file"].read(), source=form.cleaned_data["source"]
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(form=form, problems=exc.messages))
        messages.success(
            self.request,
            f"{result.rows} pay range{'s' if result.rows != 1 else ''} loaded: "
            f"{result.created} added, {result.updated} replaced.",
        )
        return HttpResponseRedirect(reverse("pay:benchmarking"))
