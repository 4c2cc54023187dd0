"""Rules added in the seventh session, after three more batches by writers who never saw the lexicon
(health staff; labour exploitation and asylum-seeking children; night handovers, dictation and e-mail
chains). Each case failed before its rule, except the guards that pin a rule's limits."""

import pytest


# --- scope ------------------------------------------------------------------------------------------
def test_a_comma_before_a_quotation_ends_a_denial(tag, ctx):
    r = tag("He hasn't been home since Tuesday, 'got to stay till it's all sold'.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]


def test_a_denial_of_the_quoted_words_themselves_still_holds(tag, ctx):
    r = tag("He denied he had to stay till it was all sold.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["negated"]


def test_a_colon_ends_the_reach_of_the_question_before_it(tag, ctx):
    r = tag("Asked him through the interpreter if he can leave: the agent keeps ringing about what he owes.")
    assert ctx(r, "TRAF_BROUGHT_TO_UK") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_a_question_without_a_colon_still_governs_what_follows(tag, ctx):
    r = tag("Asked him if the agent still rings him.")
    assert ctx(r, "TRAF_BROUGHT_TO_UK") == ["hypothetical"]


# --- past and resolved ----------------------------------------------------------------------------
def test_a_condition_still_to_come_is_not_a_resolution(tag, ctx):
    r = tag("The man still has her passport and says she gets it back when the debt is finished.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]
    r = tag("He keeps her passport until the money is all done.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]


def test_a_resolution_that_has_happened_is_still_one(tag, ctx):
    r = tag("The man had kept her passport, but that is finished now and police returned it.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["historical"]


def test_not_allowed_out_anymore_is_a_restriction_now(tag, ctx):
    r = tag("She isn't allowed out anymore and her phone is kept in the auntie's room.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_anymore_still_ends_a_sign_that_is_not_itself_a_negation(tag, ctx):
    r = tag("He doesn't go to the trap house anymore.")
    assert set(ctx(r, "CCE_TRAP_HOUSE")) <= {"historical", "negated"}
    assert "CCE" not in r.labels


# --- travel arranged by others ----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "E-tickets from Euston to Exeter St Davids on his phone, booked on someone elses account.",
    "The train tickets from Crewe on her phone were bought by Dex, a man she met on snap.",
    "A woman in her 30s was with her who had bought both their tickets.",
    "She got the coach up from Plymouth 'cos a mate paid', then said someone called Skinz booked it.",
    "They put him on the 07:15 coach to Swansea with a rucksack.",
    "She was driven down on Friday by 'friends' in a car she didn't know.",
])
def test_travel_arranged_by_others_in_new_words(tag, text, ctx):
    # travel by others is a sign beside exploitation, so each note also shows a county line
    r = tag(text + " Admits going OT for them.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


@pytest.mark.parametrize("text", [
    "The train tickets were bought by her mum for contact at the weekend.",
    "The coach tickets were bought by school for the trip.",
])
def test_tickets_bought_by_family_or_school_are_not_travel_arranged_by_others(tag, text, ctx):
    r = tag(text + " Admits going OT for them.")
    assert "asserted" not in ctx(r, "TRAF_TRAVEL_ARRANGED")
    assert "TRAFFICKING" not in r.labels


def test_a_county_line_by_coach(tag):
    r = tag("Lydia says 'they' put her on the early coach to Aberystwyth with a bag and she stays at a "
            "woman's flat till it's sold.")
    assert {"CCE", "TRAFFICKING"} <= set(r.labels)


# --- forced labour --------------------------------------------------------------------------------
def test_driven_to_work_sites_and_not_told_the_address_is_trafficking(tag, ctx):
    r = tag("Every morning a van picks him and two others up and drops them at car washes in Leeds and "
            "Wakefield. He isn't told the address of the house he sleeps in.")
    assert ctx(r, "TRAF_TAKEN_TO_WORK") == ["asserted"]
    assert ctx(r, "TRAF_ADDRESS_UNKNOWN") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_a_lift_to_a_saturday_job_alone_is_not_trafficking(tag):
    r = tag("Her uncle picks her up on Saturdays and drops her at the farm shop where she works.")
    assert "TRAFFICKING" not in r.labels


# --- criminal exploitation ----------------------------------------------------------------------------
def test_meeting_people_at_bus_stops_and_handing_something_over_is_dealing(tag, ctx):
    r = tag("Police saw her get off the bus, meet people at the stops, hand something over and get back "
            "on. She had £160 on her.")
    assert ctx(r, "CCE_SELLING") == ["asserted"]
    assert "CCE" in r.labels


def test_handing_something_over_to_staff_is_not_dealing(tag):
    r = tag("She handed something over to staff when she came in.")
    assert "CCE_SELLING" not in {m.code for m in r.indicators}


# --- entities ---------------------------------------------------------------------------------------
def test_school_years_and_dating_apps_are_not_people(tag):
    r = tag("He is in Yr 10 and met the man on Grindr, then on Hinge.")
    assert not [e for e in r.entities if e.label == "PERSON"]


# --- found on the next round (AG-AI), after it was scored -----------------------------------------------
def test_an_explanation_that_is_denied_explains_nothing(tag, ctx):
    r = tag("She is up at 5am cleaning for the family, isn't allowed out apart from school and gets no pocket "
            "money.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]


def test_an_explanation_still_explains(tag, ctx):
    r = tag("He isn't allowed out after 9pm on school nights and gets pocket money from dad on Fridays.")
    assert "asserted" not in ctx(r, "TRAF_CONFINEMENT")


def test_a_visit_arranged_with_the_sw_does_not_explain_a_sign(tag, ctx):
    r = tag("The woman keeps her passport locked away. Home visit with SW arranged for Monday.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]


def test_a_new_clause_about_an_adult_ends_a_denial(tag, ctx):
    r = tag("She gets no money for it, and the woman keeps her passport 'locked away'.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]


def test_a_denial_still_reaches_its_own_list(tag, ctx):
    r = tag("He denied any gifts, lifts or money from the man.")
    assert set(ctx(r, "CSE_GIFTS")) == {"negated"}


@pytest.mark.parametrize("text", [
    "Two men picked him up near the station and drove him over to Manchester.",
    "He said 'man booked me the train to drop something off'.",
])
def test_more_travel_by_others(tag, text):
    r = tag(text + " Admits going OT for them.")
    assert "TRAFFICKING" in r.labels


def test_a_month_beside_a_day_or_a_year_is_a_date_not_a_person(tag):
    text = "Seen on 12 Jan at school, review in June 2026; Jan (mum's friend) drove her home."
    people = [(e.text, e.start) for e in tag(text).entities if e.label == "PERSON"]
    assert people == [("Jan", text.index("Jan ("))]


def test_a_condition_elsewhere_in_the_note_does_not_make_a_past_sign_resolved(tag, ctx):
    # "used to" marks a sign as past; it is historical only when the note also says it is resolved,
    # and a condition still to come ("until the court case is finished") says nothing of the kind
    r = tag("He used to go OT for the older boys. He can't see his cousins until the court case is finished.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["asserted"]
    r = tag("He used to go OT for the older boys. That is finished now, he has not been seen with them since.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["historical"]
