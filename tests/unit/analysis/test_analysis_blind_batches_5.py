"""Rules added in the eighth session, after three batches by writers who never saw the lexicon (MASH
screening records and chronologies; hostel, housing, transport and hotel staff; children with
learning disabilities and online-first exploitation). Each case failed before its rule, except the
guards that pin a rule's limits. Where a sign only supports a label, the note carries a second sign so
that the rules keep the mention."""


# --- screening headings -------------------------------------------------------------------------
def test_a_screening_decision_is_a_finding_not_talk(tag, ctx):
    r = tag("Screening decision: RED. Pattern consistent with going OT and staying at a vulnerable adult's "
            "flat out of area.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["asserted"]


def test_a_screening_rating_is_a_finding_not_talk(tag, ctx):
    r = tag("Screening: high, going OT most weekends per police.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["asserted"]
    assert "CCE" in r.labels


def test_screening_questions_are_still_talk(tag, ctx):
    r = tag("Exploitation screening: asked about going OT and being given a phone.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["hypothetical"]
    assert r.labels == []


# --- CSE ------------------------------------------------------------------------------------------
def test_a_hotel_named_by_its_chain(tag, ctx):
    r = tag("Staff found a key card for the Ibis in her coat. Her older boyfriend is 24.")
    assert ctx(r, "CSE_HOTEL") == ["asserted"]


def test_a_boyfriend_whose_age_comes_with_its_source(tag, ctx):
    r = tag("Her 'boyfriend' Jamal (27 per police) rings her every night.")
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"]
    assert r.labels == ["CSE"]


def test_a_bracketed_number_that_is_not_an_age(tag, ctx):
    r = tag("Her boyfriend Jamal (20 mins away on the bus) rings her every night.")
    assert ctx(r, "CSE_OLDER_PARTNER") == []


def test_an_age_guessed_in_brackets_as_one_word(tag, ctx):
    # "24ish" is one token, so the word "ish" never opened the rule
    r = tag("Her mate Tee (24ish) picks her up outside Asda.")
    assert ctx(r, "CSE_ADULT_MALE") == ["asserted"]
    r = tag("Her mate Tee (30?) picks her up outside Asda.")
    assert ctx(r, "CSE_ADULT_MALE") == ["asserted"]


def test_asked_to_go_on_video_in_the_bath(tag, ctx):
    r = tag("A man she met on Roblox sends her gift cards and asked her to go on video in the bath.")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]
    assert r.labels == ["CSE"]


# --- travel arranged by others --------------------------------------------------------------------
def test_a_taxi_from_out_of_area_paid_for_by_someone_else(tag, ctx):
    r = tag("She came back by taxi from out of area, paid for by someone else. Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_travel_booked_on_an_account_that_is_not_hers(tag, ctx):
    r = tag("Uber receipts on her phone, booked on an account that isnt hers. Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


def test_a_ticket_on_a_card_not_belonging_to_the_family(tag, ctx):
    r = tag("Train ticket bought online on a card not belonging to family. He admits going OT for them.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert r.labels == ["CCE", "TRAFFICKING"]


def test_the_journey_and_the_room_booked_together(tag, ctx):
    r = tag("Her boyfriend books the taxi and the room. Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


# --- CCE ------------------------------------------------------------------------------------------
def test_parcels_dropped_to_addresses(tag, ctx):
    r = tag("He was told to drop a parcel to addresses round the estate after school.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_paid_by_the_night_to_drop_off(tag, ctx):
    r = tag("The kid told the driver Craig gives him £50 a night to 'drop off'.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]
    assert r.labels == ["CCE"]


def test_a_count_of_drops_done(tag, ctx):
    r = tag("From his own messages he has done 'about 5 drops' for Zee.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_stuff_held_in_her_bag_for_him(tag, ctx):
    r = tag("In return she 'holds stuff' in her bag for him and his mates.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]
    assert r.labels == ["CCE"]


# --- round 10 (youth justice and courts; rural, coastal and Scottish; less usual victims) ---------
def test_paid_to_text_if_he_sees_police(tag, ctx):
    r = tag("Benny gives him £20 a night to text if he sees police or a van he doesnt know.")
    assert ctx(r, "CCE_LOOKOUT") == ["asserted"]
    assert r.labels == ["CCE"]


def test_watching_the_road_for_a_group(tag, ctx):
    r = tag("He stands at the end of the close most evenings 'watching the road' while the men are in and out.")
    assert ctx(r, "CCE_LOOKOUT") == ["asserted"]


def test_owed_for_a_bag_he_lost(tag, ctx):
    r = tag("Lewis told HoY he owes Tayler 80 for a bag of green he lost.")
    assert ctx(r, "CCE_DRUG_DEBT") == ["asserted"]


def test_running_bits(tag, ctx):
    r = tag("Tayler has got him running bits after school to clear it.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_running_bits_and_pieces_is_errands(tag, ctx):
    r = tag("She was running bits and pieces to the shop for her nan.")
    assert ctx(r, "CCE_DEALING") == []


def test_holding_his_food_and_a_blade(tag, ctx):
    r = tag("She holds his food and a blade at her nan's flat because 'feds dont raid nans'.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]
    assert r.labels == ["CCE"]


def test_holding_drugs_for_someone_named(tag, ctx):
    r = tag("Jess told the AA in the cell she holds weed for Spence.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


def test_holding_bags_for_mum_is_not_holding_for_a_group(tag, ctx):
    r = tag("She holds the bags for her mum at the market on Saturdays.")
    assert ctx(r, "CCE_HOLDING") == []


def test_an_nrm_made_by_police_is_not_explained_away(tag, ctx):
    r = tag("Interpreter requested. NRM by police tonight.")
    assert ctx(r, "TRAF_NRM") == ["asserted"]
    assert r.labels == ["TRAFFICKING"]


def test_locked_inside_and_brought_by_lorry(tag, ctx):
    r = tag("Police found him locked inside a cannabis grow. Says men brought him by lorry then van.")
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]
    assert ctx(r, "TRAF_BROUGHT_TO_UK") == ["asserted"]


def test_drives_us_to_another_town(tag, ctx):
    r = tag("She says Kaz, a man in his 30s, 'drives us to Blackpool for parties' with older men there.")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_no_ce_concerns_for_someone_named(tag, ctx):
    r = tag("Jordan is a witness about his mate Callum, who was arrested after going OT. "
            "OIC confirmed no CE concerns for Jordan.")
    assert ctx(r, "CCE_COUNTY_LINES") == ["other_person"]
    assert r.labels == []


# --- round 11 (residential homes; community voices; one-line duty entries) -------------------------
def test_drove_us_over(tag, ctx):
    r = tag("She said she was from Hull and 'Kris drove us over Friday, we get paid after'. "
            "A man in his 30s took the food at the Travelodge.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


def test_tickets_bought_for_him_by_someone_named(tag, ctx):
    r = tag("Connor was found in a trap house in Aberystwyth. Train tickets were bought for him by Kash who met him "
            "at Birmingham Intl.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_a_taxi_booked_and_paid_by_someone_unknown(tag, ctx):
    r = tag("yp picked up from resi 2200 by taxi booked + paid by unknown. located Southend 0300 w/ 14 wraps in her bra")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert r.labels == ["CCE", "TRAFFICKING"]


def test_paid_her_train(tag, ctx):
    r = tag("yp back from B'ham sun. says 'Kai' paid her train fri. Admits she was made to have sex with his mates.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


def test_the_signs_of_a_boy_working_to_pay_for_the_boat(tag, ctx):
    r = tag("Told her 'boss has my ID, I pay him back for the boat'. Says he gets no wages, just food, "
            "and sleeps in the portacabin.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]
    assert ctx(r, "TRAF_JOURNEY_DEBT") == ["asserted"]
    assert ctx(r, "TRAF_UNPAID_WORK") == ["asserted"]
    assert ctx(r, "TRAF_FORCED_WORK") == ["asserted"]


def test_made_to_sort_out_his_mates(tag, ctx):
    r = tag("She 'has to do the drops or he'll make her sort out his mates'. He makes her 'do stuff' with his friends.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted", "asserted"]
    assert "CSE" in r.labels


def test_an_image_promised_for_credit(tag, ctx):
    r = tag("Overheard saying 'ill send it after you top me up babe'.")
    assert ctx(r, "CSE_IMAGES_FOR_REWARD") == ["asserted"]
    assert r.labels == ["CSE"]


def test_money_off_what_she_owes(tag, ctx):
    r = tag("Store detective heard the woman say 'thats your £50 off what you owe'. The olders send her a list.")
    assert ctx(r, "CCE_OWES_GROUP") == ["asserted"]


def test_needed_on_the_line(tag, ctx):
    r = tag("txt from 07700 900412 'yo need u on the line 2nite' seen on yps phone by FC 2245")
    assert ctx(r, "CCE_COUNTY_LINES") == ["asserted"]
    assert r.labels == ["CCE"]


def test_a_quote_inside_his_food(tag, ctx):
    r = tag("She holds his 'food' in her bra when they go out.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


def test_a_relative_of_a_partner_not_related_to_the_child(tag, ctx):
    r = tag("mum disclosed her partners nephew was trafficked from Albania + is in NRM - not related to yp, "
            "no contact w him, noted for context only")
    assert set(ctx(r, "TRAF_NRM")) == {"other_person"}
    assert r.labels == []


# --- round 12 (interpreted conversations; independent schools; online and music worlds) -----------
def test_picks_him_up_is_not_pics(tag, ctx):
    r = tag("Kane gives him £10 for every bag he sells and picks him up on Saturdays.")
    assert ctx(r, "CSE_IMAGES_FOR_REWARD") == []


def test_paying_a_debt_off_with_pictures(tag, ctx):
    r = tag("He owes them £150 and one of them said he can 'pay it off with pics'. Sent 2.")
    assert ctx(r, "CSE_IMAGES_FOR_REWARD") == ["asserted"]
    assert "CSE" in r.labels


def test_a_knife_that_is_not_his_is_not_a_phone(tag, ctx):
    r = tag("Max said straight away that the knife is not his. He has been selling weed for Kane.")
    assert ctx(r, "CCE_BURNER_PHONES") == []


def test_a_phone_that_is_not_his_still_is(tag, ctx):
    r = tag("The phone is not his, he says. He sells weed for the olders.")
    assert ctx(r, "CCE_BURNER_PHONES") == ["asserted"]


def test_a_list_and_money_a_go(tag, ctx):
    r = tag("Amelia says older girls she met at Westfield give her 'a list' and pay her £20 a go.")
    assert ctx(r, "CCE_SHOPLIFTING_TO_ORDER") == ["asserted"]
    assert r.labels == ["CCE"]


def test_keeping_his_stuff_named_as_drugs(tag, ctx):
    r = tag("Since October he has had her keep 'his stuff' - bags of cannabis and a set of scales - in her bedroom.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


def test_tkts_bought_by_someone_named_in_quotes(tag, ctx):
    r = tag("Train tkts to Birmingham + back bought by 'Marcus' (22) on his card. Came back with love bites and a new phone.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_he_booked_the_uber_from_another_town(tag, ctx):
    r = tag("Keeley went to Manchester with 'Ace' - he booked the Uber from Burnley to a hotel, party w/ men 25+.")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_holding_it_for_someone_ends_before_the_name(tag):
    r = tag("He said he was 'holding it for Kane', who can't get stopped with it.")
    assert [m.text for m in r.indicators if m.code == "CCE_HOLDING"] == ["holding it for"]


# --- round 13 (police missing-person records; foster carers' own words; voluntary youth work) ------
def test_paying_a_debt_off_by_doing_stuff_with_him(tag, ctx):
    r = tag("Lee told him he can 'pay it off' by dropping bags round for him, or by 'doing stuff' with Lee and his mate.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]
    assert "CSE" in r.labels


def test_getting_into_the_back_of_a_car_with_men_of_an_age(tag, ctx):
    r = tag("Summer seen getting into back of silver BMW 1 series w/ 2 males approx 25 outside Chicken Cottage.")
    assert "asserted" in ctx(r, "CSE_LIFTS_BY_ADULTS")
    assert ctx(r, "CSE_ADULT_MALE") == ["asserted"]
    assert r.labels == ["CSE"]


def test_a_list_and_the_shops_named(tag, ctx):
    r = tag("A woman called Trina gives her a list and she goes in Boots and Superdrug and takes whats on it.")
    assert ctx(r, "CCE_SHOPLIFTING_TO_ORDER") == ["asserted"]


def test_without_being_asked_is_not_a_denial(tag, ctx):
    r = tag("She also said, without being asked, that Ty makes her 'go with' his mates at the flat.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]


def test_a_carers_family_trip_explains_the_hotel(tag, ctx):
    r = tag("We're staying at the Premier Inn in Cardiff Bay tonight with Aliyah for her swimming gala, family room, "
            "all 3 of us. Her older boyfriend is 24.")
    assert ctx(r, "CSE_HOTEL") == ["explained"]


def test_a_taxi_she_did_not_pay_for_and_driven_here(tag, ctx):
    r = tag("Tiana got back 05:10 in a taxi she didnt pay for. Moz drove her here 'for a party at a hotel'. "
            "Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted", "asserted"]
    assert "TRAFFICKING" in r.labels


def test_he_got_me_the_coach_ticket(tag, ctx):
    r = tag("'Zee got me the coach ticket, said it was a party. theres men keep coming in.' Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert ctx(r, "CSE_PARTIES_WITH_ADULTS") == ["asserted"]


def test_a_topless_picture_of_the_child(tag, ctx):
    r = tag("Gaz showed someone a topless pic of Kieran on his phone. Gaz gives him lifts and bought him trainers.")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]


# --- guards from the session's review ---------------------------------------------------------------
def test_a_man_not_related_to_the_child_is_still_a_sign(tag, ctx):
    r = tag("Seen with her friend and an older male not related to YP who gives her lifts.")
    assert ctx(r, "CSE_ADULT_MALE") == ["asserted"]
    assert r.labels == ["CSE"]


def test_an_interview_in_the_family_room_explains_nothing(tag, ctx):
    r = tag("In the family room she said Jay, 24, gives her lifts and buys her vapes.")
    assert "explained" not in ctx(r, "CSE_LIFTS_BY_ADULTS") + ctx(r, "CSE_GIFTS")
    assert r.labels == ["CSE"]


def test_minutes_are_not_an_age(tag, ctx):
    r = tag("A man about 20 minutes later came into the shop. Jay buys her vapes and gives her lifts.")
    assert ctx(r, "CSE_ADULT_MALE") == []
