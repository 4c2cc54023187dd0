"""How Alembic writes our column types into migrations.

Migrations must not import application code that may change later, so the app's decorated types
are written as the plain SQL types they store.
"""
from __future__ import annotations


def render_item(type_, obj, autogen_context):
    from .crypto import EncryptedText
    from .models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    return False
