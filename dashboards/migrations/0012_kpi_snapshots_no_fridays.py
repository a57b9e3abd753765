"""Fridays are no longer snapshot dates (nothing read them; ``dashboards.services``): the
stored weekly rows go, and the period choices lose "week"."""

from django.db import migrations, models


def drop_weekly_rows(apps, schema_editor):
    apps.get_model("dashboards", "KpiSnapshot").objects.filter(period="week").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0011_merge_paper_texts")]

    operations = [
        migrations.RunPython(drop_weekly_rows, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="kpisnapshot",
            name="period",
            field=models.CharField(
                choices=[("month_end", "Month end"), ("census", "Census date")], max_length=10
            ),
        ),
    ]
