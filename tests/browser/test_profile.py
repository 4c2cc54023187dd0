"""The demo coordinator fills in part of a child's missing profile and a risk assessment on a
tablet, saves a version, and opens the print for 101, with axe on every page."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def open_child(page, base: str, name: str) -> None:
    first, last = name.split()
    page.goto(f"{base}/children?q={last}")
    page.get_by_role("link", name=f"{last}, {first}").first.click()
    expect(page.locator("h1")).to_contain_text(name.split()[0])


def test_coordinator_fills_in_a_profile_and_a_risk_assessment(tablet, live_server):
    sign_in(tablet, live_server, "coordinator")
    open_child(tablet, live_server, "Poppy Ridley")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Missing profile (grab pack and Philomena Protocol)").click()
    expect(tablet.locator("h1")).to_have_text("Poppy Ridley")
    expect(tablet.locator("#review-status")).to_contain_text("Not yet reviewed")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Change Description").click()
    expect(tablet.locator("h1")).to_have_text("Description")
    assert_accessible(tablet)
    tablet.get_by_label("Height (optional)").fill("5ft 4in")
    tablet.get_by_label("Hair colour and style (optional)").fill("Shoulder length, brown")
    tablet.get_by_role("button", name="Save", exact=True).click()
    expect(tablet.locator(".govuk-notification-banner--success")).to_contain_text("Description")
    expect(tablet.locator("#description")).to_contain_text("5ft 4in")
    expect(tablet.locator("#description")).to_contain_text("Not recorded")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Change Friends, associates and people to avoid").click()
    tablet.get_by_role("button", name="Add a friend or associate").click()
    expect(tablet.locator("h1")).to_have_text("Add a friend or associate")
    assert_accessible(tablet)
    tablet.get_by_label("Name", exact=True).fill("Morgan Testfriend")
    tablet.get_by_label("Phone number (optional)").fill("07700 900777")
    tablet.get_by_role("button", name="Save friend or associate").click()
    expect(tablet.locator("#items-associates")).to_contain_text("Morgan Testfriend")
    assert_accessible(tablet)

    # The risk assessment for a child missing now.
    open_child(tablet, live_server, "Amira Osei")
    tablet.get_by_role("link", name=re.compile(r"^Risk assessment")).first.click()
    expect(tablet.locator("h1")).to_have_text("Risk assessment")
    expect(tablet.locator("#higher-risk")).to_contain_text("higher risk")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Change The child and their missing episodes").click()
    expect(tablet.locator("h1")).to_have_text("The child and their missing episodes")
    assert_accessible(tablet)
    tablet.get_by_role("group", name=re.compile("subject to a S47 enquiry")).get_by_label("No", exact=True).check()
    tablet.get_by_role("group", name=re.compile("pregnant teenager")).get_by_label("Not known", exact=True).check()
    tablet.get_by_role("button", name="Save", exact=True).click()
    expect(tablet.locator("#circumstances")).to_contain_text("Not known")

    tablet.get_by_role("link", name="Change Overall assessment").click()
    tablet.get_by_label("High", exact=True).check()
    tablet.get_by_role("button", name="Save", exact=True).click()
    expect(tablet.locator("#overall-risk")).to_contain_text("High")

    tablet.get_by_role("button", name="Save as a new version").click()
    expect(tablet.locator("h1")).to_have_text("Versions")
    expect(tablet.locator("#version-1")).to_contain_text("Version 1")
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Back to the missing children risk assessment record").click()
    tablet.get_by_role("link", name="Print for a call to 101").click()
    expect(tablet.locator("h1")).to_have_text("Amira Osei")
    expect(tablet.locator("#overall-risk")).to_contain_text("High")
    assert_accessible(tablet)
    assert tablet.console_errors == []
