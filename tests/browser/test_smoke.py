"""Each demo role signs in on a tablet and lands on an accessible first page."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

FIRST_PAGES = {
    "interviewer": ("/my-rhis", "My Return Home Interviews"),
    "coordinator": ("/today", "Today"),
    "manager": ("/today", "Today"),
    "police": ("/police/", "Intelligence from the missing team"),
    "placing_authority": ("/partner/", "Children your authority placed with us"),
    "admin": ("/admin/users", "Accounts"),
}


def test_sign_in_page_is_accessible(tablet, live_server):
    tablet.goto(f"{live_server}/sign-in")
    assert_accessible(tablet)


@pytest.mark.parametrize("role", sorted(FIRST_PAGES))
def test_each_demo_role_signs_in_to_an_accessible_first_page(tablet, live_server, role):
    path, heading = FIRST_PAGES[role]
    sign_in(tablet, live_server, role)
    assert tablet.url == f"{live_server}{path}"
    expect(tablet.locator("h1")).to_have_text(heading)
    assert_accessible(tablet)
    assert tablet.console_errors == []


def test_coordinator_records_a_child_and_an_episode(tablet, live_server):
    sign_in(tablet, live_server, "coordinator")
    tablet.get_by_role("link", name="Record a child").first.click()
    assert_accessible(tablet)
    tablet.get_by_label("First name").fill("Frankie")
    tablet.get_by_label("Last name").fill("Wexcombe")
    tablet.get_by_label("Day").fill("9")
    tablet.get_by_label("Month").fill("4")
    tablet.get_by_label("Year").fill("2011")
    tablet.get_by_role("button", name="Search").click()
    expect(tablet.get_by_text("No child with a similar name")).to_be_visible()
    tablet.get_by_label("Male", exact=True).check()
    tablet.get_by_label("Looked after").check()
    assert_accessible(tablet)
    tablet.get_by_role("button", name="Save child").click()
    expect(tablet.locator("h1")).to_contain_text("Frankie Wexcombe")
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Record a missing episode").click()
    # Submitting an empty form shows the error summary, which must itself be accessible.
    tablet.get_by_role("button", name="Save episode").click()
    expect(tablet).to_have_title(re.compile(r"^Error: "))
    assert_accessible(tablet)


def test_signing_out_then_going_back_shows_no_child_data(tablet, live_server):
    sign_in(tablet, live_server, "coordinator")
    tablet.get_by_role("button", name="Sign out").click()
    expect(tablet.locator("h1")).to_have_text("Sign in")
    tablet.go_back()
    tablet.wait_for_load_state()
    assert "Missing now" not in tablet.content()
