"""The four roles (viewer, analyst, editor, admin) and the checks views use to enforce them."""

from functools import wraps

from django.core.exceptions import PermissionDenied

VIEWER, ANALYST, EDITOR, ADMIN = "viewer", "analyst", "editor", "admin"
ROLES = [VIEWER, ANALYST, EDITOR, ADMIN]

EXPORT = "inspections.export_data"
ENTER = "inspections.enter_results"
MANAGE_USERS = "inspections.manage_users"
# Restoring deleted records is an admin's job, like managing users: the same permission.
RESTORE = MANAGE_USERS


def capabilities(user):
    """What a user may do, as flags templates can show or hide links by (views still check)."""
    if user is None or not user.is_authenticated:
        return {"export": False, "edit": False, "manage_users": False}
    return {
        "export": user.has_perm(EXPORT),
        "edit": user.has_perm(ENTER),
        "manage_users": user.has_perm(MANAGE_USERS),
    }


def role_of(user):
    """The highest role a user holds, for display; read from the permissions Django has already
    loaded for `capabilities`, so it costs no query of its own."""
    if user.is_superuser or user.has_perm(MANAGE_USERS):
        return ADMIN
    if user.has_perm(ENTER):
        return EDITOR
    if user.has_perm(EXPORT):
        return ANALYST
    if user.has_perm("inspections.view_event"):
        return VIEWER
    return None


def permission_required(perm):
    """Decorator: the view answers 403 unless the signed-in user holds `perm`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
