"""Service navigation by role: each audience sees only the places it may go."""
from __future__ import annotations

from flask import request, url_for

from .models.organisations import ADMIN, COORDINATOR, INTERVIEWER, MANAGER, PLACING_AUTHORITY, POLICE

# (label, endpoint) per role; later work adds its own pages here.
ITEMS = {
    INTERVIEWER: [("My RHIs", "interviews.my_rhis")],
    COORDINATOR: [("Today", "home.coordinator"), ("RHIs", "interviews.rhis_list"), ("Children", "records.children"),
                  ("Themes", "review.themes"), ("People and places", "review.people_and_places"),
                  ("Placed by other LAs", "placements.requests_list"), ("Intelligence", "intelligence.summaries")],
    MANAGER: [("Today", "home.coordinator"), ("RHIs", "interviews.rhis_list"), ("Sign off", "guided.sign_off_list"),
              ("Children", "records.children"), ("Themes", "review.themes"),
              ("People and places", "review.people_and_places"), ("Placed by other LAs", "placements.requests_list"),
              ("Intelligence", "intelligence.summaries"), ("Audit log", "audit_log.events")],
    POLICE: [("Intelligence", "police.inbox")],
    PLACING_AUTHORITY: [("Your children", "partner.index")],
    ADMIN: [("Accounts", "admin.users"), ("Organisations", "admin.organisations"), ("API tokens", "api_tokens.tokens_list"),
            ("Audit log", "audit_log.events")],
}


def items_for(user) -> list[dict]:
    items = []
    for label, endpoint in ITEMS.get(user.role, []):
        href = url_for(endpoint)
        active = request.endpoint == endpoint or (
            request.endpoint is not None and request.endpoint.split(".")[0] == endpoint.split(".")[0]
            and endpoint != "home.coordinator" and not request.endpoint.startswith("home.")
            # the coordinator's pages share a blueprint but are separate places in the navigation
            and not endpoint.startswith("review.")
        )
        items.append({"text": label, "href": href, "active": active})
    return items


def first_page(user) -> str:
    return url_for(ITEMS[user.role][0][1])
