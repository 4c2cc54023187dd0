"""Reading an uploaded file and the interview date from the upload forms, for both audiences."""
from __future__ import annotations

from datetime import datetime, time

from werkzeug.datastructures import FileStorage

from ..forms.fields import london_to_utc
from ..models.base import utcnow
from .files import MAX_BYTES, TOO_BIG


def read_posted_file(field) -> tuple[bytes | None, str | None]:
    """The file's bytes and name, or (None, None) with the field's error set. Reads one byte past the
    limit, never the whole of an oversized file."""
    storage = field.data
    if not isinstance(storage, FileStorage) or not storage.filename:
        field.errors.append("Select the RHI file")
        return None, None
    data = storage.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        field.errors.append(TOO_BIG)
        return None, None
    # Only the last part of the name: browsers on some systems send the whole path.
    name = storage.filename.replace("\\", "/").rsplit("/", 1)[-1]
    return data, name


def held_at_from(field) -> datetime | None | bool:
    """The interview date as midday London time (a date alone has no hour), None when left blank, or
    False with the field's error set."""
    if field.data is None:
        return None
    if field.data > utcnow().date():
        field.errors.append("The date of the interview must be today or in the past")
        return False
    return london_to_utc(field.data, time(12, 0))
