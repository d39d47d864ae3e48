"""Move files that an earlier single-machine run kept on local disk into the configured storage."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models


@dataclass
class MoveCounts:
    """What a move did: files copied, files already in storage, and names missing from the disk."""

    moved: int = 0
    already: int = 0
    missing: list = field(default_factory=list)


def file_names_in_use():
    """Every file name a FileField of any model holds, once each, sorted."""
    names = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                column = model_field.attname
                names.update(model._default_manager.exclude(**{column: ""}).values_list(column, flat=True))
    return sorted(name for name in names if name)


def files_move_to_storage(*, source_root, storage=None):
    """Copy each file in use from `source_root` on disk into `storage` (default: the configured one)
    under the same name, so no row changes. Safe to run again: a file already in storage is left
    alone. The files on disk are not removed (delete them once the service works from storage).
    Returns MoveCounts; raises OSError only when storage refuses a file."""
    storage = storage or default_storage
    disk = FileSystemStorage(location=source_root)
    counts = MoveCounts()
    for name in file_names_in_use():
        if storage.exists(name):
            counts.already += 1
            continue
        if not disk.exists(name):
            counts.missing.append(name)
            continue
        with disk.open(name, "rb") as handle:
            saved = storage.save(name, handle)
        if saved != name:  # only a storage that renames on its own (none of ours) would do this
            storage.delete(saved)
            raise OSError(f"Storage saved {name!r} as {saved!r}; nothing else was changed for it.")
        counts.moved += 1
    return counts
