"""The coordinator's pages: review of tags, themes, people and places, peer groups, repeat missing,
the daily missing report and a child's timeline (issue 6)."""
from flask import Blueprint

bp = Blueprint("review", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
