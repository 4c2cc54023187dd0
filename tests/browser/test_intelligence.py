"""Intelligence to the police from end to end with the demo people: the coordinator drafts from
Maisie's submitted RHI, the manager approves and sends, the police open and acknowledge it."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_coordinator_drafts_manager_approves_police_acknowledge(tablet, live_server):
    sign_in(tablet, live_server, "coordinator")
    tablet.goto(f"{live_server}/children?q=Maisie")
    tablet.get_by_role("link", name="Draycott, Maisie").first.click()
    tablet.get_by_role("link", name=re.compile(r"Submitted")).first.click()
    expect(tablet.locator("#shared-with-police")).to_be_visible()
    tablet.locator("#draft-intelligence").click()
    expect(tablet.locator("h1")).to_have_text("Draft intelligence for the police")
    expect(tablet.locator("#consent")).to_contain_text("Consent given")
    assert_accessible(tablet)

    tablet.get_by_role("button", name="Start the draft").click()
    expect(tablet.locator("h1")).to_have_text("Check and change the draft")
    expect(tablet.locator("main")).to_contain_text("Phone: 07700 900321")
    assert_accessible(tablet)
    tablet.get_by_label("Which police force is it for?").select_option(label="Northmoor Police")
    tablet.get_by_role("button", name="Save the draft").click()
    expect(tablet.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    reference = tablet.locator("h1").inner_text().split()[0]
    assert reference.startswith("INT-")
    assert_accessible(tablet)

    tablet.context.clear_cookies()
    sign_in(tablet, live_server, "manager")
    tablet.goto(f"{live_server}/intelligence?status=draft")
    assert_accessible(tablet)
    tablet.get_by_role("link", name=reference).click()
    tablet.get_by_role("button", name="Approve and send").click()
    expect(tablet.locator(".govuk-notification-banner")).to_contain_text("Approved and sent to Northmoor Police")
    assert_accessible(tablet)

    tablet.context.clear_cookies()
    sign_in(tablet, live_server, "police")
    expect(tablet.locator("h1")).to_have_text("Intelligence from the missing team")
    tablet.get_by_label("Search", exact=True).fill("07700 900321")
    tablet.get_by_role("button", name="Search").click()
    expect(tablet.locator("#summaries")).to_contain_text(reference)
    assert_accessible(tablet)
    tablet.get_by_role("link", name=reference).click()
    expect(tablet.locator("#statements")).to_contain_text("07700 900321")
    expect(tablet.locator("main")).not_to_contain_text("when she had no money")
    assert_accessible(tablet)
    tablet.locator("#acknowledge").click()
    expect(tablet.locator("h1")).to_have_text("Acknowledge the intelligence")
    assert_accessible(tablet)
    tablet.get_by_label("Your reference").fill("NP-INT-0042")
    tablet.get_by_role("button", name="Acknowledge").click()
    expect(tablet.locator("#acknowledged")).to_contain_text("NP-INT-0042")
    assert_accessible(tablet)
