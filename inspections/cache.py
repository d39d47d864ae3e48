"""A data version shared by every worker: cached output is keyed by it, so any change invalidates it."""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "inspections:data-version"


def data_version():
    """The current data version (a string); stored in the shared cache so every worker agrees."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version():
    """Mark all cached output stale; deferred to commit so readers never cache pre-commit data."""

    def bump():
        cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)

    bump()
    transaction.on_commit(bump)


def cached(name, builder, *parts, timeout=60 * 60):
    """Return `builder()` cached under `name` and `parts` for the current data version."""
    key = ":".join(["inspections", name, data_version(), *[str(p) for p in parts]])
    value = cache.get(key)
    if value is None:
        value = builder()
        cache.set(key, value, timeout=timeout)
    return value
