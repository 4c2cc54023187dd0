"""Who may use each route (../shared/ACCESS.md). Deny by default.

Every view declares its audience with @allow(...) or @public. The guard in `check_request` refuses
any endpoint without a declaration, so a forgotten decorator fails closed, and a test walks the
url_map to catch it before that. Audience prefixes back up the per-view check.
"""
from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from .models.organisations import ADMIN, COORDINATOR, INTERVIEWER, MANAGER, PLACING_AUTHORITY, POLICE

STAFF = (INTERVIEWER, COORDINATOR, MANAGER)
COORDINATORS = (COORDINATOR, MANAGER)

PUBLIC = "public"
# Routes open to any signed-in user whatever their role (sign-out, keeping the session alive).
SIGNED_IN = "signed_in"

# The audience each prefix belongs to: a police user can never reach /admin/, whatever a view says.
PREFIX_ROLES = {
    "/police/": {POLICE},
    "/partner/": {PLACING_AUTHORITY},
    "/admin/": {ADMIN},
}


def allow(*roles: str):
    if not roles:
        raise ValueError("allow() needs at least one role; use @public for open pages")

    def decorate(view):
        view._rhi_access = frozenset(roles)
        return view

    return decorate


def public(view):
    view._rhi_access = PUBLIC
    return view


def signed_in(view):
    view._rhi_access = SIGNED_IN
    return view


def passive(view):
    """A request to this view does not count as the person being active (the idle timeout)."""
    view._rhi_passive = True
    return view


def keeps_typing(rescue):
    """For pages where people type at length: a POST refused because they were signed out (or their
    form's token went stale when they signed in again elsewhere) is answered by `rescue()`, which
    shows back what they typed so nothing is lost. The rescue may use only what was posted."""

    def decorate(view):
        view._rhi_rescue = rescue
        return view

    return decorate


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def same_origin() -> bool:
    # Browsers send Origin with every POST; a page echoing posted text must only do it for our own.
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return origin.rstrip("/") == request.host_url.rstrip("/") or origin.startswith(request.host_url)


def rescue_response():
    """The rescue page for this request, or None when its view has none or the POST came from elsewhere."""
    if request.method != "POST" or request.endpoint is None:
        return None
    rescue = getattr(current_app.view_functions.get(request.endpoint), "_rhi_rescue", None)
    if rescue is None or not same_origin():
        return None
    return rescue()


def declaration(endpoint: str):
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    return getattr(view, "_rhi_access", None)


def _unauthenticated():
    if request.path.startswith("/api/"):
        return jsonify({"error": "authentication required"}), 401
    if wants_json():
        return jsonify({"status": "signed_out", "sign_in_url": url_for("accounts.sign_in")}), 401
    rescued = rescue_response()
    if rescued is not None:
        return rescued
    return redirect(url_for("accounts.sign_in", next=request.full_path if request.query_string else request.path))


def check_request():
    """before_request hook: returns a response to stop the request, or None to let it through."""
    if request.endpoint is None:
        return None  # 404 or 405 from routing; nothing to protect
    rule = declaration(request.endpoint)
    if rule is None:
        current_app.logger.error("route %s declares no access rule: refused", request.endpoint)
        abort(403)
    if rule == PUBLIC:
        return None
    if request.path.startswith("/api/"):
        return None  # the API authenticates by token in its own blueprint guard
    if not current_user.is_authenticated:
        return _unauthenticated()
    for prefix, roles in PREFIX_ROLES.items():
        if request.path.startswith(prefix) and current_user.role not in roles:
            abort(403)
    if rule == SIGNED_IN:
        return None
    if current_user.role not in rule:
        abort(403)
    if current_user.must_change_password and request.endpoint not in ("accounts.change_password", "accounts.sign_out"):
        return redirect(url_for("accounts.change_password"))
    return None


def same_organisation_or_404(record) -> None:
    """Records of another organisation answer "Page not found" so ids cannot be probed."""
    if record is None or getattr(record, "organisation_id", None) != current_user.organisation_id:
        abort(404)

