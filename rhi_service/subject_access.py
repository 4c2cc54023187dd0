"""A subject-access export: everything held about one child, for a manager to review and send."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort
from flask_login import current_user

from . import audit, retention
from .access import allow
from .extensions import db
from .models.children import Child
from .models.organisations import MANAGER

bp = Blueprint("subject_access", __name__)


@bp.route("/children/<uuid:child_id>/subject-access.json")
@allow(MANAGER)
def export(child_id):
    child = db.session.get(Child, child_id)
    if child is None or child.organisation_id != current_user.organisation_id:
        abort(404)
    data = retention.export(child.id)
    audit.record("subject_access_exported", child=child.id)
    db.session.commit()
    response = Response(json.dumps(data, indent=2, ensure_ascii=False, default=str), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="subject-access-{child.id}.json"'
    return response
