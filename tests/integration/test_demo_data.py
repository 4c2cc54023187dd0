import pytest
from sqlalchemy import select

from rhi_service.extensions import db
from rhi_service.models.children import Child
from rhi_service.models.episodes import MissingEpisode
from rhi_service.models.organisations import ROLES, User
from rhi_service.passwords import verify_password


def test_demo_data_has_one_user_per_role_named_after_it(db_session):
    from rhi_service import demo

    demo.load(password="demo-password")
    for role in ROLES:
        user = db.session.execute(select(User).where(User.username == role)).scalar_one()
        assert user.role == role
        assert verify_password(user.password_hash, "demo-password")


def test_demo_data_has_children_in_every_state(db_session):
    from rhi_service import demo

    demo.load(password="demo-password")
    episodes = db.session.execute(select(MissingEpisode)).scalars().all()
    assert any(e.found_at is None for e in episodes), "someone missing now"
    assert any(e.found_at is not None for e in episodes), "someone found"
    children = db.session.execute(select(Child)).scalars().all()
    assert any(c.placing_authority_id for c in children), "a child placed by another authority"
    assert any(not c.episodes for c in children), "a child with no episodes"
    assert sum(len(c.episodes) >= 3 for c in children) >= 1, "a child missing repeatedly"


def test_demo_data_only_uses_fictional_numbers_and_postcodes(db_session):
    import re

    from rhi_service import demo

    demo.load(password="demo-password")
    for child in db.session.execute(select(Child)).scalars():
        for postcode in re.findall(r"\b[A-Z]{1,2}\d{1,2}[A-Z]? ?\d[A-Z]{2}\b", child.address or ""):
            assert postcode.startswith("ZZ99"), postcode


def test_demo_data_is_refused_in_production(app, monkeypatch):

    monkeypatch.setitem(app.config, "PRODUCTION", True)
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "refused" in result.output


def test_create_user_makes_the_first_admin_and_our_organisation(app, db_session):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--username", "First.Admin", "--full-name", "First Admin", "--role", "admin",
              "--organisation", "Fictional Council", "--create-organisation", "--password", "meadow-cobalt-tunnel-harbour"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(select(User).where(User.username == "first.admin")).scalar_one()
    assert user.role == "admin" and user.organisation.is_home
    assert verify_password(user.password_hash, "meadow-cobalt-tunnel-harbour")


def test_create_user_refuses_a_weak_password(app, db_session):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--username", "weak", "--full-name", "Weak", "--role", "admin",
              "--organisation", "Fictional Council", "--create-organisation", "--password", "password"]
    )
    assert result.exit_code != 0
    assert db.session.execute(select(User).where(User.username == "weak")).first() is None
