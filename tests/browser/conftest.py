"""A live server on a fresh database of its own, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tests.conftest import base_config, make_app, reset_schema

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-password"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium; CI must not skip browser tests")
        pytest.skip("Chromium is not installed")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make assets (npm ci) first")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser_database(instance_dir):
    """A database of its own for each module, dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{instance_dir}/browser-{uuid.uuid4().hex}.sqlite3"
        return
    url = make_url(base)
    name = f"{url.database}_b{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def live_server(browser_database, instance_dir):
    # Drafts save every 3 seconds here, so the autosave test need not wait half a minute a time.
    config = base_config(instance_dir, url=browser_database) | {"WTF_CSRF_ENABLED": True, "TESTING": False, "AUTOSAVE_SECONDS": 3}
    app = make_app(config)
    reset_schema(app)
    with app.app_context():
        from rhi_service import demo

        demo.load(password=DEMO_PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            from rhi_service.extensions import db

            db.engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def tablet(browser):
    # bypass_csp only so axe can be injected; the app's own pages never need it.
    context = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True, is_mobile=False, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return result


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert violations == [], f"axe found problems on {page.url}: {violations}"
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"horizontal scrolling on {page.url}: {width}"


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    import re

    from playwright.sync_api import expect

    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Wait for the next page itself, not just any load event.
    expect(page).not_to_have_url(re.compile(r"/sign-in$"))
    if re.search(r"/sign-in/code$", page.url):
        import pyotp

        from rhi_service.demo import demo_totp_secret

        page.get_by_label("Code").fill(pyotp.TOTP(demo_totp_secret()).now())
        page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(re.compile(r"/sign-in/code$"))
    page.wait_for_load_state()
