"""Report files in storage: written whole or not at all, with a sentence for a full disk."""

import contextlib
import errno

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# No room: a full disk, a quota, or a file-size limit.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NO_ROOM_MESSAGE = (
    "There is no room to store the report on the server just now, so nothing was saved. "
    "Try again later, and tell an administrator if it keeps happening."
)


def store_bytes(name, data):
    """Save `data` under `name` (or a free name like it); returns the name used.

    Raises ValidationError with a plain sentence when storage is full or refuses the file; a
    partly written file is removed first, so nothing half-written is left behind."""
    try:
        return default_storage.save(name, ContentFile(data))
    except OSError as error:
        remove(name)
        if error.errno in _NO_ROOM:
            raise ValidationError(NO_ROOM_MESSAGE) from error
        raise ValidationError(
            "The report could not be stored on the server, so nothing was saved. Try again later."
        ) from error


def read_bytes(name):
    """The bytes of a stored file; raises ValidationError when it has gone."""
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        raise ValidationError("The report's file has gone from storage. Upload or fetch the report again.") from None


def remove(name):
    """Delete a stored file if it is there (never fails)."""
    if name:
        with contextlib.suppress(OSError, ValueError):
            default_storage.delete(name)
