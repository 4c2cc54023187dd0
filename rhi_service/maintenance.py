"""Long-running housekeeping: re-encrypting with a new key, and SQLite backups."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Text, literal, select, type_coerce, update

from . import crypto
from .crypto import EncryptedText
from .extensions import db


def encrypted_columns():
    """(table, column) for every EncryptedText column of every model."""
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column


def rotate_encryption(batch_size: int = 500, progress=None) -> int:
    """Re-encrypt every stored value with the newest key; the old keys can then be retired.

    Reads the raw tokens (not decrypted values) so that nothing is ever held in plain text longer
    than one `rotate` call, and commits per batch so a long run can be stopped and resumed.
    """
    rotated = 0
    for table, column in encrypted_columns():
        primary_key = list(table.primary_key.columns)[0]
        # The stored token as text, bypassing the column type's decryption.
        token_column = type_coerce(column, Text())
        last = None
        while True:
            query = select(primary_key, token_column).where(column.isnot(None)).order_by(primary_key).limit(batch_size)
            if last is not None:
                query = query.where(primary_key > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for key, token in rows:
                db.session.execute(
                    update(table).where(primary_key == key).values({column.name: literal(crypto.rotate(token), Text())})
                )
                rotated += 1
            last = rows[-1][0]
            db.session.commit()
            if progress:
                progress(table.name, column.name, len(rows))
    from .models.placements import Upload
    from .models.profiles import ChildPhoto
    from .placements import storage
    from .profiles import photos
    for name, store, column in (("photo files", photos, ChildPhoto.stored_name), ("received files", storage, Upload.stored_name)):
        count = store.rotate(db.session.execute(select(column).where(column.isnot(None))).scalars().all())
        rotated += count
        if progress and count:
            progress(name, "file", count)
    return rotated


def backup_sqlite(database_path: str, target: str) -> Path:
    target_path = Path(target)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(database_path)
    destination = sqlite3.connect(target_path)
    try:
        # The online backup API copies a consistent snapshot even while the app is writing.
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target_path
