"""Django's Storage API over the database the app servers already share.

Behind a load balancer an upload saved by one server must open on another; keeping the bytes in
PostgreSQL needs nothing new to run, and a file saved inside a transaction that rolls back is gone
with it. Files are written whole (reports are at most REPORT_UPLOAD_MAX_BYTES) and never changed in
place, so the modified time is the time the file was saved. Files are not served by URL: views
open them and check the reader's role first.
"""

import mimetypes

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

# Two servers saving the same name at once: the loser picks another free name this many times.
_NAME_RETRIES = 5


@deconstructible(path="dbstorage.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """Files as rows of `dbstorage.StoredFile`; read-only once saved (open for reading only)."""

    def _rows(self):
        from .models import StoredFile  # the storage is built before the app registry is ready

        return StoredFile.objects

    def _save(self, name, content):
        if hasattr(content, "seek") and getattr(content, "seekable", lambda: True)():
            content.seek(0)
        data = b"".join(content.chunks())
        content_type = getattr(content, "content_type", None) or mimetypes.guess_type(name)[0] or ""
        for _attempt in range(_NAME_RETRIES):
            try:
                with transaction.atomic():
                    self._rows().create(name=name, content=data, size=len(data), content_type=content_type)
                return name
            except IntegrityError:
                # Another server took the name since get_available_name() looked: take the next free one.
                name = self.get_available_name(name)
        raise OSError(f"Could not find a free name to store {name!r}.")

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Files in the database are written with save(), not opened for writing.")
        row = self._rows().filter(name=name).values_list("content", flat=True).first()
        if row is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return ContentFile(bytes(row), name=name)

    def exists(self, name):
        return self._rows().filter(name=name).exists()

    def delete(self, name):
        if name:
            self._rows().filter(name=name).delete()

    def size(self, name):
        size = self._rows().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return size

    def get_created_time(self, name):
        created = self._rows().filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(f"No stored file named {name!r}.")
        return created

    def get_modified_time(self, name):
        return self.get_created_time(name)

    def get_accessed_time(self, name):
        return self.get_created_time(name)

    def listdir(self, path):
        """(folders, files) directly inside `path`, as FileSystemStorage answers for a folder on disk."""
        prefix = path.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        folders, files = set(), []
        for name in self._rows().filter(name__startswith=prefix).values_list("name", flat=True):
            rest = name[len(prefix) :]
            head, sep, _tail = rest.partition("/")
            if sep:
                folders.add(head)
            else:
                files.append(rest)
        return sorted(folders), sorted(files)

    def url(self, name):
        raise NotImplementedError("Stored files are not served by URL; a view opens them after checking the role.")

    def path(self, name):
        raise NotImplementedError("Files in the database have no path on disk; open them through the storage.")
