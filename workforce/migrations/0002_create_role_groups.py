"""Roles are Django groups (see workforce/roles.py). Created here so every database has them."""

from django.db import migrations

ROLES = [
    "HR officer",
    "Service manager",
    "Director",
    "Scrutiny member",
    "Lead member",
    "Admin",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_workforce_core"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
