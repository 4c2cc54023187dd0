"""Files kept on disk outside the web root, under generated names (received RHIs, photos).

Encrypted with the encrypted columns' keys: what a child told us, or their face, is no safer in a
file than in a column, and a copied disk or backup must not give it away."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app

from . import crypto


class FileStore:
    """One folder under instance/ (or the folder a config key names)."""

    def __init__(self, config_key: str, subfolder: str):
        self.config_key = config_key
        self.subfolder = subfolder

    def folder(self) -> Path:
        path = Path(current_app.config.get(self.config_key) or Path(current_app.instance_path) / self.subfolder)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    @staticmethod
    def new_name() -> str:
        # Random, with no extension: nothing about the name says what the file is or whose it is.
        return secrets.token_hex(16)

    def path_of(self, stored_name: str) -> Path:
        if not stored_name or not stored_name.isalnum():
            raise ValueError("not a stored file name")
        return self.folder() / stored_name

    def write(self, stored_name: str, data: bytes) -> Path:
        """Encrypted, written under a temporary name, then renamed: a reader never sees half a file."""
        self._write_raw(stored_name, crypto.encrypt_bytes(data))
        return self.path_of(stored_name)

    def _write_raw(self, stored_name: str, data: bytes) -> Path:
        final = self.path_of(stored_name)
        partial = final.with_name(f".{stored_name}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return final

    def remove(self, stored_name: str) -> None:
        self.path_of(stored_name).unlink(missing_ok=True)

    def read(self, stored_name: str) -> bytes:
        return crypto.decrypt_bytes(self.path_of(stored_name).read_bytes())

    def rotate(self, stored_names) -> int:
        """Re-encrypt the named files with the newest key (`flask rotate-keys`); returns how many.
        Names come from the rows that hold them, so a stray file never stops a rotation."""
        count = 0
        for name in stored_names:
            path = self.path_of(name)
            if path.is_file():
                self._write_raw(name, crypto.rotate_bytes(path.read_bytes()))
                count += 1
        return count
