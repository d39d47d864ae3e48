"""Create the four roles as groups: viewer, analyst, editor, admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_MODELS = [
    "council", "statisticalneighbour", "region", "grade", "gradescale", "judgementarea", "framework",
    "frameworkarea", "event", "judgement", "recommendation", "recommendationupdate",
]
EDIT_MODELS = ["event", "judgement", "recommendation", "recommendationupdate"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app, codenames):
        found = list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in found}
        assert not missing, f"missing permissions: {missing}"
        return found

    view = perms("inspections", [f"view_{m}" for m in VIEW_MODELS])
    export = perms("inspections", ["export_data"])
    edit = perms(
        "inspections",
        ["enter_results"] + [f"{a}_{m}" for m in EDIT_MODELS for a in ("add", "change", "delete")],
    )
    manage = perms("inspections", ["manage_users"]) + perms(
        "auth", ["view_user", "add_user", "change_user", "delete_user", "view_group"]
    ) + perms("inspections", ["add_council", "change_council", "delete_council"])

    roles = {
        "viewer": view,
        "analyst": view + export,
        "editor": view + export + edit,
        "admin": view + export + edit + manage,
    }
    for name, granted in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(granted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "analyst", "editor", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
