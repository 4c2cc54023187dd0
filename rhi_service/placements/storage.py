"""Received files on disk: under instance/uploads/, outside the web root, by generated names."""
from __future__ import annotations

from ..file_store import FileStore

_store = FileStore("RHI_UPLOAD_DIR", "uploads")
folder = _store.folder
new_name = _store.new_name
path_of = _store.path_of
write = _store.write
remove = _store.remove
read = _store.read
rotate = _store.rotate
