"""The demo interviewer carries out a whole interview on a tablet; the demo manager signs it off."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rhi_service.forms import schema
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

LONDON = ZoneInfo("Europe/London")
CHILD = "Noah Pemberton"  # interview_arranged for the demo interviewer


def fill_question(page, question, when):
    code = question.code
    if question.kind in ("text", "long_text"):
        if question.rationale_for:
            return  # the child agreed: nothing to justify
        page.locator(f"#{code}").fill(f"What was said about {code.replace('_', ' ')}.")
    elif question.kind == "yes_no":
        page.locator(f"input[name={code}][value=no]").check()
    elif question.kind == "choice":
        value = "given" if question.consent_purpose else question.options[0].value
        page.locator(f"input[name={code}][value={value}]").check()
    elif question.kind == "choices":
        page.locator(f"input[name={code}][value={question.options[0].value}]").check()
    elif question.kind in ("date", "datetime"):
        page.locator(f"#{code}-day").fill(str(when.day))
        page.locator(f"#{code}-month").fill(str(when.month))
        page.locator(f"#{code}-year").fill(str(when.year))
        if question.kind == "datetime":
            page.locator(f"#{code}-time").fill(when.strftime("%H:%M"))


def assert_touch_friendly(page):
    """Buttons and choices are at least 44px high; nothing sticky sits over the fields."""
    for locator in (page.locator("form .govuk-button"), page.locator(".govuk-radios__input, .govuk-checkboxes__input")):
        for index in range(locator.count()):
            box = locator.nth(index).bounding_box()
            if box is None:
                continue  # not displayed (the sign-out dialog's buttons)
            assert box["height"] >= 44, f"{page.url}: a target is {box['height']}px high"
    sticky = page.evaluate("() => [...document.querySelectorAll('body *')].filter(e => ['fixed', 'sticky'].includes(getComputedStyle(e).position) && e.offsetParent !== null).length")
    assert sticky == 0


def test_an_interviewer_completes_and_submits_an_interview_and_a_manager_signs_it_off(tablet, live_server):
    page = tablet
    when = datetime.now(LONDON) - timedelta(hours=1)
    sign_in(page, live_server, "interviewer")
    page.get_by_role("link", name=CHILD).click()
    page.get_by_role("link", name="Start the interview").click()
    expect(page.locator("h1")).to_have_text("Return Home Interview")
    assert_accessible(page)

    definition = schema.get("interview")
    for section in definition.sections:
        page.locator(".govuk-task-list__link", has_text=section.title).click()
        for index, question_page in enumerate(section.pages):
            assert_accessible(page)
            if index == 0:
                assert_touch_friendly(page)
            if question_page.list_question:
                question = question_page.list_question
                page.locator("input[name=add_another][value=yes]").check()
                page.get_by_role("button", name="Continue").click()
                assert_accessible(page)
                for sub in question.item:
                    fill_question(page, sub, when + timedelta(days=3))
                page.get_by_role("button", name=f"Save {question.item_name}").click()
                expect(page.locator("h1")).to_have_text(f"{question.label} (1)")
                assert_accessible(page)
                page.locator("input[name=add_another][value=no]").check()
                page.get_by_role("button", name="Continue").click()
                continue
            for question in question_page.questions:
                fill_question(page, question, when)
            here = page.url
            page.get_by_role("button", name="Save and continue").click()
            # A saved page moves on; one with errors stays where it is and says why.
            try:
                page.wait_for_url(lambda url: url != here, timeout=20000)
            except Exception:
                raise AssertionError(page.locator(".govuk-error-summary").inner_text()) from None
        expect(page.locator("h1")).to_have_text("Have you completed this section?")
        assert_accessible(page)
        page.locator("input[name=completed][value=yes]").check()
        page.get_by_role("button", name="Continue").click()
        page.locator("#sections-completed").wait_for()

    expect(page.locator("#sections-completed")).to_contain_text("You have completed 8 of 8 sections")
    page.get_by_role("link", name="Check your answers").click()
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    assert_accessible(page)
    page.get_by_role("button", name="Submit interview").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Interview submitted")
    assert_accessible(page)
    # No child's words are kept in the browser.
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    page.get_by_role("link", name="See the submitted interview").click()
    expect(page.locator("h1")).to_have_text("The submitted interview")
    assert_accessible(page)
    assert page.console_errors == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in")

    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Sign off").first.click()
    expect(page.locator("h1")).to_have_text("Interviews to sign off")
    assert_accessible(page)
    page.locator("#to-sign-off").get_by_role("link", name=CHILD).click()
    expect(page.locator("h1")).to_have_text("Sign off the interview")
    assert_accessible(page)
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"You have signed off the interview with {CHILD}")
    assert page.locator("#to-sign-off").get_by_role("link", name=CHILD).count() == 0
    assert_accessible(page)


def test_a_draft_autosaves_and_a_lost_connection_says_not_saved(tablet, live_server):
    # The live server saves drafts every 3 seconds (30 in use); retries come every 10.
    page = tablet
    sign_in(page, live_server, "interviewer")
    page.get_by_role("link", name="Ruby Castellan").click()  # in progress for the demo interviewer
    page.get_by_role("link", name="Continue the interview").click()
    page.locator(".govuk-task-list__link", has_text="While they were missing").click()
    expect(page.locator("#autosave-status")).to_be_attached()
    page.locator("#where_went").fill("A draft typed on the tablet")
    page.locator("#autosave-status").filter(has_text="Draft saved").wait_for(timeout=30000)
    assert int(page.locator("input[name=version]").input_value()) >= 1

    page.context.set_offline(True)
    page.locator("#where_went").fill("Typed while the connection was down")
    page.locator("#autosave-status").filter(has_text="Not saved").wait_for(timeout=30000)
    page.context.set_offline(False)
    page.locator("#autosave-status").filter(has_text="Draft saved").wait_for(timeout=30000)
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    page.reload()
    assert page.locator("#where_went").input_value() == "Typed while the connection was down"


def test_interview_pages_fit_a_landscape_tablet(browser, live_server):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "interviewer")
        page.get_by_role("link", name="Ruby Castellan").click()
        page.get_by_role("link", name="Continue the interview").click()
        assert_accessible(page)
        page.locator(".govuk-task-list__link", has_text="About the interview").click()
        assert_accessible(page)
        assert_touch_friendly(page)
        page.goto(page.url.rsplit("/interview/", 1)[0] + "/check-answers")
        assert_accessible(page)
    finally:
        context.close()
