"""Time-based one-time codes (TOTP) and one-time recovery codes."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets

import pyotp
import segno

RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    # An image, not inline SVG markup, so the Content-Security-Policy needs no inline styles.
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def verify_code(secret: str | None, code: str) -> bool:
    digits = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(digits) != 6:
        return False
    # One step either side allows for a tablet clock that is a little out.
    return pyotp.TOTP(secret).verify(digits, valid_window=1)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace(" ", "").encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """(codes to show once, hashes to keep)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    return codes, [_hash(code) for code in codes]


def use_recovery_code(hashes: list[str] | None, code: str) -> list[str] | None:
    """The remaining hashes when the code matches one (which is then used up), otherwise None."""
    candidate = _hash(code)
    for stored in hashes or []:
        if hmac.compare_digest(stored, candidate):
            return [h for h in hashes if h != stored]
    return None
