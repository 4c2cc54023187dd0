"""The demo coordinator's morning: Today, the daily missing report, tags to review, themes, people
and places and a peer group, with axe on every page."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_coordinator_opens_today_themes_people_and_places_and_the_daily_report(tablet, live_server):
    sign_in(tablet, live_server, "coordinator")
    expect(tablet).to_have_url(f"{live_server}/today")
    expect(tablet.locator("h1")).to_have_text("Today")
    expect(tablet.locator("#missing-now + table")).to_contain_text("Kay Marsh")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Daily missing report").first.click()
    expect(tablet.locator("h1")).to_have_text("Daily missing report")
    expect(tablet.locator("main")).to_contain_text("Amira Osei")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Tags to review").click()
    expect(tablet.locator("h1")).to_have_text("Tags to review")
    expect(tablet.locator("mark").first).to_be_visible()
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Themes", exact=True).first.click()
    expect(tablet.locator("h1")).to_have_text("Themes")
    expect(tablet.locator("svg.rhi-chart").first).to_be_visible()
    assert_accessible(tablet)

    tablet.get_by_role("link", name="People and places").first.click()
    expect(tablet.locator("h1")).to_have_text("People and places")
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Big Dee").click()
    expect(tablet.locator("h1")).to_have_text("Big Dee")
    expect(tablet.locator("main")).to_contain_text("Fenwick")
    assert_accessible(tablet)

    tablet.goto(f"{live_server}/peer-groups")
    expect(tablet.locator(".govuk-summary-card")).to_have_count(1)
    expect(tablet.locator(".govuk-summary-card")).to_contain_text("Maisie")
    assert_accessible(tablet)

    tablet.get_by_role("link", name=re.compile("Fenwick")).first.click()
    expect(tablet.locator("h1")).to_have_text("Timeline and risk picture")
    assert_accessible(tablet)
