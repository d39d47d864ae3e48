"""Create one demo sign-in per role for local use, and print them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from inspections.roles import ADMIN, ROLES

DEMO_PASSWORD_SUFFIX = "-demo-pass"  # noqa: S105 (local demo sign-ins only, refused outside DEBUG)


class Command(BaseCommand):
    help = "Create (or reset) the demo users viewer, analyst, editor and admin; local use only."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("Demo users are for local runs: set DEBUG=1 (never in production).")
        User = get_user_model()
        lines = []
        for role in ROLES:
            group = Group.objects.get(name=role)
            user, _ = User.objects.get_or_create(username=role, defaults={"email": f"{role}@example.org"})
            user.set_password(f"{role}{DEMO_PASSWORD_SUFFIX}")
            user.is_staff = role == ADMIN
            user.is_superuser = False
            user.save()
            user.groups.set([group])
            lines.append(f"  {role:<8} username: {role:<8} password: {role}{DEMO_PASSWORD_SUFFIX}")
        if not options["quiet"]:
            self.stdout.write("Demo sign-ins (one per role):\n" + "\n".join(lines))
