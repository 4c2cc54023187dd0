"""The demo interviewer works an RHI on a tablet: three failed attempts including a letter, then the
decline and its letter, with axe on every page."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

LONDON = ZoneInfo("Europe/London")
CHILD = "Callum Rookwood"


def log_attempt(page, method: str, outcome: str, minutes_ago: int) -> None:
    page.get_by_role("link", name="Log a contact attempt").click()
    expect(page.locator("h1")).to_have_text("Log a contact attempt")
    assert_accessible(page)
    when = (datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)).astimezone(LONDON)
    page.get_by_label(method, exact=True).check()
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Time").fill(when.strftime("%H:%M"))
    page.get_by_label("The child", exact=True).check()
    page.get_by_label(outcome, exact=True).check()
    page.get_by_label("Note (optional)").fill(f"{method}: {outcome.lower()}")
    page.get_by_role("button", name="Save attempt").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(CHILD)
    assert_accessible(page)


def test_interviewer_logs_three_failed_attempts_then_declines_and_opens_the_letter(tablet, live_server):
    sign_in(tablet, live_server, "interviewer")
    assert tablet.url == f"{live_server}/my-rhis"
    assert_accessible(tablet)
    tablet.get_by_role("link", name=CHILD).click()
    expect(tablet.locator("h1")).to_have_text(CHILD)
    assert_accessible(tablet)

    # A decline is not offered yet, and says why.
    tablet.get_by_role("link", name="Record a decline").click()
    assert "unsuccessful contact attempts" in tablet.locator("#decline-refused").inner_text()
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Back to the RHI").click()

    # An empty attempt shows its errors beside the fields, accessibly.
    tablet.get_by_role("link", name="Log a contact attempt").click()
    tablet.get_by_role("button", name="Save attempt").click()
    tablet.locator("#outcome-error").wait_for()
    assert tablet.title().startswith("Error: ")
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Back to the RHI").click()

    log_attempt(tablet, "Phone call", "No answer", 90)
    log_attempt(tablet, "Text message", "No reply", 60)
    log_attempt(tablet, "Letter", "No reply", 30)
    assert tablet.locator("#attempts tbody tr").count() == 3

    tablet.get_by_role("link", name="Record a decline").click()
    expect(tablet.locator("h1")).to_have_text("Record a decline")
    assert_accessible(tablet)
    tablet.get_by_label("Why is the interview declined?").fill("No answer to a call, a text or a letter.")
    tablet.get_by_role("button", name="Record the decline").click()
    tablet.wait_for_load_state()
    expect(tablet.locator("h1")).to_have_text("We are here when you want to talk")
    content = tablet.locator("main").inner_text()
    assert "116 000" in content and "0800 1111" in content
    assert_accessible(tablet)
    href = tablet.get_by_role("link", name="Download the letter (PDF)").get_attribute("href")
    response = tablet.request.get(f"{live_server}{href}")
    assert response.ok and response.body()[:4] == b"%PDF"

    tablet.get_by_role("link", name="Back to the RHI").click()
    assert "Declined" in tablet.locator("main").inner_text()
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Back to my RHIs").click()
    assert CHILD not in tablet.locator("main").inner_text()
    tablet.get_by_role("link", name="Completed").click()
    assert CHILD in tablet.locator("main").inner_text()
    assert_accessible(tablet)
    assert tablet.console_errors == []
