"""JSON endpoints for other organisations' systems (/api/v1/...), described in openapi.yaml.

The views are declared @public to the site-wide guard, which leaves /api/ to this blueprint: every
view names the scope it needs with @needs_scope, and the guard below checks the bearer token before
the view runs. No cookies, no CSRF: a token is the only way in.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..access import public
from ..extensions import csrf, db
from ..models.base import utcnow
from . import tokens

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

OPENAPI = Path(__file__).with_name("openapi.yaml")
MAX_BODY_BYTES = 2 * 1024 * 1024


def problem(status: int, error: str, message: str, **extra):
    response = jsonify({"error": error, "message": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rhi-service"'
    return response


def needs_scope(scope: str):
    if scope not in tokens.SCOPES:
        raise ValueError(f"unknown scope {scope}")

    def decorate(view):
        view._api_scope = scope
        return view

    return decorate


@bp.before_request
def _guard():
    request.max_content_length = MAX_BODY_BYTES
    view = current_app.view_functions.get(request.endpoint)
    scope = getattr(view, "_api_scope", None)
    if scope is None:
        return None  # the description of the API, and answers for unknown addresses
    token = tokens.from_header(request.headers.get("Authorization"))
    if token is None:
        return problem(401, "unauthorised", "Send a valid API token: Authorization: Bearer <token>")
    if scope not in (token.scopes or []):
        return problem(403, "forbidden", f"This token may not do this: it needs the scope {scope}")
    token.last_used_at = utcnow()
    db.session.commit()
    g.api_token = token
    return None


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(413)
def _too_large(error):
    return problem(413, "too_large", f"The request must be smaller than {MAX_BODY_BYTES // (1024 * 1024)}MB")


@bp.errorhandler(405)
def _not_allowed(error):
    return problem(405, "method_not_allowed", "This address does not accept that method")


@bp.route("/openapi.yaml")
@public
def openapi():
    # Plain text, so a person can read it in a browser; it is YAML (OpenAPI 3.1).
    return Response(OPENAPI.read_text(), mimetype="text/plain")


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@public
def unknown(anything):
    return problem(404, "not_found", "There is nothing at this address")


from . import rhis  # noqa: E402,F401  (registers its routes on bp)
from . import intelligence  # noqa: E402,F401  (registers its routes on bp)
