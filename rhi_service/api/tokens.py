"""API tokens: made, looked up and revoked here, whatever endpoint a token is for.

A token is 32 random bytes, so a plain sha256 of it is enough to store: there is nothing to guess.
Each endpoint names the scope it needs; a new endpoint adds its scope to SCOPES.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models.api_tokens import ApiToken
from ..models.base import utcnow

PREFIX = "rhi_"
SCOPES = {
    "rhis:write": "Send RHIs for children their authority placed with us",
    "intelligence:read": "Read approved intelligence summaries sent to their police force",
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(organisation, name: str, scopes: list[str], actor) -> tuple[ApiToken, str]:
    """The new token and its secret, which is shown once and never stored. The caller commits."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation_id=organisation.id,
        name=name.strip(),
        token_hash=hash_token(secret),
        token_prefix=secret[: len(PREFIX) + 6],
        scopes=sorted(set(scopes)),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(token)
    audit.record("api_token_created", actor=actor, api_token=token.id, organisation=organisation.id)
    return token, secret


def revoke(token: ApiToken, actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = getattr(actor, "id", None)
        audit.record("api_token_revoked", actor=actor, api_token=token.id, organisation=token.organisation_id)


def from_header(header: str | None) -> ApiToken | None:
    """The active token an Authorization header carries, or None."""
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    digest = hash_token(secret)
    token = db.session.execute(select(ApiToken).where(ApiToken.token_hash == digest)).scalar_one_or_none()
    # The lookup is by hash already; comparing again in constant time costs nothing.
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    return token


def organisation_tokens() -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())).scalars())
