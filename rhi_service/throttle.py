"""Sign-in throttling and temporary lock-out, per username and per address.

Counts only failed attempts, in Flask-Limiter's storage (memory by default, Redis when
RATELIMIT_STORAGE_URI is set, so that every worker shares the count).
"""
from __future__ import annotations

from limits import parse

from .extensions import limiter

PER_USERNAME = parse("10 per 15 minutes")
# Higher for an address: a whole office may sign in from one.
PER_ADDRESS = parse("50 per 15 minutes")
SCOPE = "sign-in-failures"


def _checks(username: str, address: str | None):
    yield PER_USERNAME, ("user", username.lower())
    if address:
        yield PER_ADDRESS, ("addr", address)


def is_locked(username: str, address: str | None) -> bool:
    strategy = limiter.limiter
    return any(not strategy.test(item, SCOPE, *key) for item, key in _checks(username, address))


def record_failure(username: str, address: str | None) -> None:
    strategy = limiter.limiter
    for item, key in _checks(username, address):
        strategy.hit(item, SCOPE, *key)


def unlock(username: str) -> None:
    limiter.limiter.clear(PER_USERNAME, SCOPE, "user", username.lower())
