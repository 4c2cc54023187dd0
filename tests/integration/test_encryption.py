"""Narrative and addresses are encrypted at rest: the raw database never holds them as text."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from rhi_service import crypto
from rhi_service.extensions import db
from tests import factories

SECRET_ADDRESS = "77 Hidden Lane, Testtown ZZ99 7QQ"
SECRET_NOTE = "Said she stayed with a man called Dex above the chip shop"
SECRET_PLACE = "The underpass by the canal"


def test_encrypted_columns_hold_no_plain_text(orgs):
    child = factories.child(orgs["home"], address=SECRET_ADDRESS)
    factories.episode(child, found_at=datetime.now(timezone.utc) - timedelta(hours=1), notes=SECRET_NOTE, found_where=SECRET_PLACE)
    db.session.flush()
    raw_children = db.session.execute(text("SELECT * FROM children")).mappings().all()
    raw_episodes = db.session.execute(text("SELECT * FROM missing_episodes")).mappings().all()
    dump = repr(raw_children) + repr(raw_episodes)
    for secret in (SECRET_ADDRESS, "Hidden Lane", SECRET_NOTE, "Dex", SECRET_PLACE, "underpass"):
        assert secret not in dump
    stored = raw_children[0]["address"]
    assert crypto.decrypt(stored) == SECRET_ADDRESS


def test_names_stay_searchable_in_plain_text(orgs):
    factories.child(orgs["home"], "Harper", "Vellacott")
    row = db.session.execute(text("SELECT first_name, last_name_key FROM children")).one()
    assert tuple(row) == ("Harper", "vellacott")


def test_each_encryption_differs_so_equal_values_cannot_be_matched():
    assert crypto.encrypt("same words") != crypto.encrypt("same words")


def test_old_keys_still_decrypt_after_rotation():
    from cryptography.fernet import Fernet

    from tests.conftest import TEST_KEY

    old_token = crypto.encrypt("kept across rotation")
    new_key = Fernet.generate_key().decode()
    crypto.configure([new_key, TEST_KEY])
    try:
        assert crypto.decrypt(old_token) == "kept across rotation"
        rotated = crypto.rotate(old_token)
        crypto.configure([new_key])
        assert crypto.decrypt(rotated) == "kept across rotation"
    finally:
        crypto.configure([TEST_KEY])
