import sqlite3

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from rhi_service import crypto
from rhi_service.extensions import db
from tests import factories
from tests.conftest import TEST_KEY


def test_rotation_re_encrypts_every_value_with_the_new_key(orgs):
    child = factories.child(orgs["home"], address="5 Rotation Road, Testtown ZZ99 5RR")
    factories.episode(child, notes="Old key note")
    db.session.flush()
    new_key = Fernet.generate_key().decode()
    crypto.configure([new_key, TEST_KEY])
    try:
        from rhi_service.maintenance import rotate_encryption

        count = rotate_encryption(batch_size=1)
        assert count >= 2
        crypto.configure([new_key])  # the old key is gone: everything must still read
        db.session.expire_all()
        raw = db.session.execute(text("SELECT address FROM children WHERE id = :id"), {"id": child.id.hex if db.engine.dialect.name == "sqlite" else child.id}).scalar()
        assert crypto.decrypt(raw) == "5 Rotation Road, Testtown ZZ99 5RR"
        assert db.session.get(type(child), child.id).address == "5 Rotation Road, Testtown ZZ99 5RR"
    finally:
        crypto.configure([TEST_KEY])


def test_every_narrative_column_is_encrypted():
    from rhi_service.maintenance import encrypted_columns

    names = {f"{t.name}.{c.name}" for t, c in encrypted_columns()}
    assert {"children.address", "missing_episodes.notes", "missing_episodes.found_where", "users.totp_secret"} <= names


def test_sqlite_backup_restores(tmp_path, instance_dir):
    from tests.conftest import base_config, make_app, reset_schema

    source_url = f"sqlite:///{tmp_path}/live.sqlite3"
    app = make_app(base_config(instance_dir, url=source_url))
    reset_schema(app)
    with app.app_context():
        from rhi_service import demo

        demo.load(password="demo-password")
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup.sqlite3")])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    restored = sqlite3.connect(tmp_path / "backup.sqlite3")
    try:
        children = restored.execute("SELECT count(*) FROM children").fetchone()[0]
        users = restored.execute("SELECT username FROM users WHERE username = 'coordinator'").fetchall()
    finally:
        restored.close()
    assert children >= 10 and users == [("coordinator",)]
    # The restored copy opens as the app's database, with the same key.
    restored_app = make_app(base_config(instance_dir, url=f"sqlite:///{tmp_path}/backup.sqlite3"))
    with restored_app.app_context():
        from rhi_service.models.children import Child

        assert all(c.address for c in db.session.query(Child).all())
        db.engine.dispose()
