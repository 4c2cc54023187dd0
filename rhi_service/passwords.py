"""Password hashing (argon2) and the strength check every new password passes."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn refuses longer input; the first 72 characters are plenty to judge a password by.
ZXCVBN_LIMIT = 72
_hasher = PasswordHasher()
# Verifying against this when the username is unknown takes as long as a real check, so response
# times do not tell which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def strength_problem(password: str, user_inputs: list[str] | None = None) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    result = zxcvbn(password[:ZXCVBN_LIMIT], user_inputs=[u[:ZXCVBN_LIMIT] for u in (user_inputs or []) if u])
    if result["score"] < 3:
        advice = result["feedback"].get("warning") or "add more words or characters"
        return f"Choose a password that is harder to guess: {advice.rstrip('.').lower()}"
    return None
