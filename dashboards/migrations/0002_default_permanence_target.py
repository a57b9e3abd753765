"""The council's 85% permanence target (Surrey and Kent papers), editable by admins."""

from decimal import Decimal

from django.db import migrations


def add_target(apps, schema_editor):
    KpiTarget = apps.get_model("dashboards", "KpiTarget")
    KpiTarget.objects.get_or_create(
        kpi_key="permanence_rate",
        defaults={
            "target_value": Decimal("85"),
            "amber_margin": Decimal("5"),
            "notes": "85% of social workers permanent (Surrey and Kent select committee papers).",
        },
    )


def remove_target(apps, schema_editor):
    apps.get_model("dashboards", "KpiTarget").objects.filter(kpi_key="permanence_rate").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_kpi_targets_and_benchmarks")]
    operations = [migrations.RunPython(add_target, remove_target)]
