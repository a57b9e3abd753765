"""The council's starting theme list with keyword rules, and an exit record for every
leaver already recorded (idempotent: runs again harmlessly)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from exits.choices import DEFAULT_THEMES

    ExitTheme = apps.get_model("exits", "ExitTheme")
    ExitRecord = apps.get_model("exits", "ExitRecord")
    Employment = apps.get_model("workforce", "Employment")
    for index, (name, keywords) in enumerate(DEFAULT_THEMES, start=1):
        ExitTheme.objects.get_or_create(
            name=name, defaults={"keywords": keywords, "sort_order": index * 10}
        )
    missing = Employment.objects.filter(end_date__isnull=False, exit_record__isnull=True)
    ExitRecord.objects.bulk_create(
        [ExitRecord(employment_id=pk) for pk in missing.values_list("pk", flat=True)],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exits", "0001_exit_records_questionnaires_themes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
