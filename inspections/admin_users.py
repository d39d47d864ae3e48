"""The Django admin's user pages, safe for the admin role: an admin assigns roles (groups) but
cannot make anyone a superuser, grant permissions outside the roles, or touch a superuser.

Registered from tracker/urls.py (next to the admin site it changes)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()


class RoleSafeUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role_names", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]

    @admin.display(description="Roles")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "none"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:
            # Otherwise an admin could reset a superuser's password and become one.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RoleSafeUserAdmin)
