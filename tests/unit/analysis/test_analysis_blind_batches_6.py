"""Rules changed in the ninth session: what the eighth session's review left, and what round 14's
batches (health settings; multi-agency minutes; families' own words) showed. Each case failed before
its rule, except the guards that pin a rule's limits."""
import pytest


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


# --- context ----------------------------------------------------------------------------------------
def test_a_denial_inside_a_closed_quotation_governs_only_the_quotation(tag, ctx):
    r = tag('Reuben (24) has her carrying pills in her bra to his mates because "police don\'t search girls", '
            "and in return he gives her weed and a place to crash.")
    assert ctx(r, "CSE_SUBSTANCES_GIVEN") == ["asserted"]


def test_a_denial_in_the_quotation_that_holds_the_mention_still_negates(tag, ctx):
    # guard: the quotation is still open at the mention
    r = tag('She said "nobody gives me weed or anything" and laughed it off. Her boyfriend is 24.')
    assert ctx(r, "CSE_SUBSTANCES_GIVEN") == ["negated"]


def test_an_nrm_not_indicated_is_negated(tag, ctx):
    r = tag("High risk CCE, all local, no travel. NRM not indicated at this time; CAWN to be considered. "
            "He was found with 20 wraps and £400.")
    assert ctx(r, "TRAF_NRM") == ["negated"]
    assert "TRAFFICKING" not in r.labels


def test_cling_film_and_a_drill_video_are_not_talk(tag, ctx):
    r = tag("Police found him in the kitchen with scales, cling film and crack on the side.")
    assert ctx(r, "CCE_DRUGS_FOUND") == ["asserted"]
    r = tag("He is in a drill video holding a zombie knife; intel he was told to 'ride out' on a rival group.")
    assert "asserted" in ctx(r, "CCE_WEAPONS")


def test_a_video_about_grooming_is_still_talk(tag, ctx):
    # guard: the narrowed trigger still reads an educational video as talk
    r = tag("We watched a video about county lines and what grooming looks like.")
    assert r.labels == []
    assert "asserted" not in ctx(r, "CCE_COUNTY_LINES")


def test_an_explanation_that_it_is_her_brother(tag):
    r = tag("Staff worried she has been getting into a silver BMW with an older man after school. Rang mum: "
            "it's her brother Tom (22), he picks her up from netball. No concerns.")
    assert r.labels == []


# --- round 14: CSE ------------------------------------------------------------------------------------
def test_a_boyfriend_with_his_age_after_a_comma(tag, ctx):
    r = tag("Tia (13) says 'I've got a boyfriend, he's 19, we talk on discord'.")
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"]
    assert "CSE" in r.labels


def test_a_boyfriend_with_minutes_after_a_comma_is_no_age(tag):
    # guard
    r = tag("Her boyfriend, he's 20 minutes away, rang mum.")
    assert not [m for m in r.indicators if m.code == "CSE_OLDER_PARTNER"]


def test_been_with_a_man_of_thirty(tag, ctx):
    r = tag("Her friend says Ruby has been 'with' a 30-yr-old called Gaz for a few months.")
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"]


def test_on_cam_with_her_top_off(tag, ctx):
    r = tag("He asks her to go on cam with her top off. Her older boyfriend is 24.")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]


def test_a_photo_of_her_in_her_underwear(tag, ctx):
    r = tag("Mum found a photo of her in her underwear sent to someone saved as Mo. Her older boyfriend is 24.")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]


def test_money_sent_and_photos_back(tag, ctx):
    r = tag("One man keeps sending her money on Cash App and she sends him photos back.")
    assert ctx(r, "CSE_IMAGES_FOR_REWARD") == ["asserted"]
    assert "CSE" in r.labels


def test_upstairs_with_whoever_they_say(tag, ctx):
    r = tag("They give us drink and then we have to go upstairs with whoever they say.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]


def test_seeing_men_to_pay_the_rent(tag, ctx):
    r = tag("Via the interpreter she said 'I must see men to pay the rent'.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]
    assert "CSE" in r.labels


def test_a_threat_that_it_will_be_sent_to_his_followers(tag, ctx):
    r = tag("The account demanded £200 in vouchers or it'd be sent to all his followers.")
    assert ctx(r, "CSE_SEXTORTION") == ["asserted"]


# --- round 14: CCE ------------------------------------------------------------------------------------
def test_drugs_kept_inside_her(tag, ctx):
    r = tag("They made her keep bags of 'white' inside her and hand them out at the door.")
    assert ctx(r, "CCE_PLUGGING") == ["asserted"]
    assert "CCE" in r.labels


def test_feelings_kept_inside_are_not_plugging(tag):
    # guard
    r = tag("She has kept it all inside her since nan died.")
    assert r.labels == [] and not r.indicators


def test_watching_the_corner_for_older_boys(tag, ctx):
    r = tag("He gets 200 a week to watch the corner by the shops for some older boys.")
    assert ctx(r, "CCE_LOOKOUT") == ["asserted"]
    r = tag("He shouts when police are about.")
    assert ctx(r, "CCE_LOOKOUT") == ["asserted"]


def test_holding_the_ting(tag, ctx):
    r = tag("He told mum 'I owe Tiny, I have to hold the ting til Friday'.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


# --- round 14: trafficking ----------------------------------------------------------------------------
def test_driving_her_and_her_friend_up_to_another_town(tag, ctx):
    r = tag("A man called Sav and his mates drive her and her friend up to hotels in Stoke. Older men there.")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]


def test_take_us_to_another_town(tag, ctx):
    r = tag("These men come and get me and my mate and take us to Birmingham, then we have to go upstairs "
            "with whoever they say.")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]
    assert r.labels == ["CSE", "TRAFFICKING"]


def test_owing_for_getting_him_from_calais(tag, ctx):
    r = tag("The men say he still owes them 4,000 euros for getting him from Calais.")
    assert ctx(r, "TRAF_JOURNEY_DEBT") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_brought_in_the_lorry_and_paying_by_working(tag, ctx):
    r = tag('He said "the men who brought me in the lorry" told him he could pay by working at a car wash.')
    assert ctx(r, "TRAF_BROUGHT_TO_UK") == ["asserted"]
    assert ctx(r, "TRAF_FORCED_WORK") == ["asserted"]


def test_taxis_booked_and_paid_for_by_a_man(tag, ctx):
    r = tag("She comes back in taxis from Blackpool that are booked and paid for by a man she calls 'Uncle "
            "Naz'. He puts her up in hotels. Her older boyfriend is 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_money_sent_for_his_train(tag, ctx):
    r = tag("Found in Eastbourne with wraps. A lad sent him the money for his train and he stayed at a flat "
            "selling for 4 days.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_money_sent_for_a_taxi_home_is_not_travel_arranged(tag):
    # guard: a lift home in the same town
    r = tag("He'd sent her £40 for a taxi earlier. Her older boyfriend is 24.")
    assert not [m for m in r.indicators if m.code == "TRAF_TRAVEL_ARRANGED"]


# --- round 15 (hobby and leisure settings) --------------------------------------------------------
def test_money_going_through_his_account(tag, ctx):
    r = tag("A man at the gym offered him £200 to 'let some money go through' his Monzo and send it straight on.")
    assert ctx(r, "CCE_MONEY_MULE") == ["asserted"]
    assert "CCE" in r.labels


def test_a_house_with_plants_and_big_lights(tag, ctx):
    r = tag("He says the men kept him in a house with plants and big lights, watering them every day.")
    assert ctx(r, "CCE_CANNABIS_GROW") == ["asserted"]


def test_holding_for_a_london_line(tag, ctx):
    r = tag("Police found him in a flat in Hastings 'holding' for a London line.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


def test_a_private_shoot_offered_by_an_older_man(tag, ctx):
    r = tag("The older man who films the troupe offered her £100 to do a 'private shoot' at his flat. She's 14.")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]
    assert "CSE" in r.labels


def test_driven_to_clients(tag, ctx):
    r = tag("Her 'manager' drives her to 'clients' at weekends and keeps all the money.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]


def test_someone_else_has_her_provisional_licence(tag, ctx):
    r = tag("She said Uncle K keeps her provisional licence and she can't get it back.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]


def test_he_sent_her_the_train_tickets(tag, ctx):
    r = tag("A 'manager' she met online sent her the train tickets to Euston; she was taken to an Airbnb with "
            "older guys.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


def test_owing_for_the_bus_from_romania(tag, ctx):
    r = tag('He said "the boss keep it, he say I owe him for the bus from Romania".')
    assert ctx(r, "TRAF_JOURNEY_DEBT") == ["asserted"]


def test_a_denial_before_a_colon_and_a_quotation_stops_there(tag, ctx):
    r = tag('Leon says he won\'t be at the competition: "my olders are making me run the line for a week".')
    assert ctx(r, "CCE_OLDER_GROUP") == ["asserted"]


# --- round 15 (labour exploitation and private fostering) -------------------------------------------
def test_a_what_to_look_for_paragraph_is_talk(tag, ctx):
    r = tag("Briefing for next week's inspections.\n\nWhat to look for: staff sleeping on site, ID kept by the boss, "
            "talk of owing money for travel or the agent, workers dropped off and picked up by one person.")
    assert "asserted" not in ctx(r, "TRAF_BROUGHT_TO_UK")
    assert r.labels == []


def test_a_named_childs_phone_and_birth_certificate_held(tag, ctx):
    r = tag("His uncle holds Dami's phone and birth certificate.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]


def test_owing_him_for_bringing_me(tag, ctx):
    r = tag('Dami: "I owe him for bringing me, he says."')
    assert ctx(r, "TRAF_JOURNEY_DEBT") == ["asserted"]


def test_dropping_it_to_addresses_and_food_in_quotes_under_the_bed(tag, ctx):
    r = tag("His uncle has him keeping 'food' under his bed and dropping it to addresses after school.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_carrying_his_rucksack_with_weed(tag, ctx):
    r = tag("She has been seen carrying his rucksack with weed to a flat on the estate and back.")
    assert ctx(r, "CCE_HOLDING") == ["asserted"]


def test_wraps_in_with_food_orders(tag, ctx):
    r = tag("The officer saw the moped rider, about 14, put small wraps in with two food orders.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]
    assert "CCE" in r.labels


def test_older_men_did_stuff_to_him(tag, ctx):
    r = tag("When he couldn't pay, Mo made him go to a flat where older men \"did stuff\" to him.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]
    assert "CSE" in r.labels


# --- round 16 (pupil referral units; digital evidence) ---------------------------------------------
def test_collected_by_different_men_and_taken_to_parties(tag, ctx):
    r = tag("Lola (14) getting collected from AP by different men in diff cars. Told a peer 'they take me to "
            "parties at the flats'.")
    assert ctx(r, "CSE_LIFTS_BY_ADULTS") == ["asserted"]
    assert ctx(r, "CSE_PARTIES_WITH_ADULTS") == ["asserted"]
    assert "CSE" in r.labels


def test_shotted_and_his_best_runner(tag, ctx):
    r = tag("Overheard bragging he 'shotted 2 bags in one day', 'Lil Kz says im his best runner'.")
    assert ctx(r, "CCE_DEALING") == ["asserted", "asserted"]


def test_paid_in_weed_is_dealing_for_others(tag, ctx):
    r = tag("[03:17] sk3tch_ro: need u to run 2 to the flats\nEthan (14) says he gets paid in weed.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_dropping_parcels_round_the_estate(tag, ctx):
    r = tag("He has to go and see Bugsy on Sundays to get the parcels and drop them round the estate for him.")
    assert "asserted" in ctx(r, "CCE_DEALING")


def test_a_boyfriend_named_with_his_age_after_a_comma(tag, ctx):
    r = tag("Mum says Skye is staying with her boyfriend in Manchester - Danny, 26.")
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"]


def test_a_boyfriend_and_a_time_after_a_comma_is_no_age(tag):
    # guard
    r = tag("She met her boyfriend at the park, 10:30 on Saturday.")
    assert not [m for m in r.indicators if m.code == "CSE_OLDER_PARTNER"]


def test_his_date_of_birth_makes_him_41(tag, ctx):
    r = tag("Hotel booked by Lee Hanson (DOB makes him 41) for 'guest Mia'.")
    assert ctx(r, "CSE_ADULT_MALE") == ["asserted"]
    assert "CSE" in r.labels


def test_secrecy_and_a_cam_in_a_chat_log(tag, ctx):
    r = tag("[23:58] JJ_34: ur so mature\n[00:03] JJ_34: keep this between us, ur parents wouldnt get it\n"
            "[00:10] JJ_34: turn ur cam on hun")
    assert "asserted" in ctx(r, "CSE_ONLINE_GROOMING")
    assert ctx(r, "CSE_SEXUAL_IMAGES") == ["asserted"]
    assert "CSE" in r.labels


def test_pics_sent_for_vape_bars(tag, ctx):
    r = tag("Maisie (15) sending pics to bigmanT_ (24) for vape bars.")
    assert ctx(r, "CSE_IMAGES_FOR_REWARD") == ["asserted"]
    assert "CSE" in r.labels


def test_a_same_tutor_group_boyfriend_explains_the_older_one(tag):
    # guard: the round's notes were explained this way already
    r = tag("Prev worry about an 'older bf'. Checked: bf is Kian, Y11, same tutor group, his mum does the "
            "drop-offs.")
    assert r.labels == []


def test_receipts_bought_by_a_handle_and_dont_leave_the_yard(tag, ctx):
    r = tag("Trainline receipts to Exeter on 5 dates, all bought by tr4pz_22. Snap: 'bro ur staying at Gaz's "
            "till sunday, dont leave the yard'. Deal line phone seized.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]
    assert "TRAFFICKING" in r.labels


# --- round 16 (ports and borders) -----------------------------------------------------------------
def test_he_had_both_passports(tag, ctx):
    r = tag("The man, approx 35, had both passports in his inside jacket pocket and answered for her.")
    assert ctx(r, "TRAF_DOCUMENTS_HELD") == ["asserted"]
    assert "TRAFFICKING" in r.labels


def test_a_boarding_pass_on_someone_elses_card_and_flown_over(tag, ctx):
    r = tag("Boarding pass bought on someone else's card. She said he 'flies me over every few weeks' and puts "
            "her up in a hotel. Man in his 40s.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted", "asserted"]
    assert "TRAFFICKING" in r.labels


def test_men_who_paid_her_ticket_and_sent_him_over(tag, ctx):
    r = tag("With two men early 30s who'd paid her ticket. Older boyfriend, 24.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    r = tag("He said his cousin's mate sent him over to 'grind a few weeks in Liverpool'. 40 wraps found.")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]


def test_texting_the_big_lads_if_police_are_about(tag, ctx):
    r = tag("He gets £20 a shift for texting 'the big lads' if police or dogs are about at the gate.")
    assert ctx(r, "CCE_LOOKOUT") == ["asserted"]
    assert "CCE" in r.labels


def test_a_list_and_so_much_a_box_or_a_cat(tag, ctx):
    r = tag("Bugsy: 'it's for Mo, he pays a tenner a box'.")
    assert ctx(r, "CCE_SHOPLIFTING_TO_ORDER") == ["asserted"]
    r = tag("Lewis: 'I get fifty quid a cat, Stevie drives us round'.")
    assert ctx(r, "CCE_SHOPLIFTING_TO_ORDER") == ["asserted"]
    r = tag("Poppy said the Yr 10 girls give her a list and pay her in vapes.")
    assert ctx(r, "CCE_SHOPLIFTING_TO_ORDER") == ["asserted"]


def test_so_much_a_drop(tag, ctx):
    r = tag("He told me they give him £40 a drop.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_a_denial_inside_a_single_quoted_quotation(tag, ctx):
    r = tag("She holds the food for Dex in her bra because 'feds don't search girls', and she owes them £300.")
    assert ctx(r, "CCE_OWES_GROUP") == ["asserted"]


def test_nan_buying_the_tickets_is_not_travel_arranged(tag):
    # guard: an ordinary family journey
    r = tag("Ella goes to her nan's in Hull when things blow up at home. Nan has been buying the tickets online "
            "and meeting her at Hull Paragon.")
    assert r.labels == []


# --- round 17 (Northern Ireland and Wales; ambulance and urgent care) -------------------------------
def test_paid_for_her_on_the_boat_and_met_her_off_it(tag, ctx):
    r = tag("A fella she calls Deco paid for her on the boat from Belfast, met her off it and took her to a hotel "
            "where other men came.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted", "asserted"]
    assert "TRAFFICKING" in r.labels


def test_brought_across_the_border(tag, ctx):
    r = tag("A man in a red BMW has collected her and brought her across the border to a hotel in Dundalk. "
            "\"He's my fella, he's only 23.\"")
    assert ctx(r, "TRAF_MOVED_BY_OTHERS") == ["asserted"]
    assert ctx(r, "CSE_OLDER_PARTNER") == ["asserted"]


def test_a_locked_door_and_drove_her_there(tag, ctx):
    r = tag("A man she met on Snap drove her there and she says the door was kept locked.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]
    assert ctx(r, "TRAF_CONFINEMENT") == ["asserted"]


def test_sharing_her_round(tag, ctx):
    r = tag("The crew have her holding their gear and are also 'sharing her round'.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]


def test_a_man_not_related_is_not_someone_else(tag, ctx):
    # "(not related)" says he is not family, not that the sign is someone else's
    r = tag("Says a man she calls 'Uncle Sami' (not related) drove her over yesterday, 'he makes me see his "
            "friends, I have to do stuff with them'.")
    assert ctx(r, "TRAF_TRAVEL_ARRANGED") == ["asserted"]


def test_on_shift_with_the_phone_and_the_pack(tag, ctx):
    r = tag("'Can't go hospital, I'm on shift with the phone til 6.'")
    assert ctx(r, "CCE_COUNTY_LINES") == ["asserted"]
    r = tag("'They said I can go back when the pack's done.'")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_shifted_it_all_and_cant_get_them_out(tag, ctx):
    r = tag("'I ain't allowed to leave til I've shifted it all.' Tenant: 'they took over the flat'.")
    assert "asserted" in ctx(r, "CCE_DEALING")
    assert ctx(r, "CCE_CUCKOOING") == ["asserted"]


def test_made_to_shot(tag, ctx):
    r = tag("Men have his phone and he is being 'made to shot'.")
    assert ctx(r, "CCE_DEALING") == ["asserted"]


def test_a_house_with_the_plants(tag, ctx):
    r = tag("He lives and works in 'the house with the plants', cuts and trims the plants, not allowed out.")
    assert "asserted" in ctx(r, "CCE_CANNABIS_GROW")


def test_a_bloke_who_drives_us_about(tag, ctx):
    r = tag("Friend says a bloke about 30 'always gets us vodka and drives us about'.")
    assert ctx(r, "CSE_LIFTS_BY_ADULTS") == ["asserted"]
    assert "CSE" in r.labels


def test_or_shell_send_it_to_everyone(tag, ctx):
    r = tag("Got him to send nudes, now demanding £200 by morning or 'she'll send it to everyone I follow'.")
    assert ctx(r, "CSE_SEXTORTION") == ["asserted"]


def test_be_nice_with_them(tag, ctx):
    r = tag("Men 'come in night, I must be nice with them'.")
    assert ctx(r, "CSE_SEX_WITH_ADULTS") == ["asserted"]


# --- second look at this session's rules: guards for the ones narrowed ------------------------------
def test_a_brothers_mate_is_not_her_brother(tag, ctx):
    r = tag("Staff saw her getting into a silver BMW with an older man after school. Rang mum: it's her "
            "brother's mate Dean (24), he picks her up most days.")
    assert "asserted" in ctx(r, "CSE_LIFTS_BY_ADULTS")
    assert "CSE" in r.labels


@pytest.mark.parametrize("text", [
    "Coach says she is their best runner this season.",
    "Mum gave her a list of chores and she did them.",
    "She has her provisional licence now and is learning to drive.",
    "He owes his mate £2 for the bus from town.",
    "Mum cannot get them out of bed for school.",
    "He helps at the garden centre and trims the plants on Saturdays.",
    "She works on reception, doing the phones at the leisure centre.",
    "We helped him shift it all into the van when he moved flats.",
])
def test_ordinary_words_the_narrowed_rules_leave_alone(tag, text):
    r = tag(text)
    assert r.labels == [] and not [m for m in r.indicators if m.context == "asserted"]
