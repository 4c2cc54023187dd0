"""The database goes away under running requests and comes back: nothing acknowledged is lost.

A loopback TCP proxy sits between the app and PostgreSQL; the test cuts it while several clients
save, then restores it.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.postgres_only
LONDON = ZoneInfo("Europe/London")


class CuttableProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()  # the database is "down": refuse at once
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, destination):
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, destination):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.up.clear()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self):
        self.up.set()

    def stop(self):
        self.stopped = True
        self.cut()
        self.listener.close()


@pytest.fixture
def proxied_app(instance_dir):
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("the fault test needs PostgreSQL")
    from tests.conftest import base_config, make_app, reset_schema

    url = make_url(base)
    name = f"{url.database}_f{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    direct_url = url.set(database=name)
    proxied_url = direct_url.set(host="127.0.0.1", port=proxy.port)
    app = make_app(base_config(instance_dir, url=proxied_url.render_as_string(hide_password=False)) | {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 5, "connect_args": {"connect_timeout": 2}},
    })
    reset_schema(app)
    try:
        yield app, proxy, direct_url
    finally:
        proxy.stop()
        with app.app_context():
            from rhi_service.extensions import db

            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _episode_form(reference: str) -> dict:
    when = (datetime.now(timezone.utc) - timedelta(hours=2)).astimezone(LONDON)
    return {"reported_missing_at-day": str(when.day), "reported_missing_at-month": str(when.month),
            "reported_missing_at-year": str(when.year), "reported_missing_at-time": when.strftime("%H:%M"),
            "missing_from": "care", "police_risk_grade": "medium", "police_reference": reference}


def test_outage_gives_service_unavailable_and_loses_no_acknowledged_save(proxied_app):
    from rhi_service.extensions import db
    from tests import factories

    app, proxy, direct_url = proxied_app
    with app.app_context():
        orgs = factories.standard_organisations()
        coordinator = factories.user("coordinator", orgs["home"])
        child = factories.child(orgs["home"])
        db.session.commit()
        child_id = child.id
        user_key = coordinator.get_id()
    results: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def worker(number: int):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_key
            session["last_active"] = time.time()
        sequence = 0
        while not stop.is_set():
            reference = f"W{number}-{sequence}"
            response = client.post(f"/children/{child_id}/episodes/new", data=_episode_form(reference))
            results.append((reference, response.status_code, response.get_data(as_text=True)))
            sequence += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    proxy.cut()
    time.sleep(1.5)
    during_outage = len(results)
    proxy.restore()
    # recovery is waited for, up to a bound, not assumed after a fixed sleep: a request that began
    # its connect during the cut waits out connect_timeout first, and on a loaded machine (a CI
    # run) recovery has been seen to take well over the 2 s this test once allowed
    restored_at = time.monotonic()
    while time.monotonic() - restored_at < 60.0 and not any(
            status == 302 for _, status, _ in results[during_outage:]):
        time.sleep(0.1)
    recovery = time.monotonic() - restored_at
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    statuses = {status for _, status, _ in results}
    assert statuses <= {302, 503}, statuses
    unavailable = [body for _, status, body in results if status == 503]
    assert unavailable, "the outage was not seen by any request"
    assert all("Service unavailable" in body for body in unavailable)
    # It recovered by itself: saves after the restore went through.
    assert any(status == 302 for _, status, _ in results[during_outage:]), (
        f"the app did not recover in {recovery:.1f} s: after the restore "
        f"{[status for _, status, _ in results[during_outage:]][:20]}")
    print(f"recovered {recovery:.1f} s after the link came back")
    acknowledged = {reference for reference, status, _ in results if status == 302}
    engine = create_engine(direct_url)
    with engine.connect() as connection:
        stored = set(connection.execute(text("SELECT police_reference FROM missing_episodes")).scalars())
    engine.dispose()
    assert acknowledged <= stored, f"acknowledged but lost: {sorted(acknowledged - stored)[:5]}"
