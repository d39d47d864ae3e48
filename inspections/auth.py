"""Signed-in users and their permissions from the shared cache, so a cached page needs no query.

Every page asks who the user is and what they may do; with many readers that is most of the work
left once the page itself is cached. Entries are dropped whenever a user, group or permission
changes (signals below), so a removed role takes effect on the next request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 60 * 10
VERSION_KEY = "auth:version"


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def forget_everyone(**kwargs):
    """Drop every cached user and permission set (any auth change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with get_user and the permission sets read through the shared cache."""

    def get_user(self, user_id):
        key = f"auth:{_version()}:user:{user_id}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, TIMEOUT)
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perm_cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, perm_cache_name):
            key = f"auth:{_version()}:perms:{from_name}:{user_obj.pk}"
            perms = cache.get(key)
            if perms is None:
                perms = super()._get_permissions(user_obj, obj, from_name)
                cache.set(key, perms, TIMEOUT)
            setattr(user_obj, perm_cache_name, perms)
        return getattr(user_obj, perm_cache_name)


User = get_user_model()
for sender in (User, Group, Permission):
    post_save.connect(forget_everyone, sender=sender, dispatch_uid=f"auth-cache-save-{sender.__name__}")
    post_delete.connect(forget_everyone, sender=sender, dispatch_uid=f"auth-cache-delete-{sender.__name__}")
for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(forget_everyone, sender=through, dispatch_uid=f"auth-cache-m2m-{through.__name__}")
