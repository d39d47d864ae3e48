"""One row per stored file: the whole file's bytes, written once and never changed in place."""

from django.db import models
from django.utils import timezone


class StoredFileQuerySet(models.QuerySet):
    def without_content(self):
        """Everything but the bytes: for existence, size and listing, which must not load whole files."""
        return self.defer("content")


class StoredFile(models.Model):
    """A file saved through `dbstorage.storage.DatabaseStorage`, named as Django's FileFields name it."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.size} bytes)"
