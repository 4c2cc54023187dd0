"""A placing authority uploads an RHI on a tablet, and the coordinator reads it."""
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

RHI = b"Return Home Interview for Reece. He said he stayed with a friend and was given a lift by older boys. He agreed to see his social worker."


def test_a_placing_authority_uploads_an_rhi_and_the_coordinator_reads_it(tablet, live_server):
    page = tablet
    sign_in(page, live_server, "placing_authority")
    expect(page.locator("h1")).to_have_text("Children your authority placed with us")
    expect(page.get_by_text("Waiting for their RHI").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Reece Anwar", exact=True).click()
    expect(page.locator("h1")).to_have_text("Reece Anwar")
    assert_accessible(page)
    page.get_by_role("link", name="Upload an RHI").click()
    expect(page.get_by_role("button", name="Upload RHI")).to_be_visible()
    assert_accessible(page)
    # Sent without a file: the error is next to the field and the page stays accessible.
    page.get_by_role("button", name="Upload RHI").click()
    expect(page.locator("#rhi_file-error")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Upload the RHI").set_input_files({"name": "reece-rhi.txt", "mimeType": "text/plain", "buffer": RHI})
    page.get_by_role("button", name="Upload RHI").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    expect(page.locator("main")).to_contain_text("reece-rhi.txt")
    assert_accessible(page)
    assert page.console_errors == []
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.locator("h1")).to_have_text("Sign in")

    sign_in(page, live_server, "coordinator")
    page.get_by_role("link", name="Placed by other LAs").click()
    expect(page.locator("h1")).to_have_text("Children placed by other local authorities")
    assert_accessible(page)
    page.get_by_role("link", name="RHIs received").click()
    expect(page.locator("main tbody a").first).to_be_visible()
    assert_accessible(page)
    page.locator("main tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("Reece Anwar")
    expect(page.locator("main")).to_contain_text("older boys")
    assert_accessible(page)
    page.get_by_role("link", name="Today").click()
    expect(page.locator("main")).to_contain_text("RHIs overdue from placing authorities")
    assert_accessible(page)
