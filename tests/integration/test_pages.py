import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import soup


@pytest.mark.parametrize("path, heading", [("/privacy", "Privacy"), ("/accessibility", "Accessibility statement"), ("/cookies", "Cookies"), ("/help", "Help")])
def test_footer_pages_are_open_to_everyone(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == heading


def test_footer_links_on_every_page(client):
    links = {a.get_text(strip=True) for a in soup(client.get("/sign-in")).select(".govuk-footer a")}
    assert {"Privacy", "Accessibility", "Cookies", "Help"} <= links


def test_no_gov_uk_branding(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "GOV.UK" not in page
    assert "govuk-header__crown" not in page and "crown" not in page.lower()


def test_page_not_found(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Page not found"


def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    from rhi_service.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_a_database_outage_shows_service_unavailable(client_for, monkeypatch):
    coordinator = client_for("coordinator")
    from rhi_service.queries import coordinator as coordinator_queries

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(coordinator_queries, "today", broken)
    response = coordinator.get("/today")
    assert response.status_code == 503
    assert soup(response).h1.get_text(strip=True) == "Service unavailable"


def test_server_error_page_says_what_happened_to_their_answers(app, client_for, monkeypatch):
    from rhi_service.queries import coordinator

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(coordinator, "today", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client_for("coordinator").get("/today")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Sorry, there is a problem with the service"
    assert "Anything you saved" in page.get_text()
