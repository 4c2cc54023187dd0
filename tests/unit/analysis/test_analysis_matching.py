"""Slang, lemma variants and the boundaries between the three labels."""
import pytest


@pytest.mark.parametrize("text", [
    "YP says he has been going OT for some lads.",
    "He went country to Norfolk to sell for older boys.",
    "Found in a trap house with known nominals.",
    "He admitted shotting for the olders.",
    "He was found plugging and taken to A&E.",
    "Police say the flat has been cuckooed.",
    "They make him work it off after the stash got robbed.",
])
def test_criminal_exploitation_slang(tag, text):
    assert "CCE" in tag(text).labels


def test_phone_plugged_in_is_not_plugging(tag):
    assert tag("Her phone was plugged in to charge all night.").labels == []


@pytest.mark.parametrize("text", [
    "She has an older boyfriend who bought her a phone.",
    "Her boyfriend is 'about 22' and picks her up from school.",
    "A 31-year-old man bought him a phone and gives him lifts.",
    "Her partner is 23 and pays for her nails.",
])
def test_sexual_exploitation_variants(tag, text):
    assert "CSE" in tag(text).labels


def test_same_age_girlfriend_is_not_a_sign(tag):
    assert tag("He stayed at his girlfriend's house; they are both 15 and her parents were in.").labels == []


def test_movement_by_others_adds_trafficking(tag):
    r = tag("The lads from Hackney drove him up to Norwich where he sold crack from a flat.")
    assert r.labels == ["CCE", "TRAFFICKING"]


def test_dealing_in_own_town_is_cce_alone(tag):
    r = tag("He sells weed for older lads around the estate near his home and gets £50 a day.")
    assert r.labels == ["CCE"]


def test_own_travel_is_not_trafficking(tag):
    r = tag("He got the train to Brighton himself with his own money to see his mum.")
    assert r.labels == []


def test_taken_to_hospital_is_not_movement(tag):
    r = tag("A man in his 30s gave her vodka and had sex with her. She was taken to hospital.")
    assert r.labels == ["CSE"]


def test_passport_held_is_trafficking(tag):
    assert tag("The man who brought her from Vietnam keeps her passport.").labels == ["TRAFFICKING"]


def test_mentions_carry_offsets_into_the_text(tag):
    text = "Police found him in a trap house in Margate."
    r = tag(text)
    for m in r.indicators:
        assert text[m.start:m.end] == m.text
    for e in r.entities:
        assert text[e.start:e.end] == e.text


def test_tag_many_matches_tag_text():
    from rhi_service.analysis import tag_many, tag_text
    texts = ["He was going OT to Swindon.", "No concerns.", "She has an older boyfriend."]
    assert [r.labels for r in tag_many(texts)] == [tag_text(t).labels for t in texts]
