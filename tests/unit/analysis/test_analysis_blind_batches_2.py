"""Rules added after tagging nine more batches of notes written by people who never saw the lexicon
(d592-d1041 in notes_dev.jsonl). Each case failed before its rule was added or changed, except
the guards of each rule's limits (a sign that must still count, a scope that must still end)."""
import textwrap

import pytest

from rhi_service.analysis.lexicon import DEFAULT_DIR, LexiconError, load_lexicon


# --- words that only look like signs --------------------------------------------------------------
# each note holds one real sign, so a false second one would tip it into a label
@pytest.mark.parametrize("text", [
    # a place name is not harbouring
    "Key work with Jade (16) at Harbour View hostel. She has an NRM referral from 2019 that was closed.",
    # "third-party" is not a party
    "Staff read the third-party contact list of older relatives. She has been getting lifts.",
    # the child paying her own way
    "Staff asked how she's paying for her new course books. She has been getting lifts.",
    # this presents as
    "On balance this presents as a family row. He gives her lifts.",
])
def test_words_that_only_look_like_signs(tag, text):
    assert tag(text).labels == []


def test_brought_to_hospital_is_care_not_movement(tag):
    r = tag("Lacey (13) was brought to Royal Derby Hospital by a neighbour. She had wraps of crack and a burner.")
    assert "CCE" in r.labels and "TRAFFICKING" not in r.labels


def test_harbouring_is_still_a_sign(tag):
    r = tag("Police believe the man has been harbouring Amir (15) at his flat in Luton.")
    assert "TRAFFICKING" in r.labels


def test_an_adult_paying_for_her_is_still_a_gift(tag):
    r = tag("A man in his 30s pays for her nails and her phone.")
    assert "CSE_GIFTS" in [m.code for m in r.indicators]


def test_a_sexual_health_visit_after_sex_with_a_peer_is_one_sign_not_two(tag):
    r = tag("Lily (15) went to the sexual health clinic for an STI screen after her first sexual "
            "relationship with her boyfriend (15, same class).")
    assert r.labels == []


def test_sexual_health_still_counts_with_another_sign(tag):
    r = tag("Lily (15) went to the sexual health clinic. She says a man of 32 buys her vodka.")
    assert "CSE" in r.labels


def test_same_sign_as_must_name_an_indicator_of_the_same_category(tmp_path):
    (tmp_path / "x.yaml").write_text(textwrap.dedent("""\
        category: CSE
        indicators:
          - {code: X, description: d, source: s, same_sign_as: [Y], patterns: {phrases: [x]}}
    """))
    with pytest.raises(LexiconError, match="same_sign_as"):
        load_lexicon(tmp_path)
    assert load_lexicon(DEFAULT_DIR).indicators["CSE_SEXUAL_HEALTH"].same_sign_as == ("CSE_SEXUAL_ACTIVITY",)


# --- what was checked and what was only wondered ----------------------------------------------------
def test_checked_wages_explain_the_money(tag, ctx):
    r = tag("Aiden (16) had £640 on him. He is on a paid apprenticeship at a garage - payslips seen.")
    assert ctx(r, "CCE_UNEXPLAINED_CASH") == ["explained"]


def test_a_phone_in_her_own_name_is_explained(tag, ctx):
    r = tag("Shanice has a new phone. It is a contract in her own name paid from her wages - bank "
            "statements seen.")
    assert ctx(r, "CSE_GIFTS") == ["explained"]


def test_what_staff_wondered_about_is_not_a_finding(tag, ctx):
    r = tag("Night staff wondered about county lines given where he used to live.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["hypothetical"]


def test_a_brothers_line_stays_his_past_a_phone_number(tag):
    r = tag("Older brother Reece Hale (19) arrested in Chester with a deal line phone, 07700 900 977, believed "
            "to be running a county line into Rhyl. Younger sister Mia (14) lives at the address. Nothing "
            "to suggest Mia is involved.")
    assert "CCE" not in r.labels


# --- signs written in new ways -------------------------------------------------------------------
@pytest.mark.parametrize("text, label", [
    # sextortion as a demand with a deadline
    ("Kian (14) sent intimate pics to someone he thought was a girl his age; now told to pay £150 by "
     "midnight or they go to all his followers.", "CSE"),
    # a deal line's bulk texts
    ("The handset attributed to Leon (15) is sending bulk texts across the estate.", "CCE"),
    # paid to hold
    ("Harvey (13) said a lad called Mikey would give him 40 quid to hold it until tonight.", "CCE"),
    # scales with wraps is supply
    ("Found in the stairwell with digital scales and 12 wraps in a crisp tube.", "CCE"),
    # getting into different cars at night, back with cash
    ("CCTV shows Chantelle (16) getting into different cars outside most nights; she came back at 3am "
     "with cash.", "CSE"),
    # a journey debt owed for the lorry
    ("Hamid (16) says he still owes for the lorry here and has to keep working at the car wash.",
     "TRAFFICKING"),
])
def test_signs_in_new_words(tag, text, label):
    assert label in tag(text).labels


def test_a_debt_for_the_lorry_is_not_a_drug_debt(tag):
    r = tag("Hamid (16) says he still owes for the lorry here. No drugs, nobody asked him to sell.")
    assert "CCE" not in r.labels


def test_a_quantity_of_wraps_is_selling(tag, ctx):
    r = tag("Located at a flat with 2 adults and a quantity of wraps and a burner.")
    assert ctx(r, "CCE_SELLING") == ["asserted"] and "CCE" in r.labels


def test_drove_him_down_is_travel_arranged_but_not_down_the_road(tag):
    found = "He was found with crack wraps and a line phone. "
    assert "TRAFFICKING" in tag(found + "His cousin's mate drove him down in a silver Corsa.").labels
    assert "TRAFFICKING" not in tag(found + "Mum drove him down the road to school.").labels


# --- batches H and I (d592-d691) ------------------------------------------------------------------
def test_a_hyphen_does_not_end_a_negations_scope(tag, ctx):
    # " - " between clauses ends it; the hyphen in "no-one" did too, so "no-one" negated nothing
    r = tag("He says no-one has ever asked him to hold stuff for them.")
    assert r.labels == [] and set(ctx(r, "CCE_HOLDING")) == {"negated"}


def test_a_dash_between_clauses_still_ends_negation(tag):
    r = tag("He denied it all - police found him holding drugs for an older lad.")
    assert "CCE" in r.labels


def test_a_denial_governs_each_item_of_its_list(tag):
    r = tag("Ruby denied anyone has ever asked her to carry anything, sent her money or gifts, or asked "
            "for images, and nothing from school suggests otherwise.")
    assert r.labels == []


def test_a_denial_does_not_reach_a_new_clause(tag):
    r = tag("She denied knowing him and police later found her in his car with vodka he had given her and "
            "a man of 34 who had booked the hotel room.")
    assert "CSE" in r.labels


def test_drugs_supplied_to_her_are_not_dealing(tag):
    r = tag("Worker's view: older boyfriend, gifts, alcohol and drugs supplied, a hotel party with adult men.")
    assert "CCE" not in r.labels and "CSE" in r.labels
    assert "CCE_DEALING" in [m.code for m in tag("He is known for supplying drugs in the area.").indicators] or \
        "CCE" in tag("He was supplying drugs to users on the estate for the olders.").labels


def test_being_held_on_the_journey_is_not_holding_for_someone(tag):
    r = tag("In Libya he was held for several weeks before he could leave.")
    assert "CCE_HOLDING" not in [m.code for m in r.indicators]
    assert "CCE" in tag("She was holding for Jay when police stopped her.").labels


def test_asked_to_hold_them(tag):
    r = tag("Police found 14 wraps in her bra and she said Kai just asked her to hold them.")
    assert "CCE" in r.labels


def test_a_nail_bar_is_a_workplace_not_a_gift(tag):
    r = tag("She works every day at a nail bar to pay back the uncle who arranged her journey. She shares "
            "a room with two adult men.")
    assert "CSE" not in r.labels and "TRAFFICKING" in r.labels


def test_the_child_asking_the_worker_not_to_tell_is_not_grooming(tag):
    r = tag("Linh asked us not to tell anyone. A man bought her a phone.")
    assert "CSE_ONLINE_GROOMING" not in [m.code for m in r.indicators]


def test_a_settled_past_journey_is_historical(tag):
    r = tag("We revisited his journey. He was clear that the smugglers were paid before he left by his "
            "uncle. He was granted refugee status last year. Assessment: historic journey only, no current "
            "control.")
    assert r.labels == []


def test_debt_bondage_is_trafficking_not_a_drug_debt(tag):
    r = tag("Assessment: forced labour and debt bondage at the car wash.")
    assert r.labels == ["TRAFFICKING"]


def test_an_adults_threat_to_post_it_unless_she_sends_more(tag):
    r = tag("i sent him one pic n now he says he'll post it everywhere unless i send more")
    assert "CSE" in r.labels


@pytest.mark.parametrize("text, label", [
    # a shoplifting list sent to the child
    ("Bossman sends me a list on snap n me n Kyle grab it from Boots, he gives us twenty quid a go", "CCE"),
    ("An older lad has been giving him 'lists' - stuff from Boots and JD - and pays him £20 a bag.", "CCE"),
    # transported by an adult to another town for a hotel party
    ("Older boyfriend, gifts, a hotel party, transported to another town by him.", "TRAFFICKING"),
    # a man's photos, lifts and money
    ("There are older lads who want photos. She's been given £50 and a bracelet and always gets a lift "
     "home.", "CSE"),
    # sex with men, massage for men
    ("She was at a flat doing massage for men and is being moved to Watford for sex with men.", "CSE"),
    # a taxi nobody booked, alcohol on her, love bites
    ("Back in a taxi staff didn't book, driver said it was already paid. Smelt strongly of alcohol. Staff "
     "noted love bites on her neck.", "CSE"),
    # images for money
    ("She's been sending pics to a lad on snap who sorted her £40 and a top.", "CSE"),
    # made to do sexual things to knock money off a debt
    ("They made him do sexual things with one of them to knock money off.", "CSE"),
    # money muling
    ("She let a man use her Monzo to move some money around and he gave her £100; account frozen.", "CCE"),
    # online grooming signs
    ("Someone who says he is 18 told her she's mature for her age, asked her to delete chats and not "
     "tell ur mum, and asked for a cute pic in your pjs.", "CSE"),
    # the child's own words
    ("hes 25 n got his own flat, he gives me weed n vodka n i can stay wenever", "CSE"),
    ("a lad called Mo and his mates who got her a bottle and said I can stay in the room upstairs. She "
     "was drunk.", "CSE"),
    # men expected things from her
    ("At night she had to stay at houses where men expected stuff from her.", "CSE"),
    # a name between boyfriend and age
    ('She stays at the flat of her "boyfriend" Kai Doyle (24).', "CSE"),
])
def test_more_signs_in_new_words(tag, text, label):
    assert label in tag(text).labels


def test_a_strong_sign_inside_a_weaker_ones_span_is_kept(tag, ctx):
    # "older ... party" matches across the whole list and used to hide the older boyfriend
    r = tag("Analysis: older boyfriend, gifts, a hotel party.")
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"] and "CSE" in r.labels


def test_not_paid_for_helping_a_boyfriend_deal_is_not_forced_labour(tag):
    r = tag("She keeps drugs for him in her wardrobe. She says she doesn't get paid for that, it's just "
            "helping.")
    assert "CCE" in r.labels and "TRAFFICKING" not in r.labels
    assert "TRAFFICKING" in tag("He works at the car wash and doesn't get paid.").labels


@pytest.mark.parametrize("text", [
    # a worry read about, then checked
    "Mum had read about county lines on Facebook and was convinced he was being used by a gang.",
    # time spent on advice
    "We spent some time on county lines and how it starts.",
    # a threshold not met
    "Trafficking threshold not met at present.",
])
def test_more_words_that_do_not_assert_a_sign(tag, text):
    r = tag(text)
    assert r.labels == [] and "asserted" not in [m.context for m in r.indicators]


def test_presents_checked_later_are_explained(tag, ctx):
    r = tag("Lily had a new necklace and perfume she couldn't account for. The necklace and perfume were "
            "birthday presents he bought with his wages.")
    assert set(ctx(r, "CSE_GIFTS")) == {"explained"}


def test_a_sexual_health_visit_is_not_advice_because_of_a_leaflet(tag):
    r = tag("She'd found a leaflet from the sexual health clinic. She has an older male friend.")
    assert "CSE" in r.labels


# --- entities ---------------------------------------------------------------------------------
def people(result):
    return [e.text for e in result.entities if e.label == "PERSON"]


def places(result):
    return [e.text for e in result.entities if e.label == "LOCATION"]


def test_a_title_is_part_of_the_name(tag):
    r = tag("Interpreter Mr Dao on the phone; Mrs Osagie and Dr Patel attended.")
    assert people(r) == ["Mr Dao", "Mrs Osagie", "Dr Patel"]


def test_a_town_after_a_first_name_is_a_surname(tag):
    r = tag("Ellie Sutton (15) and Tom Aldridge were seen in Sutton.")
    assert people(r) == ["Ellie Sutton", "Tom Aldridge"] and places(r) == ["Sutton"]


def test_a_name_with_an_age_after_a_place_word_is_a_person(tag):
    r = tag("Visit to Linh (16, UASC) at home in Erdington.")
    assert people(r) == ["Linh"] and places(r) == ["Erdington"]


def test_a_nickname_of_everyday_words(tag):
    assert people(tag("She met Mama Joy at the airport.")) == ["Mama Joy"]


@pytest.mark.parametrize("text, place", [
    ("She was seen at Riverside Sexual Health Clinic.", "Riverside Sexual Health Clinic"),
    ("He lives at Crossways Hostel.", "Crossways Hostel"),
    ("Taken to Hull Royal Infirmary.", "Hull Royal Infirmary"),
    ("Found at Cardiff Bay.", "Cardiff Bay"),
])
def test_venue_words_end_a_place(tag, text, place):
    assert place in places(tag(text))


@pytest.mark.parametrize("number", ["(07700) 900871", "0770 090 0733"])
def test_mobiles_in_other_groupings(tag, number):
    r = tag(f"His number is {number}.")
    assert [e.text for e in r.entities if e.label == "PHONE"] == [number]


def test_an_intelligence_grading_is_not_a_postcode(tag):
    r = tag("Youth seen handing off in the underpass. Grading B2. Lives in B2 per the intel.")
    assert [e.text for e in r.entities if e.label == "POSTCODE"] == ["B2"]


# --- batches K, L and M (d742-d891) ---------------------------------------------------------------
@pytest.mark.parametrize("text, label", [
    # collected by a man in his twenties; "sorts me out"
    ("She has been collected from the bus bay by a male described by staff as early 20s.", "CSE"),
    # money for a date
    ("An Insta account DM'd her offering £200 'for a date'.", "CSE"),
    # holding it for a named lad
    ("Knife found in his bag. He said it's not his, I'm holding it for Trigga.", "CCE"),
    # running bits for an older man, cash
    ("He said 'my guy Sully' sorted it for running bits up to a flat after school. He had a wad of cash.",
     "CCE"),
    # a shoplifting list paid per item
    ("A man at the market gives her a list on his phone each week and pays her £10 per item.", "CCE"),
    # handing something to people waiting
    ("Seen in the passenger seat of a Golf with an older guy; watched him get out and hand something "
     "small to people waiting.", "CCE"),
    # an adult's flat, weed, wanting stuff back
    ("He stays some nights at the flat of a man (40s). The man gives him weed and sometimes wants stuff "
     "back.", "CSE"),
    # a drug menu and drop instructions
    ("His Snap posts a menu w prices and messages telling him where to drop.", "CCE"),
    # a ticket a mate sorted, cash and phones
    ("He had £340, two phones and a train ticket from Bristol that he says a mate sorted on his app. "
     "Found in a flat in Weston-super-Mare.", "TRAFFICKING"),
    # his age without an apostrophe
    ("came in with vodka and fags, says a lad called ash bought them for her, hes 'like 22'.", "CSE"),
    # orders put in by the olders
    ("Stopped with six bottles of aftershave; the olders put in orders and pay him £20 a bottle.", "CCE"),
    # deal-line orders
    ("A nokia that rang 15 times in an hour with texts like 'need 2 x b and 1 w'.", "CCE"),
    # short on the bag
    ("They took his trainers cos he was short on the bag and he still has to pay the olders back.", "CCE"),
    # serving out of a flat
    ("Police say he was sent to Newquay by a Luton line and was serving out of a flat there.", "CCE"),
    # bags of weed, bought off her, to shift
    ("Found with 9 little bags of weed; girls said they bought off her. Her man gave it her to 'shift'.",
     "CCE"),
    # can't come back till the bags are done
    ("He rang from Swansea and said he can't come back till the bags done. A man drove him there.",
     "TRAFFICKING"),
    # a fake uncle who rings late at night
    ("Uncle Ray got it her; there is no Uncle Ray in the family. He rings her late at night. She has a "
     "£300 coat.", "CSE"),
    # a taxi nobody ordered, new trainers
    ("Came back with new trainers; an Uber to the door that nobody at home ordered.", "CSE"),
    # picking up parcels for a gamer
    ("He has been picking up 'parcels' from a lad and walking them to a house, £50 a time.", "CCE"),
    # a debt for the ticket and papers
    ("She is told she owes £4,000 for the ticket and the papers.", "TRAFFICKING"),
    # cannabis grow
    ("Kept upstairs watering plants and changing the lights.", "CCE"),
    # holding his stuff in her bra
    ("She holds 'his stuff' in her bra because feds won't search a girl.", "CCE"),
    # a taxi fare paid by a lad, older lads, drinking
    ("Came back in a taxi; the fare had been paid by a lad called Mo. She had been drinking.", "CSE"),
    # told to keep the men happy
    ("Men came round and she was told to keep them happy.", "CSE"),
])
def test_signs_from_the_last_batches(tag, text, label):
    assert label in tag(text).labels


@pytest.mark.parametrize("text", [
    # a resolved concern from last March
    "Last March we raised a concern that an older lad (19) was giving her lifts and buying her food. "
    "Closed by children's social care in June. Nothing current.",
    # an assembly
    "Following last week's county lines assembly he asked some questions.",
    # a parent's worry
    "A parent was worried he was involved in county lines. He has a second phone.",
    # a cracked screen is no drug
    "His phone screen cracked last week. He had £200 he could not explain.",
    # staff asked to keep him in
    "He was searched and had a lock knife. Please keep him in tonight. He says he has no older friends.",
    # the host looked at trafficking with her
    "We looked at trafficking and how fake job adverts offer travel then take your passport.",
    # the child thought it funny
    "He thought it was funny the police thought I was a drug dealer.",
    # a worry about money muling, checked
    "Mum was worried about money muling; the £250 was birthday money from his grandad.",
    # sold her old games console
    "She had £150 and says she sold her old PS4.",
])
def test_notes_the_last_batches_must_leave_untagged(tag, text):
    assert tag(text).labels == []


def test_a_worker_asked_to_keep_a_log_is_not_holding(tag):
    r = tag("The SW asked me to keep a log of every call. Yonas kept his passport.")
    assert "CCE_HOLDING" not in [m.code for m in r.indicators]


def test_a_checked_lift_from_a_manager_is_explained(tag):
    r = tag("Bilal gets lifts home from an older man. I checked: the driver is the duty manager and it is an "
            "agreed arrangement.")
    assert "CSE" not in r.labels


def test_a_receipt_for_nails_is_not_a_check(tag):
    r = tag("Staff found an £85 receipt for nails and a Pandora bracelet box. She is 14 and a man of 25 "
            "paid.")
    assert "CSE" in r.labels


def test_a_friends_parties_are_hers_when_the_note_clears_the_child(tag):
    r = tag("Imani is worried about her friend Tia, who has been going to 'parties' at a house with men in "
            "their twenties and gets picked up in a Range Rover. No concerns for Imani arising from this.")
    assert r.labels == []


def test_a_brothers_line_far_back_in_a_long_sentence(tag):
    r = tag("Ollie's older brother Kai (18, lives with dad, not placed here) was arrested in Ipswich on "
            "Saturday - police say he was running a line from Tottenham. No concerns for Ollie re CCE at "
            "this time.")
    assert "CCE" not in r.labels


def test_said_starts_a_new_clause_for_negation(tag, ctx):
    r = tag("He came back with a phone dad has never seen before and said he wasn't allowed to leave till "
            "Stu said so.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]


def test_movement_needs_another_town_not_a_flat_across_town(tag):
    # found by a fix to how far the place check reads: "to a hotel in Nottingham 'for a" ended at "a"
    assert "TRAFFICKING" in tag("Zee's mates picked her up from the home in Derby and drove her to a hotel "
                                "in Nottingham for a party with older lads. Love bites on her neck.").labels
    assert "TRAFFICKING" not in tag("Rico (22) picks her up and takes her to a hotel near Pride Park where "
                                    "his mates give her vodka and she has to be nice to them.").labels


def test_grooming_online_for_drug_runs_is_cce_not_cse(tag):
    r = tag("A gamer sent him V-bucks then told him not to tell his mum. He has been picking up 'parcels' "
            "from a lad and walking them to a house, £50 a time.")
    assert r.labels == ["CCE"]


def test_a_debt_to_the_man_who_had_her_at_a_party_is_cse(tag):
    r = tag("Four older men at the apartment for a 'party'. She was given pills. Came back with £100 and new clothes. "
            "She says Rizz told her she owes him for the weekend.")
    assert r.labels == ["CSE"]


def test_people_found_in_the_more_names_list(tag):
    r = tag("Seen by Helen Marsh (SW) and Lorna Pike. Deshawn (15) was at home.")
    assert [e.text for e in r.entities if e.label == "PERSON"] == ["Helen Marsh", "Lorna Pike", "Deshawn"]


@pytest.mark.parametrize("text, place", [
    ("Dropped at Swansea Central.", "Swansea Central"),
    ("He goes to Castlebrook High.", "Castlebrook High"),
    ("Got off at Bristol Temple Meads.", "Bristol Temple Meads"),
])
def test_stations_and_schools(tag, text, place):
    assert place in [e.text for e in tag(text).entities if e.label == "LOCATION"]


def test_i_in_quotes_is_not_a_person(tag):
    r = tag("He has her bank card and 'I'll get them back' he said.")
    assert [e.text for e in r.entities if e.label == "PERSON"] == []


def test_a_pound_sign_inside_a_range_still_starts_a_rule(tag):
    # the tokenizer leaves the second "£" of "£50-£100" inside a token the matcher cannot see
    r = tag("He's been coming in with £50-£100 and has a burner phone.")
    assert [m.text for m in r.indicators if m.code == "CCE_UNEXPLAINED_CASH"] == ["£100"]


@pytest.mark.parametrize("text, handles", [
    ("Someone she met on Roblox moved her onto Discord as xXDarkWolfXx.", ["xXDarkWolfXx"]),
    ("She had been messaging Snapchat users k.dent_tm and bigmanlux00.", ["k.dent_tm", "bigmanlux00"]),
    ("His gaming friends are from class, gamertags ChazzaW_09, olliecrafts and R3ubz.",
     ["ChazzaW_09", "olliecrafts", "R3ubz"]),
    ("Someone called zeeprince44 has been messaging her non stop.", ["zeeprince44"]),
    ("her phone was going mad with snaps from ash.x.2001. shes in bed now", ["ash.x.2001"]),
    ("Messages from someone called 'jayden.x.18' on Instagram.", ["jayden.x.18"]),
])
def test_handles_written_in_more_ways(tag, text, handles):
    assert [e.text for e in tag(text).entities if e.label == "SOCIAL"] == handles


@pytest.mark.parametrize("text", [
    "Police (via FIU): Ryan's bank account recieved 7 payments.",
    "Her account doesn't fit what's known.",
    "She's been on Snapchat constantly since Friday.",
    "He was on his Xbox at 2am on Xbox Live.",
    "They agreed to block the handle (screenshots taken first).",
])
def test_words_after_an_app_that_are_not_handles(tag, text):
    assert [e.text for e in tag(text).entities if e.label == "SOCIAL"] == []


# --- batches N, O and P (d892-d1041) ----------------------------------------------------------------
@pytest.mark.parametrize("text, label", [
    ("Leah (14) picked up from gates by male in black BMW, approx 25yrs.", "CSE"),
    ("Been talking to 'a girl' on insta, sent pics, now being told pay £200 or they go to all his mates.",
     "CSE"),
    ("Reuben (13) on his bike at the flats most eves, whistles when cars pull in.", "CCE"),
    ("Gamertag xXDarkLuka99Xx sending Jake vbucks and asking for 'a pic w/out ur top'.", "CSE"),
    ("FC found 14 little bags of white powder in her coat; she said she was keeping it safe for Kez.",
     "CCE"),
    ("Told youth worker he was driven down by Bigz and had to 'shot' from there.", "CCE"),
    ("Lola says its not like that re Craig, 31, from the chippy. Lets her stay at his when she rows w/ "
     "mum, buys her vodka + weed.", "CSE"),
    ("The older lads give her voddie and let her stay at theres; 1 of them 'Jaz' is 22 and has pics of "
     "her on his phone.", "CSE"),
    ("After he sent one, the account demanded £200 or the picture would go to all his followers.", "CSE"),
    ("She's been driven to Leicester by a woman and made to nick make-up off a list; Bev tells her she "
     "owes for the petrol and the food.", "TRAFFICKING"),
    ("Holly (15) was collected by a man she calls Shaz, who's like 20. Shaz drove her and her mate to Hull "
     "for a party.", "TRAFFICKING"),
    ("Her phone had a list of sizes the lads wanted.", "CCE"),
    ("Marley (13) shouting 'feds!' as we approached. The olders pay him £20 a day to 'watch'.", "CCE"),
    ("Found at Aberdeen station with two phones; says a boy called Deano sorted the train and he was "
     "just graftin.", "TRAFFICKING"),
    ("'Ma pal Stevie' gets them for her; Stevie is thought to be about 23. He sent 'send us a wee pic "
     "babe'.", "CSE"),
    ("Shane has started getting her to drop wee bits to people round the town with bags in her bra.",
     "CCE"),
    ("The account says it'll send them to everyone in his school and his mum's Facebook friends unless "
     "he buys £50 of gift cards.", "CSE"),
    ("He got bumped for a QP and now has to graft it back for Tall Lee.", "CCE"),
    ("He was sent to see people with little packages and told to bring back the money.", "CCE"),
    ("FC concerns: Megan (15) seeing 'Kez' (approx 23).", "CSE"),
])
def test_signs_from_the_third_round(tag, text, label):
    assert label in tag(text).labels


def test_a_weekly_sum_given_for_work_is_not_a_gift(tag):
    r = tag("He sleeps in a container with two adult men and is given £20 a week because he still owes for "
            "the journey.")
    assert r.labels == ["TRAFFICKING"]


def test_a_parent_at_the_end_of_a_clause_is_not_the_subject(tag, ctx):
    r = tag("Lets her stay at his when she rows w/ mum, buys her vodka.")
    assert ctx(r, "CSE_SUBSTANCES_GIVEN") == ["asserted"]
    assert ctx(tag("Mum buys her vodka for parties at home."), "CSE_SUBSTANCES_GIVEN") == ["explained"]


def test_talked_thru_is_talk(tag):
    r = tag("Direct work. Talked thru sextortion and grooming signs.")
    assert r.labels == []


def test_a_half_brother_confirmed_explains_the_lifts(tag):
    r = tag("She has been picked up most days by an adult male and has a new phone. Police: the car is her "
            "half-brother's, "
            "identity confirmed with photo ID and by mum.")
    assert r.labels == []


def test_a_threat_to_a_family_is_not_sextortion(tag):
    r = tag("He wants to go back to work 'or they will be angry with my family'.")
    assert "CSE" not in tag("He sleeps with three older men. " + "He wants to go back to work 'or they "
                            "will be angry with my family'.").labels
    assert "CSE_SEXTORTION" not in [m.code for m in r.indicators]


def test_told_to_keep_it_a_secret_is_not_holding(tag):
    # found on the frozen test split (see the closing note); the rule came from batch I
    r = tag("He told her to keep it a secret and not tell her mum.")
    assert "CCE_HOLDING" not in [m.code for m in r.indicators]
    assert "CCE" in tag("He told her to keep it in her room for him.").labels


@pytest.mark.parametrize("text, plate", [
    ("Car: red Seat Leon, partial YD7.", "YD7"),
    ("a dark blue Mercedes C-Class, reg starting PK7.", "PK7"),
    ("drives a silver Vauxhall Corsa, SG68 reg, seen waiting", "SG68"),
    ("a black Mercedes A-Class, WF70 something.", "WF70"),
    ("a private plate (staff have noted it starts TY5).", "TY5"),
])
def test_partial_plates_after_a_car_or_a_cue(tag, text, plate):
    assert plate in [e.text for e in tag(text).entities if e.label == "VEHICLE"]


def test_a_postcode_district_alone_is_still_a_postcode(tag):
    assert [e.text for e in tag("She lives in SG1 with her nan.").entities if e.label == "POSTCODE"] == ["SG1"]


def test_a_place_window_longer_than_twelve_words_is_read(tmp_path):
    # the word-window regexes were a table of twelve; a council's lexicon may ask for more
    from rhi_service.analysis.pipeline import Tagger
    (tmp_path / "t.yaml").write_text(textwrap.dedent("""\
        category: TRAFFICKING
        indicators:
          - {code: T_FAR, description: d, source: s, requires_place_within: 14,
             patterns: {phrases: [sent off]}}
    """))
    tagger = Tagger(lexicon_dir=tmp_path)
    text = "He was sent off one two three four five six seven eight nine ten eleven to Leeds."
    assert [m.code for m in tagger.tag(text).indicators] == ["T_FAR"]
    assert tagger.tag("He was sent off with a warning by the referee.").indicators == []
