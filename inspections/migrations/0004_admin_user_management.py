"""Let the admin role manage users in the Django admin: unlock sign-ins locked by django-axes and
read the admin's own log. Roles (groups) stay as 0003 made them: admins assign roles, they do not
redefine them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_PERMISSIONS = [
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
    ("admin", "view_logentry"),
    ("auth", "view_permission"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="admin")
    for app_label, codename in ADMIN_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="admin").first()
    if group is None:
        return
    for app_label, codename in ADMIN_PERMISSIONS:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_roles"),
        ("axes", "0010_accessattemptexpiration"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
