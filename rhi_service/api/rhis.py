"""POST /api/v1/rhis: an RHI sent by a placing authority's own system."""
from __future__ import annotations

import uuid
from datetime import date, time

from flask import g, request

from .. import access
from ..extensions import db
from ..forms.fields import london_to_utc
from ..models.children import Child
from ..models.placements import VIA_API, RhiRequest
from ..placements import uploads
from ..queries import accounts as account_queries
from ..queries import placements as queries
from . import bp, needs_scope, problem

MAX_TEXT = 200_000
FIELDS = {"child", "request_id", "interview", "external_reference"}
CHILD_FIELDS = {"id", "first_name", "last_name", "date_of_birth"}
INTERVIEW_FIELDS = {"held_on", "interviewer_name", "text"}


class Problems:
    def __init__(self):
        self.items: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})


def _uuid(value, field: str, problems: Problems):
    if not isinstance(value, str):
        problems.add(field, "must be a string holding an id (a UUID)")
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        problems.add(field, "must be an id (a UUID) such as 3fa85f64-5717-4562-b3fc-2c963f66afa6")
        return None


def _date(value, field: str, problems: Problems, today: date):
    if not isinstance(value, str):
        problems.add(field, "must be a date written as YYYY-MM-DD")
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        problems.add(field, "must be a real date written as YYYY-MM-DD")
        return None
    if len(value) != 10:
        problems.add(field, "must be a date written as YYYY-MM-DD")
        return None
    if parsed > today:
        problems.add(field, "must be today or in the past")
        return None
    return parsed


def _text(value, field: str, problems: Problems, limit: int, required: bool = False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(field, "is required and must be text" if required else "must be text")
        return None
    if len(value) > limit:
        problems.add(field, f"must be {limit:,} characters or fewer")
        return None
    return value


def _unknown(body: dict, allowed: set, prefix: str, problems: Problems) -> None:
    for name in sorted(set(body) - allowed):
        problems.add(f"{prefix}{name}", "is not a field this endpoint accepts")


def validate(body, today: date) -> tuple[dict, list[dict]]:
    """The submission made plain, and a problem for every malformed field (all of them, not the first)."""
    problems = Problems()
    clean: dict = {}
    if not isinstance(body, dict):
        problems.add("(body)", "must be a JSON object")
        return clean, problems.items
    _unknown(body, FIELDS, "", problems)

    child = body.get("child")
    if "request_id" in body:
        clean["request_id"] = _uuid(body["request_id"], "request_id", problems)
    if child is None and "request_id" not in body:
        problems.add("child", "is required unless request_id is given")
    elif child is not None and not isinstance(child, dict):
        problems.add("child", "must be an object with id, or first_name, last_name and date_of_birth")
    elif isinstance(child, dict):
        _unknown(child, CHILD_FIELDS, "child.", problems)
        if "id" in child:
            clean["child_id"] = _uuid(child["id"], "child.id", problems)
        else:
            clean["first_name"] = _text(child.get("first_name"), "child.first_name", problems, 100, required=True)
            clean["last_name"] = _text(child.get("last_name"), "child.last_name", problems, 100, required=True)
            if "date_of_birth" not in child:
                problems.add("child.date_of_birth", "is required when the child is named rather than given by id")
            else:
                clean["date_of_birth"] = _date(child["date_of_birth"], "child.date_of_birth", problems, today)

    interview = body.get("interview")
    if not isinstance(interview, dict):
        problems.add("interview", "is required and must be an object with at least text")
    else:
        _unknown(interview, INTERVIEW_FIELDS, "interview.", problems)
        clean["text"] = _text(interview.get("text"), "interview.text", problems, MAX_TEXT, required=True)
        if "held_on" in interview:
            clean["held_on"] = _date(interview["held_on"], "interview.held_on", problems, today)
        clean["interviewer_name"] = _text(interview.get("interviewer_name"), "interview.interviewer_name", problems, 200)

    if "external_reference" in body:
        clean["external_reference"] = _text(body["external_reference"], "external_reference", problems, 100, required=True)
    return clean, problems.items


def _answer(upload, status_code: int):
    body = {
        "id": str(upload.id),
        "status": "awaiting_match" if upload.child_id is None else "filed",
        "child_id": str(upload.child_id) if upload.child_id else None,
        "request_id": str(upload.request_id) if upload.request_id else None,
        "received_at": upload.received_at.isoformat(),
        "external_reference": upload.external_reference,
    }
    return body, status_code


@bp.route("/rhis", methods=["POST"])
@access.public
@needs_scope("rhis:write")
def create_rhi():
    token = g.api_token
    if not request.is_json:
        return problem(415, "unsupported_media_type", "Send the RHI as JSON with Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        return problem(400, "invalid_json", "The body is not valid JSON", errors=[{"field": "(body)", "message": "must be valid JSON"}])
    from ..models.base import utcnow

    clean, errors = validate(body, utcnow().date())
    if errors:
        return problem(400, "invalid_request", "Some fields are missing or malformed: see errors", errors=errors)

    authority_id = token.organisation_id
    reference = clean.get("external_reference")
    if reference:
        existing = uploads.find_existing(authority_id, reference)
        if existing is not None:
            return _answer(existing, 200)

    rhi_request = child = None
    named = None
    if clean.get("request_id"):
        rhi_request = db.session.get(RhiRequest, clean["request_id"])
        if rhi_request is None or rhi_request.placing_authority_id != authority_id or rhi_request.child.placing_authority_id != authority_id:
            return problem(404, "not_found", "No request to your authority has that id", errors=[{"field": "request_id", "message": "was not found"}])
        child = rhi_request.child
    if clean.get("child_id"):
        child = db.session.get(Child, clean["child_id"])
        if child is None or child.placing_authority_id != authority_id:
            return problem(404, "not_found", "No child placed with us by your authority has that id",
                           errors=[{"field": "child.id", "message": "was not found"}])
        if rhi_request is not None and rhi_request.child_id != child.id:
            return problem(400, "invalid_request", "The request is about a different child",
                           errors=[{"field": "child.id", "message": "does not match the child of request_id"}])
    elif rhi_request is None:
        named = {"first_name": clean["first_name"], "last_name": clean["last_name"], "date_of_birth": clean["date_of_birth"]}
        matches = queries.partner_children_matching(authority_id, named["first_name"], named["last_name"], named["date_of_birth"])
        # One exact match is filed with that child; none or several wait for a coordinator to match.
        child = matches[0] if len(matches) == 1 else None

    if child is not None:
        organisation_id = child.organisation_id
    else:
        home = account_queries.home_organisation()
        if home is None:
            return problem(503, "unavailable", "The service is not set up to receive RHIs yet")
        organisation_id = home.id
    held_at = london_to_utc(clean["held_on"], time(12, 0)) if clean.get("held_on") else None
    sender = uploads.Sender(via=VIA_API, organisation_id=authority_id, api_token=token)
    upload = uploads.receive_text(
        clean["text"], sender, organisation_id=organisation_id, child=child, request=rhi_request, named=named,
        interview_held_at=held_at, interviewer_name=clean.get("interviewer_name"), external_reference=reference,
    )
    return _answer(upload, 201)
