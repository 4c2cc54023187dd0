"""Rules changed in the ninth session: what the eighth session's review left, and what round 14's
batches (health settings; multi-agency minutes; families' own words) showed. Each case failed before
its rule, except the guards that pin a rule's limits."""


# --- left by the eighth session's review ----------------------------------------------------------
def test_running_food_at_a_restaurant_is_a_job(tag):
    r = tag("Tyler (16) has a Saturday job, he runs food at a restaurant in town and is paid into his own "
            "account. Payslips seen.")
    assert r.labels == []
    assert not [m for m in r.indicators if m.category == "CCE"]


def test_running_food_in_quotes_is_still_dealing(tag, ctx):
    r = tag("He admitted he has been running 'food' up to the flats for a lad he owes.")
    assert "asserted" in ctx(r, "CCE_DEALING")
    assert "CCE" in r.labels


def test_an_nrm_considered_and_decided_against_is_negated(tag, ctx):
    r = tag("NRM considered at core group re Rory (14) travelling to Aberdeen - not appropriate, no indicators; "
            "he went with mum for a hospital appointment.")
    assert ctx(r, "TRAF_NRM") == ["negated"]
    assert r.labels == []


def test_an_nrm_to_be_considered_is_still_a_sign(tag, ctx):
    # guard: considering one is what a worker writes when trafficking is suspected
    r = tag("Found in Swindon with an adult who bought her ticket. NRM to be considered at strategy.")
    assert ctx(r, "TRAF_NRM") == ["asserted"]
    assert "TRAFFICKING" in r.labels
