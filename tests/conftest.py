"""Fixtures in the manner of Flask's tutorial, with each test in a transaction that is rolled back.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set (make test runs
both). The schema always comes from the migrations, so a model change without one fails here.
"""
from __future__ import annotations

import os
import tempfile
import time

import pytest
from bs4 import BeautifulSoup
from cryptography.fernet import Fernet
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import orm

from tests import factories

if os.environ.get("HYPOTHESIS_PROFILE"):
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

TEST_KEY = Fernet.generate_key().decode()


def database_url(tmp_dir: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.sqlite3"


def base_config(tmp_dir: str, url: str | None = None) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url or database_url(tmp_dir),
        "SECRET_KEY": "test-secret-key",
        "RHI_ENCRYPTION_KEYS": [TEST_KEY],
        "WTF_CSRF_ENABLED": False,
    }


def make_app(config: dict):
    from rhi_service import create_app

    return create_app(config)


def reset_schema(app) -> None:
    """Drop whatever a previous run left, then build the schema from the migrations."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from rhi_service.extensions import db

    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        upgrade(revision="heads")


@pytest.fixture(scope="session")
def instance_dir():
    with tempfile.TemporaryDirectory(prefix="rhi-test-") as tmp:
        os.environ["RHI_INSTANCE_PATH"] = tmp
        yield tmp


@pytest.fixture(scope="session")
def app(instance_dir):
    app = make_app(base_config(instance_dir))
    reset_schema(app)
    return app


class _TestSession(orm.Session):
    # Flask-SQLAlchemy passes its db to the session class; a plain Session bound to one connection
    # lets every request in a test share the test's outer transaction.
    def __init__(self, db=None, **kwargs):
        super().__init__(**kwargs)


@pytest.fixture
def db_session(app):
    from rhi_service.extensions import db

    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": _TestSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield db.session
        finally:
            # Failed sign-ins are counted in the limiter's memory store; each test starts at zero.
            from rhi_service.extensions import limiter

            limiter.reset()
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


class HTMLCheckingClient(FlaskClient):
    """Every HTML page a test fetches is parsed, and must be a whole, well-formed page."""

    def open(self, *args, **kwargs):
        # The test's app context is reused by each request, so its `g` (where Flask-Login caches the
        # user) would leak from one request into the next; a real server starts each one afresh.
        if has_app_context():
            g.__dict__.clear()
            from rhi_service.extensions import db

            db.session.expire_all()
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code not in (204, 301, 302, 303):
            check_page(response.get_data(as_text=True))
        return response


def check_page(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("title") and soup.title.get_text(strip=True), "page has no title"
    assert len(soup.find_all("h1")) == 1, "page must have exactly one h1"
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    assert not soup.find_all("script", src=False), "inline script breaks the Content-Security-Policy"
    assert not soup.find_all(style=True), "inline style breaks the Content-Security-Policy"
    return soup


@pytest.fixture
def client(app, db_session):
    app.test_client_class = HTMLCheckingClient
    return app.test_client()


def sign_in_client(app, user) -> FlaskClient:
    app.test_client_class = HTMLCheckingClient
    test_client = app.test_client()
    with test_client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["last_active"] = time.time()
    return test_client


@pytest.fixture
def orgs(db_session):
    return factories.standard_organisations()


@pytest.fixture
def users(db_session, orgs):
    return factories.one_user_per_role(orgs)


@pytest.fixture
def client_for(app, users):
    def make(role: str) -> FlaskClient:
        return sign_in_client(app, users[role])

    return make


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
