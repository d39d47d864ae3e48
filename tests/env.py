"""Loaded before Django (pytest -p tests.env): safe test defaults, never production secrets."""

import os

os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop; the live server's database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
# The suite's file tests look at MEDIA_ROOT on disk; tests/dbstorage/ switch to the database storage.
os.environ.setdefault("FILE_STORAGE", "local")
