"""API tokens on the administrator's screens (/admin/api-tokens): made for an organisation with the
scopes it needs, shown once, revoked when no longer needed."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import allow
from ..extensions import db
from ..forms.accounts import ConfirmForm
from ..forms.placements import ApiTokenForm
from ..models.api_tokens import ApiToken
from ..models.organisations import ADMIN, Organisation
from ..queries import accounts as account_queries
from . import tokens

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


@bp.route("/")
@allow(ADMIN)
def tokens_list():
    return render_template("api_tokens/tokens.html", tokens=tokens.organisation_tokens(), scopes=tokens.SCOPES, confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@allow(ADMIN)
def new_token():
    form = ApiTokenForm()
    # Only other organisations: our own staff sign in; they never need a token.
    form.organisation_id.choices = [("", "Select an organisation")] + [
        (str(o.id), f"{o.name} ({o.kind_label})") for o in account_queries.organisations() if not o.is_home
    ]
    form.scopes.choices = list(tokens.SCOPES.items())
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, uuid.UUID(form.organisation_id.data))
        if organisation is None:
            abort(404)
        token, secret = tokens.create(organisation, form.name.data, form.scopes.data, current_user)
        db.session.commit()
        return render_template("api_tokens/created.html", token=token, secret=secret, scopes=tokens.SCOPES)
    return render_template("api_tokens/token_form.html", form=form)


@bp.route("/<uuid:token_id>/revoke", methods=["POST"])
@allow(ADMIN)
def revoke(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    tokens.revoke(token, current_user)
    db.session.commit()
    flash(f"The token \u201c{token.name}\u201d has been revoked. Calls using it are refused from now on.", "success")
    return redirect(url_for("api_tokens.tokens_list"))
