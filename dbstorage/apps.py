"""Files kept in the shared database, so any app server can open a file another one saved."""

from django.apps import AppConfig


class DbStorageConfig(AppConfig):
    name = "dbstorage"
    verbose_name = "Stored files"
