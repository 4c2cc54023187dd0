"""Each context rule, case by case: only asserted mentions count towards a label."""


def contexts(result, code_prefix=""):
    return {(m.text.lower(), m.context) for m in result.indicators if m.code.startswith(code_prefix)}


def test_denied_gifts_negates_only_gifts(tag):
    r = tag("Kayla denied any gifts. Her older boyfriend, who is 24, collects her from school.")
    assert ("gifts", "negated") in contexts(r)
    assert r.labels == ["CSE"]


def test_child_denying_events_does_not_remove_signs_seen_by_others(tag):
    r = tag("Staff saw Tia get into a car with three adult men at 2am. Tia denied anything happened, "
            "but she came back with vodka, £60 and a love bite.")
    assert "CSE" in r.labels


def test_no_concerns_re_is_negated(tag):
    r = tag("No concerns re CSE or CCE. Daisy went to a sleepover and forgot to tell mum.")
    assert r.labels == []


def test_safety_planning_is_hypothetical(tag):
    r = tag("We talked about what grooming looks like and that if an older man offers her lifts, "
            "gifts or alcohol she should tell her FC.")
    assert r.labels == []
    assert r.indicators and all(m.context == "hypothetical" for m in r.indicators)


def test_if_anyone_offers_is_hypothetical(tag):
    r = tag("If anyone offers you money to hold a bag for them, or gives you a second phone, tell your worker.")
    assert r.labels == []
    assert {m.context for m in r.indicators} == {"hypothetical"}


def test_advice_paragraph_is_hypothetical(tag):
    r = tag("Safety planning: if anyone asks her for nude pictures or threatens to share images, "
            "she will tell mum.\n\nNo concerns.")
    assert r.labels == []


def test_friend_not_child_is_other_person(tag):
    r = tag("Mia said her friend Chantelle is seeing a man in his 30s who gives her weed and drives her "
            "about. Mia was clear this is not happening to her.")
    assert r.labels == []
    assert {m.context for m in r.indicators} == {"other_person"}


def test_sibling_dealing_is_other_person(tag):
    r = tag("The concerns are about her older brother, who police believe is selling crack. "
            "She has nothing to do with it.")
    assert r.labels == []


def test_phone_mum_bought_is_explained(tag):
    r = tag("School worried about Tyler's new phone and expensive trainers. Mum bought the phone for his "
            "birthday and showed me the receipt.")
    assert ("new phone", "explained") in contexts(r)
    assert r.labels == []


def test_train_ticket_parent_paid_is_explained(tag):
    r = tag("A train ticket to Stoke was in Max's bag. Dad paid for the ticket for the contact weekend, "
            "which the SW confirmed.")
    assert r.labels == []


def test_picked_up_by_dad_is_explained(tag):
    r = tag("He was picked up by his dad at midnight from the party.")
    assert [m.context for m in r.indicators] == ["explained"]


def test_resolved_past_is_historical(tag):
    r = tag("In 2022 Liam was linked to a county line and an NRM referral was made. That work was closed "
            "last year and police have no current intelligence. This time he missed the last bus.")
    assert r.labels == []
    assert {m.context for m in r.indicators} == {"historical"}


def test_past_concern_without_resolution_still_counts(tag):
    r = tag("In 2022 Liam was running a county line from Hackney and he still owes them money.")
    assert "CCE" in r.labels


def test_no_longer_is_historical(tag):
    r = tag("He no longer goes to the trap house since he moved placement.")
    assert r.labels == []


def test_push_factors_alone_get_no_tag(tag):
    r = tag("Ellie ran off after a row with mum about her phone being confiscated and stayed at her "
            "nan's. She is being bullied at school and misses her dad.")
    assert r.labels == []


def test_negated_nrm_is_not_trafficking(tag):
    r = tag("Mason has been dropping off packages for an older boy. NRM not appropriate at present.")
    assert r.labels == ["CCE"]


def test_question_is_hypothetical(tag):
    r = tag("Did anyone ask him to carry drugs or hold a bag for them?")
    assert r.labels == []


def test_long_writeup_about_safety_advice_is_not_tagged(tag):
    text = (
        "Return Home Interview - Freya, 15\n\n"
        "Freya was late home from a birthday meal and her phone was on silent. Police had no concerns.\n\n"
        "We went through the exploitation checklist together. I explained what CSE is and that adults "
        "sometimes start by giving young people attention, presents, lifts or alcohol, then ask for "
        "something back. We talked about county lines, what going OT means and how young people can be "
        "told they owe a drug debt. We looked at how a man might ask for nude pictures and then threaten "
        "to share them.\n\n"
        "Safety planning: if anyone offers her a lift or asks her to hold a bag, she will tell mum. "
        "She has Childline 0800 1111 saved.\n\nOutcome: no indicators of CSE or CCE disclosed or observed.")
    assert tag(text).labels == []


def test_each_mention_gets_exactly_one_known_context(tag):
    from rhi_service.analysis import CONTEXTS
    r = tag("He denied selling but was found with 20 wraps of crack and two phones. If anyone asks "
            "him to go OT he will say no.")
    assert r.indicators and all(m.context in CONTEXTS for m in r.indicators)
