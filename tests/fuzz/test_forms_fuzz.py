"""Arbitrary text thrown at every form, filter and JSON endpoint, with exceptions propagating.

Each answer must be a page, a redirect or a clear 4xx; never a crash, and never our marker markup
echoed back unescaped. Routes are read from the url_map, so new forms are fuzzed without a change here.
"""
from __future__ import annotations

import re
import uuid

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhi_service.access import PUBLIC, SIGNED_IN, declaration
from tests import factories
from tests.conftest import sign_in_client

pytestmark = pytest.mark.fuzz

MARKER = "<rhi-x onmouseover=alert(1)>"
# Things that have broken web forms before: controls, NULs, right-to-left marks, astral characters,
# markup, SQL and template syntax, and very long runs.
awkward = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20),
    st.sampled_from(["", " ", "\x00", "\u202e\u202d", "😀" * 5, "{{ 7*7 }}", "' OR 1=1 --", "../../etc/passwd", "31", "-1", "2026-13-45", "99:99"]),
    st.builds(lambda s: MARKER + s, st.text(max_size=20)),
    st.builds(lambda n: "a" * n, st.integers(min_value=20_000, max_value=25_000)),
)
FILTER_ARGS = ["q", "page", "sort", "status", "interviewer", "from", "to", "user", "child", "role", "view"]
SKIP_ENDPOINTS = {"static", "accounts.sign_out", "accounts.timed_out"}


def _role_for(rule_declaration) -> str | None:
    if rule_declaration in (PUBLIC, SIGNED_IN):
        return None if rule_declaration == PUBLIC else "coordinator"
    for preferred in ("coordinator", "manager", "interviewer", "admin", "police", "placing_authority"):
        if preferred in rule_declaration:
            return preferred
    return None


def _routes(app, method: str):
    with app.test_request_context():
        rules = [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint not in SKIP_ENDPOINTS]
        return [(r, declaration(r.endpoint)) for r in sorted(rules, key=lambda r: r.rule)]


def _url(app, rule, ids) -> str:
    values = {name: ids.get(name, uuid.uuid4()) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.fixture
def world(app, db_session, orgs, users):
    child = factories.child(orgs["home"])
    episode = factories.episode(child)
    ids = {"child_id": child.id, "episode_id": episode.id, "user_id": users["interviewer"].id}
    ids["rhi_id"] = factories.rhi(child, interviewer=users["interviewer"], status="in_progress").id
    return ids


def _check(response):
    assert response.status_code < 500, response.status_code
    if response.mimetype == "text/html":
        # decoded only here: a PDF is bytes
        body = response.get_data(as_text=True)
        # JSON answers may carry the text back as data (served as JSON with nosniff); HTML never raw.
        assert MARKER not in body, "markup came back unescaped"
        BeautifulSoup(body, "html.parser")
    else:
        assert response.mimetype in ("application/json", "application/pdf", "text/csv", "application/octet-stream", "text/plain"), response.mimetype
        assert response.headers.get("X-Content-Type-Options") == "nosniff"


def _form_fields(client, url) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        return []
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    names = {tag.get("name") for tag in page.select("form[method=post] [name]")}
    return sorted(n for n in names if n and n != "csrf_token")


def test_every_post_route_survives_arbitrary_input(app, world, users):
    routes = _routes(app, "POST")
    assert routes, "no forms found"
    checked = 0
    for rule, rule_declaration in routes:
        role = _role_for(rule_declaration)
        client = sign_in_client(app, users[role]) if role else app.test_client()
        url = _url(app, rule, world)
        fields = _form_fields(client, url) if "GET" in rule.methods else []
        fields = fields or ["name", "value", "text", "code", "reason", "note"]
        is_json = rule.rule.startswith("/api/") or rule.endpoint.endswith("autosave")

        @settings(max_examples=int(_examples()), deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(st.fixed_dictionaries({name: awkward for name in fields}))
        def post(data):
            if is_json:
                response = client.post(url, json=data)
            else:
                response = client.post(url, data=data)
            _check(response)

        post()
        checked += 1
    print(f"fuzzed {checked} POST routes")


def test_every_list_and_filter_survives_arbitrary_query_strings(app, world, users):
    checked = 0
    for rule, rule_declaration in _routes(app, "GET"):
        role = _role_for(rule_declaration)
        client = sign_in_client(app, users[role]) if role else app.test_client()
        url = _url(app, rule, world)

        @settings(max_examples=int(_examples() // 2) or 1, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(st.fixed_dictionaries({}, optional={name: awkward for name in FILTER_ARGS}))
        def get(args):
            clean = {k: re.sub(r"[\x00]", "", v)[:3000] for k, v in args.items()}
            _check(client.get(url, query_string=clean))

        get()
        checked += 1
    print(f"fuzzed {checked} GET routes")


def _examples() -> int:
    import os

    return int(os.environ.get("RHI_FUZZ_EXAMPLES", "12"))
