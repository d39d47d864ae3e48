"""Fixtures for the database storage: files kept in the test database, each server's disk a temporary folder."""

import pytest


@pytest.fixture
def db_files(settings, tmp_path):
    """Switch the default storage to the database; MEDIA_ROOT is an empty folder that must stay empty."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "dbstorage.storage.DatabaseStorage"}}
    settings.MEDIA_ROOT = tmp_path / "server-a"
    return settings


def files_under(folder):
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
