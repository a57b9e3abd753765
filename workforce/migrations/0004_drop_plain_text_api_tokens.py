"""API tokens moved to django-rest-knox (hashed, expiring: issue 17). DRF's authtoken app
is no longer installed; its table held every token in plain text, so it is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0003_council"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
