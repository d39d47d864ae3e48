"""Where sessions find their sign-in backend: the class lives with the rest of the caching scheme
(inspections/cache.py); this path stays because every session records it."""

from .cache import CachedModelBackend

__all__ = ["CachedModelBackend"]
