"""Every route declares who may use it; a route that declares nothing is refused."""
from flask import Blueprint

from rhi_service.access import PUBLIC, SIGNED_IN, declaration
from tests.conftest import base_config, make_app

# Pages a signed-out person may reach. Anything else added as public must be added here on purpose.
EXPECTED_PUBLIC = {
    "accounts.sign_in",
    "accounts.second_factor",
    "accounts.set_up_second_factor",
    "accounts.timed_out",
    "home.index",
    "pages.privacy",
    "pages.accessibility",
    "pages.cookies",
    "pages.help",
    "pages.healthz",
    # The API's own guard checks a bearer token and its scope (rhi_service/api/__init__.py).
    "api.openapi",
    "api.unknown",
    "api.create_rhi",
    # police systems read approved intelligence with a token (intelligence:read), never a session
    "api.intelligence_list",
    "api.intelligence_one",
    "static",
}


def test_every_route_declares_its_audience(app):
    with app.test_request_context():
        missing = [rule.endpoint for rule in app.url_map.iter_rules() if declaration(rule.endpoint) is None]
    assert missing == []


def test_only_the_expected_routes_are_public(app):
    with app.test_request_context():
        public = {rule.endpoint for rule in app.url_map.iter_rules() if declaration(rule.endpoint) == PUBLIC}
    assert public == EXPECTED_PUBLIC


def test_role_routes_name_real_roles(app):
    from rhi_service.models.organisations import ROLES

    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            allowed = declaration(rule.endpoint)
            if allowed in (PUBLIC, SIGNED_IN):
                continue
            assert set(allowed) <= set(ROLES), rule.endpoint


def test_a_route_without_a_declaration_is_refused(instance_dir):
    app = make_app(base_config(instance_dir))
    undeclared = Blueprint("undeclared", __name__)

    @undeclared.route("/forgotten")
    def forgotten():
        return "data that should not be served"

    app.register_blueprint(undeclared)
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert b"data that should not be served" not in response.data


def test_audience_prefixes_back_up_the_view_declarations(client_for):
    # A coordinator is refused the police and partner areas even though they are signed in.
    coordinator = client_for("coordinator")
    assert coordinator.get("/police/").status_code == 403
    assert coordinator.get("/partner/").status_code == 403
    assert coordinator.get("/admin/users").status_code == 403
