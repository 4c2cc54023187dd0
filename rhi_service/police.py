"""Police (/police/...): approved intelligence summaries for their own force, nothing else."""
from __future__ import annotations

from flask import Blueprint, render_template

from .access import allow
from .models.organisations import POLICE

bp = Blueprint("police", __name__, url_prefix="/police")


@bp.route("/")
@allow(POLICE)
def inbox():
    return render_template("police/inbox.html")
