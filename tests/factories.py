"""Factories for fictional records. Phones in the 07700 900xxx drama range, postcodes in ZZ99."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

from rhi_service.extensions import db
from rhi_service.models.children import Child
from rhi_service.models.episodes import MissingEpisode
from rhi_service.models.organisations import LOCAL_AUTHORITY, POLICE_FORCE, SECOND_FACTOR_ROLES, Organisation, User
from rhi_service.passwords import hash_password

PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "TESTTOTPSECRETFORFACTORIES234567"
_password_hash = None
_counter = itertools.count(1)


def password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(PASSWORD)
    return _password_hash


def organisation(name: str | None = None, kind: str = LOCAL_AUTHORITY, is_home: bool = False) -> Organisation:
    org = Organisation(name=name or f"Test Authority {next(_counter)}", kind=kind, is_home=is_home)
    db.session.add(org)
    db.session.flush()
    return org


def standard_organisations() -> dict[str, Organisation]:
    return {
        "home": organisation("Testshire Council", is_home=True),
        "placing": organisation("Placing County Council"),
        "other_la": organisation("Elsewhere Borough Council"),
        "force": organisation("Testshire Police", kind=POLICE_FORCE),
        "other_force": organisation("Elsewhere Police", kind=POLICE_FORCE),
    }


def user(role: str, org: Organisation, username: str | None = None, **kwargs) -> User:
    number = next(_counter)
    if role in SECOND_FACTOR_ROLES and kwargs.pop("second_factor", True):
        kwargs.setdefault("totp_secret", TOTP_SECRET)
        kwargs.setdefault("totp_confirmed_at", datetime.now(timezone.utc))
    kwargs.pop("second_factor", None)
    account = User(
        username=username or f"{role}-{number}",
        full_name=kwargs.pop("full_name", f"Test {role.replace('_', ' ').title()} {number}"),
        role=role,
        organisation_id=org.id,
        password_hash=password_hash(),
        **kwargs,
    )
    db.session.add(account)
    db.session.flush()
    return account


def one_user_per_role(orgs: dict[str, Organisation]) -> dict[str, User]:
    return {
        "interviewer": user("interviewer", orgs["home"]),
        "coordinator": user("coordinator", orgs["home"]),
        "manager": user("manager", orgs["home"]),
        "admin": user("admin", orgs["home"]),
        "police": user("police", orgs["force"]),
        "placing_authority": user("placing_authority", orgs["placing"]),
    }


def child(org: Organisation, first_name: str = "Casey", last_name: str | None = None, **kwargs) -> Child:
    record = Child(
        organisation_id=org.id,
        date_of_birth=kwargs.pop("date_of_birth", date(2011, 5, 17)),
        sex=kwargs.pop("sex", "female"),
        legal_status=kwargs.pop("legal_status", "looked_after"),
        address=kwargs.pop("address", "4 Example Row, Testtown ZZ99 9ZZ"),
        **kwargs,
    )
    record.set_names(first_name, last_name or f"Testchild{next(_counter)}")
    db.session.add(record)
    db.session.flush()
    return record


def episode(child_record: Child, reported_missing_at: datetime | None = None, found_at: datetime | None = None, **kwargs) -> MissingEpisode:
    reported = reported_missing_at or datetime.now(timezone.utc) - timedelta(hours=30)
    record = MissingEpisode(
        organisation_id=child_record.organisation_id,
        child_id=child_record.id,
        reported_missing_at=reported,
        missing_from=kwargs.pop("missing_from", "care"),
        police_risk_grade=kwargs.pop("police_risk_grade", "medium"),
        found_at=found_at,
        **kwargs,
    )
    db.session.add(record)
    db.session.flush()
    return record


def rhi(child_record: Child, interviewer: User | None = None, found_at: datetime | None = None, **kwargs):
    """An RHI as a found episode makes it: the episode, then the RHI covering it."""
    from rhi_service.models.interviews import ReturnInterview
    from rhi_service.rules import due_at

    found = found_at or datetime.now(timezone.utc) - timedelta(hours=10)
    found_episode = episode(child_record, reported_missing_at=found - timedelta(hours=6), found_at=found)
    record = ReturnInterview(
        organisation_id=child_record.organisation_id,
        child_id=child_record.id,
        interviewer_id=interviewer.id if interviewer else None,
        found_at=found,
        due_at=kwargs.pop("due_at", due_at(found)),
        status=kwargs.pop("status", "awaiting_contact"),
        conducted_by=kwargs.pop("conducted_by", "us"),
        attempt_count=0,
        **kwargs,
    )
    db.session.add(record)
    found_episode.return_interview = record
    db.session.flush()
    return record


def contact_attempt(rhi_record, method: str = "phone", outcome: str = "no_answer", attempted_at: datetime | None = None,
                    with_whom: str = "child", **kwargs):
    from rhi_service.models.interviews import ContactAttempt

    record = ContactAttempt(
        organisation_id=rhi_record.organisation_id,
        return_interview_id=rhi_record.id,
        method=method,
        outcome=outcome,
        with_whom=with_whom,
        attempted_at=attempted_at or rhi_record.found_at + timedelta(hours=1 + len(rhi_record.attempts)),
        **kwargs,
    )
    db.session.add(record)
    rhi_record.attempt_count = (rhi_record.attempt_count or 0) + 1
    if rhi_record.status == "awaiting_contact":
        rhi_record.status = "contact_attempted"
    db.session.flush()
    db.session.refresh(rhi_record)
    return record


def placed_child(org: Organisation, placing: Organisation, **kwargs) -> Child:
    """A child of ours placed here by another authority."""
    return child(org, placing_authority_id=placing.id, **kwargs)


def rhi_request(child_record: Child, found_at: datetime | None = None, missing_hours: int = 6, actor: User | None = None):
    """A request to the child's placing authority, made as the episode save makes it."""
    from rhi_service.placements import requests

    found = found_at
    reported = (found or datetime.now(timezone.utc)) - timedelta(hours=missing_hours)
    found_episode = episode(child_record, reported_missing_at=reported, found_at=found)
    record = requests.note_episode(found_episode, actor)
    db.session.flush()
    return record


def api_token(org: Organisation, scopes: tuple[str, ...] = ("rhis:write",), name: str = "Case system link"):
    """A token and its secret, as an administrator makes them."""
    from rhi_service.api import tokens

    record, secret = tokens.create(org, name, list(scopes), None)
    db.session.flush()
    return record, secret


def profile_photo(child_record: Child):
    """A small fictional photo (a plain square) on the child's missing profile."""
    import io

    from PIL import Image

    from rhi_service.models.profiles import ChildPhoto
    from rhi_service.profiles import photos

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (90, 120, 160)).save(buffer, "JPEG")
    name = photos.new_name()
    photos.write(name, buffer.getvalue())
    record = ChildPhoto(organisation_id=child_record.organisation_id, child_id=child_record.id, stored_name=name,
                        content_type="image/jpeg", width=40, height=40, size_bytes=len(buffer.getvalue()))
    db.session.add(record)
    db.session.flush()
    return record


def police_ready_rhi(child_record: Child, text: str, consent_given: bool | None = True, rationale: str | None = None,
                     confirm: bool = True, question: str = "who_with"):
    """A submitted RHI with one tagged free-text answer, the child's answer on police sharing, and
    (by default) every asserted mention confirmed by a coordinator."""
    from rhi_service import analysis_store, consent
    from rhi_service.models.analysis import Mention
    from rhi_service.models.forms import Answer

    record = rhi(child_record, status="submitted")
    record.submitted_at = record.found_at
    db.session.add(Answer(organisation_id=record.organisation_id, form_code="interview", subject_id=record.id,
                          section_code="episode", question_code=question, kind="long_text", text_value=text))
    db.session.flush()
    analysis_store.retag_rhi(record)
    if consent_given is not None:
        consent.record(record, "police", consent_given, rationale, None)
    db.session.flush()
    if confirm:
        for mention in db.session.query(Mention).filter_by(rhi_id=record.id, context="asserted"):
            analysis_store.decide(mention, "confirmed", None)
    db.session.flush()
    return record


def intelligence_summary(rhi_record, author: User, force: Organisation | None, sent: bool = True, approver: User | None = None):
    """A summary drafted from `rhi_record` by `author`; sent to `force` (approved by `approver`) unless sent=False."""
    from rhi_service.intelligence import drafting
    from rhi_service.models.base import utcnow

    summary = drafting.draft_from_rhi(rhi_record, author)
    summary.force_id = force.id if force else None
    if sent:
        now = utcnow()
        summary.status, summary.approved_by_id, summary.approved_at, summary.sent_at = "sent", (approver or author).id, now, now
    db.session.flush()
    return summary
