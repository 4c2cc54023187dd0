"""GET /api/v1/intelligence: approved summaries sent to the token's own force, for police systems.

The same lookups as the police pages, so a token sees exactly what its force's officers see:
statements the coordinator included, never a passage of the child's account.
"""
from __future__ import annotations

from flask import g, jsonify, request

from .. import access
from ..extensions import db
from ..intelligence.records import record
from ..queries import intelligence as queries
from . import bp, needs_scope, problem

PAGE_LIMIT = 100


def _body(summary) -> dict:
    return {
        "id": str(summary.id),
        "reference": summary.reference,
        "from": summary.organisation.name,
        "subject": summary.subject,
        "episode_date": summary.episode_date.isoformat() if summary.episode_date else None,
        "episode_place": summary.episode_place,
        "grading": {"source_evaluation": summary.source_evaluation, "intelligence_evaluation": summary.intelligence_evaluation,
                    "handling_code": summary.handling_code,
                    "handling_conditions": summary.handling_conditions if summary.handling_code == "C" else None},
        "statements": [{"kind": s.kind, "text": s.text,
                        **({"entity": {"label": s.entity_label, "normalized": s.entity_normalized}} if s.entity_label else {})}
                       for s in summary.included],
        "sent_at": summary.sent_at.isoformat(),
        "acknowledged_at": summary.acknowledged_at.isoformat() if summary.acknowledged_at else None,
        "police_reference": summary.police_reference,
    }


@bp.route("/intelligence")
@access.public
@needs_scope("intelligence:read")
def intelligence_list():
    status = request.args.get("status", "all")
    if status not in queries.POLICE_STATUSES:
        return problem(400, "invalid_request", "status must be new, acknowledged or all",
                       errors=[{"field": "status", "message": "must be new, acknowledged or all"}])
    page = queries.police_page(g.api_token.organisation_id, status, "any", [], "newest",
                               request.args.get("page", 1, type=int) or 1)
    return jsonify({"items": [_body(s) for s in page.items], "page": page.page, "pages": page.pages, "total": page.total})


@bp.route("/intelligence/<uuid:summary_id>")
@access.public
@needs_scope("intelligence:read")
def intelligence_one(summary_id):
    summary = queries.police_summary(summary_id, g.api_token.organisation_id)
    if summary is None:
        return problem(404, "not_found", "No summary sent to your force has that id")
    record("intelligence_viewed", summary, api_token=g.api_token.id)
    db.session.commit()
    return jsonify(_body(summary))
