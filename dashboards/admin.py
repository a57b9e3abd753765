"""Admin for the read side's own data: KPI targets (editable by admins, with the KPI's
definition from the registry beside it), DfE's benchmark figures (read-only: they come
from ``import_benchmarks``) and comparator groups."""

from django import forms
from django.contrib import admin

from .kpis import REGISTRY
from .models import BenchmarkFigure, ComparatorGroup, KpiTarget


class KpiTargetForm(forms.ModelForm):
    kpi_key = forms.ChoiceField(label="KPI", choices=())

    class Meta:
        model = KpiTarget
        fields = ["kpi_key", "target_value", "target_date", "amber_margin", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi_key"].choices = [
            (key, f"{definition.label} ({key})") for key, definition in REGISTRY.items()
        ]


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    form = KpiTargetForm
    list_display = ["kpi_key", "label", "target_value", "unit", "target_date", "amber_margin"]
    readonly_fields = ["definition", "direction"]
    search_fields = ["kpi_key", "notes"]

    @admin.display(description="KPI")
    def label(self, obj):
        definition = REGISTRY.get(obj.kpi_key)
        return definition.label if definition else "(not a registered KPI)"

    @admin.display(description="unit")
    def unit(self, obj):
        definition = REGISTRY.get(obj.kpi_key)
        return definition.unit if definition else ""

    @admin.display(description="definition")
    def definition(self, obj):
        definition = REGISTRY.get(obj.kpi_key)
        return definition.definition if definition else ""

    @admin.display(description="better when")
    def direction(self, obj):
        definition = REGISTRY.get(obj.kpi_key)
        if definition is None or definition.higher_is_better is None:
            return "neither (no RAG)"
        return "higher" if definition.higher_is_better else "lower"


@admin.register(BenchmarkFigure)
class BenchmarkFigureAdmin(admin.ModelAdmin):
    list_display = ["time_period", "geographic_level", "area_name", "measure", "value", "symbol"]
    list_filter = ["time_period", "geographic_level", "measure"]
    search_fields = ["area_name", "old_la_code", "area_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
