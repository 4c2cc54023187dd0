"""The audit log for managers (their organisation) and administrators (ids only)."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from . import audit
from .access import allow
from .extensions import db
from .models.organisations import ADMIN, MANAGER
from .queries import audit as audit_queries

bp = Blueprint("audit_log", __name__)


def _filters():
    args = request.args
    errors = {}

    def parse_date(name):
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = "Enter a date like 2026-11-23"
            return None

    user_id = None
    if args.get("user"):
        try:
            user_id = uuid.UUID(args["user"])
        except ValueError:
            errors["user"] = "Select a person from the list"
    date_from, date_to = parse_date("from"), parse_date("to")
    if date_from and date_to and date_to < date_from:
        errors["to"] = "The end date must be the same as or after the start date"
    child_name = (args.get("child") or "").strip()[:100]
    return {"user_id": user_id, "date_from": date_from, "date_to": date_to, "child": child_name}, errors


def _query(filters):
    # Administrators never read a child's record, so they cannot search by a child's name.
    organisation_id = None if current_user.role == ADMIN else current_user.organisation_id
    child_ids = None
    if filters["child"] and current_user.role == MANAGER:
        child_ids = audit_queries.child_ids_named(current_user.organisation_id, filters["child"])
    return audit_queries.events_query(organisation_id, filters["user_id"], child_ids, filters["date_from"], filters["date_to"])


@bp.route("/audit-log")
@allow(MANAGER, ADMIN)
def events():
    filters, errors = _filters()
    page = audit_queries.events_page(_query(filters), request.args.get("page", 1, type=int))
    users, children = audit_queries.names_for(page.items)
    people = audit_queries.users_for_filter(None if current_user.role == ADMIN else current_user.organisation_id)
    return render_template("audit_log/events.html", page=page, users=users, children=children, filters=filters,
                           errors=errors, people=people, args={k: v for k, v in request.args.items() if k != "page" and v})


@bp.route("/audit-log.csv")
@allow(MANAGER, ADMIN)
def export():
    filters, errors = _filters()
    rows = audit_queries.events_for_export(_query(filters))
    users, _ = audit_queries.names_for(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["entry", "at_utc", "user_id", "user_name", "action", "record_ids", "from_address", "hash"])
    for event in rows:
        actor = users.get(event.actor_id)
        writer.writerow([event.id, event.at.isoformat(), event.actor_id or "", actor.full_name if actor else "",
                         event.action, ";".join(f"{k}={v}" for k, v in sorted(event.record_ids.items())), event.remote_addr or "", event.hash])
    audit.record("audit_log_exported")
    db.session.commit()
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
