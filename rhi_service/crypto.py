"""The encrypted text column every narrative field uses.

Fernet (AES-128-CBC with HMAC) from `cryptography`. Several keys may be configured, newest first:
new values are always written with the first, and any of them decrypts, so keys can be rotated by
re-encrypting in the background of normal work.
"""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

_fernet: MultiFernet | None = None


def configure(keys: list[str]) -> None:
    global _fernet
    if not keys:
        raise ValueError("at least one encryption key is needed")
    _fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def _require() -> MultiFernet:
    if _fernet is None:
        raise RuntimeError("crypto.configure() has not been called: create the app first")
    return _fernet


def encrypt(value: str) -> str:
    return _require().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _require().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # a wrong or missing key must never look like empty text
        raise RuntimeError("an encrypted value could not be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored value with the newest key."""
    return _require().rotate(token.encode("ascii")).decode("ascii")


def encrypt_bytes(data: bytes) -> bytes:
    """For files kept on disk (photos, received RHIs): the same keys as the columns."""
    return _require().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _require().decrypt(token)
    except InvalidToken as exc:
        raise RuntimeError("a stored file could not be decrypted with the configured keys") from exc


def rotate_bytes(token: bytes) -> bytes:
    return _require().rotate(token)


class EncryptedText(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(value)
