"""Every question of the risk assessment record (seed 000 Appendix 2) and of the Philomena Protocol
(seed 004 Appendix 3, Parts 1 and 2), and the Grab Pack's fields (seed 000 Appendix 1), has a home.

Each entry is (seed file, line, the question as the seed words it, where it is answered). Where it is
answered is a question code of a form ("profile:height"), a field of the child's record
("child:date_of_birth": asked once, shown with the profile), the photo, or who saved a version and
when. When the seeds are at hand, each line is checked against the seed text too, so a wrong line
number or a mistyped question fails.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from rhi_service.forms import schema
from rhi_service.models.children import Child
from rhi_service.models.profiles import ChildPhoto, FormVersion

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
RISK = "000_a1c320a1d3577e91.txt"
PHILOMENA = "004_d0303d5da920e4f3.txt"

APPENDIX_2 = [
    (RISK, 518, "Name of child or young person", "child:full_name"),
    (RISK, 519, "Mosaic/KCICS ID", "child:case_system_id"),
    (RISK, 519, "Date of Birth", "child:date_of_birth"),
    (RISK, 520, "Age", "child:date_of_birth"),
    (RISK, 520, "Legal Status", "child:legal_status"),
    (RISK, 521, "Address from which missing", "risk_assessment:missing_from_address"),
    (RISK, 523, "Is the child subject to a S47 enquiry or Child Protection Plan?", "risk_assessment:s47_or_cp_plan"),
    (RISK, 524, "Is the child a pregnant teenager or teenage parent?", "risk_assessment:pregnant_or_parent"),
    (RISK, 525, "Is the child on medication/suffering from medical condition?", "risk_assessment:medical_condition"),
    (RISK, 526, "Does the child need essential medication or treatment not readily available to them", "risk_assessment:essential_medication"),
    (RISK, 527, "What are the usual circumstances of the child/young person going missing", "risk_assessment:usual_circumstances"),
    (RISK, 528, "When does the young person usually leave the home?", "risk_assessment:usual_leaving_time"),
    (RISK, 529, "Where do they usually go?", "risk_assessment:usual_destinations"),
    (RISK, 530, "Is the child known to associate with adults or children who present a risk of harm", "risk_assessment:risky_associates"),
    (RISK, 531, "What is the level of maturity has the young person shown", "risk_assessment:maturity"),
    (RISK, 532, "What are the agreed coming-in times, if any?", "risk_assessment:coming_in_times"),
    (RISK, 533, "Does the child have access to any money and how if necessary will they obtain this?", "risk_assessment:access_to_money"),
    (RISK, 534, "Are there any known issues/events happening in the child's/young person's family or close friends?", "risk_assessment:family_issues"),
    (RISK, 535, "What has been the past method of return", "risk_assessment:past_return_method"),
    (RISK, 538, "Are there any mental health concerns?", "risk_assessment:mental_health"),
    (RISK, 539, "What is the risk of suicide/self- harm?", "risk_assessment:self_harm_risk"),
    (RISK, 540, "What are the indicators of this?", "risk_assessment:self_harm_risk_detail"),
    (RISK, 541, "Is there any likely use of drugs/alcohol/solvents? If so, type and amount?", "risk_assessment:substance_use"),
    (RISK, 542, "Is there past involvement of offending and in what form?", "risk_assessment:offending"),
    (RISK, 543, "Is the child/young person a risk to the community and in what way?", "risk_assessment:risk_to_community"),
    (RISK, 544, "Is there risk of sexual exploitation?", "risk_assessment:sexual_exploitation"),
    (RISK, 544, "Has the child been presented at MASE?", "risk_assessment:presented_at_mase"),
    (RISK, 545, "Has any previous harm suffered while absent?", "risk_assessment:harm_while_absent"),
    (RISK, 546, "Are there any concerns about new friends/boyfriends/associates?", "risk_assessment:new_associates"),
    (RISK, 547, "Is there any concern of abduction or being prevented from returning?", "risk_assessment:abduction"),
    (RISK, 548, "Is there a risk of forced marriage?", "risk_assessment:forced_marriage"),
    (RISK, 549, "Is the child experiencing bullying/racial and/or homophobic abuse?", "risk_assessment:bullying"),
    (RISK, 550, "Are there any signs or indicators that child is experiencing difficulties or abuse in the placement?", "risk_assessment:placement_abuse"),
    (RISK, 551, "Does the child have physical or learning disability/difficulties?", "risk_assessment:disability"),
    (RISK, 552, "Any further information and knowledge", "risk_assessment:further_information"),
    (RISK, 556, "Young Person", "risk_assessment:young_person_contributed"),
    (RISK, 556, "Date", "risk_assessment:young_person_date"),
    (RISK, 558, "Social Worker", "risk_assessment:social_worker_name"),
    (RISK, 558, "Date", "risk_assessment:social_worker_date"),
    (RISK, 560, "Home Manager/Family Placement Worker", "risk_assessment:home_manager_name"),
    (RISK, 560, "Date", "risk_assessment:home_manager_date"),
    (RISK, 562, "Foster Carer/Parent", "risk_assessment:carer_name"),
    (RISK, 562, "Date", "risk_assessment:carer_date"),
]

GRAB_PACK = [
    (RISK, 475, "Recent Photograph", "photo"),
    (RISK, 478, "Child's full name", "child:full_name"),
    (RISK, 479, "Nickname/Street name", "profile:nickname"),
    (RISK, 480, "Current Home Address", "child:address"),
    (RISK, 481, "Parents Home addresses", "profile:parents_details"),
    (RISK, 482, "D.O.B", "child:date_of_birth"),
    (RISK, 483, "Gender", "child:sex"),
    (RISK, 484, "Ethnicity", "child:ethnicity"),
    (RISK, 485, "Legal Status", "child:legal_status"),
    (RISK, 486, "Languages spoken", "child:languages"),
    (RISK, 487, "Length at current placement (if in care)", "profile:placement_length"),
    (RISK, 488, "Provide details of the child's friends, include their home addresses and contact details", "profile:associates"),
    (RISK, 489, "Child/Young Person mobile number or other modes of contact", "profile:phones"),
    (RISK, 489, "Child/Young Person mobile number or other modes of contact", "profile:other_contact"),
    (RISK, 490, "Oyster card number and Adult sponsor (U16)", "profile:travel_pass_details"),
    (RISK, 491, "Physical appearance (eye colour, hair, glasses, facial hair, piercing, clothing)", "profile:general_appearance"),
    (RISK, 492, "Distinguishing marks", "profile:distinguishing_features"),
    (RISK, 493, "Height & build", "profile:height"),
    (RISK, 493, "Height & build", "profile:build"),
    (RISK, 495, "Medical conditions & medication required", "profile:health_conditions"),
    (RISK, 495, "Medical conditions & medication required", "profile:medication"),
    (RISK, 496, "Does the child smoke, consume alcohol or illegal/recreational drugs?", "profile:substances"),
    (RISK, 497, "Any Physical or Learning Disabilities?", "profile:disabilities"),
    (RISK, 498, "Any Mental Health Issues?", "profile:health_conditions"),
    (RISK, 499, "Statement of Special Educational Needs?", "profile:sen_statement"),
    (RISK, 500, "School/College/Employment", "profile:education_now"),
    (RISK, 501, "Details of any court order", "profile:court_order"),
    (RISK, 502, "Name and address of GP", "profile:gp"),
    (RISK, 503, "Name and address of Dentist", "profile:dentist"),
    (RISK, 504, "Any previous history of absconding and where they were found", "profile:previous_episodes"),
    (RISK, 504, "Any previous history of absconding and where they were found", "profile:found_locations"),
    (RISK, 505, "Any circumstances which might increase the risk to the child", "profile:risk_circumstances"),
    (RISK, 506, "When was the child last seen, in what circumstances and by whom?", "philomena_part2:last_seen_how"),
    (RISK, 507, "What was the last method of contact with the child?", "philomena_part2:last_contact_method"),
    (RISK, 508, "Name, team and phone number of social worker", "profile:social_worker_contact"),
    (RISK, 510, "Completed by", "version:saved_by_id"),
    (RISK, 512, "Date complete", "version:saved_at"),
]

PART_1 = [
    (PHILOMENA, 523, "Name", "child:full_name"),
    (PHILOMENA, 524, "Preferred/known as", "child:preferred_name"),
    (PHILOMENA, 525, "Date of birth", "child:date_of_birth"),
    (PHILOMENA, 525, "Age", "child:date_of_birth"),
    (PHILOMENA, 526, "Ethnicity", "child:ethnicity"),
    (PHILOMENA, 527, "Male/Female", "child:sex"),
    (PHILOMENA, 528, "Current address", "child:address"),
    (PHILOMENA, 529, "Postcode", "child:address"),
    (PHILOMENA, 530, "Parents details and address if different to the above", "profile:parents_details"),
    (PHILOMENA, 532, "GP name and address", "profile:gp"),
    (PHILOMENA, 535, "Health condition(s) (Please include any mental health conditions known)", "profile:health_conditions"),
    (PHILOMENA, 536, "Medication required – if so, what", "profile:medication"),
    (PHILOMENA, 538, "General description", "profile:general_appearance"),
    (PHILOMENA, 539, "Height", "profile:height"),
    (PHILOMENA, 540, "Weight", "profile:weight"),
    (PHILOMENA, 541, "Build", "profile:build"),
    (PHILOMENA, 542, "Hair Colour", "profile:hair"),
    (PHILOMENA, 543, "Eyes", "profile:eyes"),
    (PHILOMENA, 544, "Jewellery", "profile:jewellery"),
    (PHILOMENA, 545, "General Appearance", "profile:general_appearance"),
    (PHILOMENA, 546, "Distinguishing features – tattoos/ birth marks/ piercings", "profile:distinguishing_features"),
    (PHILOMENA, 547, "Associates (with contact details if known)", "profile:associates"),
    (PHILOMENA, 548, "Favourite places", "profile:favourite_places"),
    (PHILOMENA, 550, "Is the young person looked after by the Local Authority. If so, is this under Section 20 or a Care Order", "profile:care_basis"),
    (PHILOMENA, 551, "Social Worker name & contact Details", "profile:social_worker_contact"),
    (PHILOMENA, 552, "Professionals working with the child", "profile:professionals"),
    (PHILOMENA, 554, "Has a CE assessment been completed with Social Services and the Police?", "profile:ce_assessment"),
    (PHILOMENA, 555, "Are there any know individuals they are not to associate with?", "profile:people_to_avoid"),
    (PHILOMENA, 556, "Are there any locations they are not allowed to go to?", "profile:places_to_avoid"),
    (PHILOMENA, 558, "Are there any current bail conditions/YOS/ASBI's?", "profile:bail_conditions"),
    (PHILOMENA, 561, "Previous home addresses", "profile:previous_addresses"),
    (PHILOMENA, 565, "School/Educational Establishment attended", "profile:schools"),
    (PHILOMENA, 569, "Previous Missing Episodes", "profile:previous_episodes"),
    (PHILOMENA, 570, "Previous locations found", "profile:found_locations"),
    (PHILOMENA, 571, "Any Significant dates, birthdays of parents/deaths etc.", "profile:significant_dates"),
    (PHILOMENA, 572, "Significant places of interest", "profile:favourite_places"),
    (PHILOMENA, 573, "Habits", "profile:habits"),
    (PHILOMENA, 574, "Hobbies", "profile:hobbies"),
    (PHILOMENA, 575, "Drugs (Please include any known addictions or alcohol misuse)", "profile:substances"),
    (PHILOMENA, 576, "Any suicidal thoughts/attempts", "profile:self_harm"),
    (PHILOMENA, 578, "Has the person got any money?", "profile:has_money"),
    (PHILOMENA, 578, "If so, How much?", "profile:money_amount"),
    (PHILOMENA, 579, "Has the person Got a Bank Account", "profile:has_bank_account"),
    (PHILOMENA, 579, "Have you got access to this account?", "profile:bank_access"),
    (PHILOMENA, 579, "(If not, who has)", "profile:bank_access_who"),
    (PHILOMENA, 581, "Name of bank", "profile:bank_name"),
    (PHILOMENA, 581, "Sort Code", "profile:sort_code"),
    (PHILOMENA, 582, "Account Number", "profile:account_number"),
    (PHILOMENA, 582, "Do you hold the Password to access this account?", "profile:holds_password"),
    (PHILOMENA, 584, "Has the person got a mobile phone?", "profile:has_phone"),
    (PHILOMENA, 585, "Number", "profile:phones.number"),
    (PHILOMENA, 585, "Network", "profile:phones.network"),
    (PHILOMENA, 586, "Make", "profile:phones.make"),
    (PHILOMENA, 586, "Model", "profile:phones.model"),
    (PHILOMENA, 587, "IMEI Number", "profile:phones.imei"),
    (PHILOMENA, 587, "Mac Address", "profile:phones.mac_address"),
    (PHILOMENA, 589, "Does the person have a bus pass?", "profile:has_travel_pass"),
    (PHILOMENA, 589, "Provide details E.g. Pass number and Issuer.", "profile:travel_pass_details"),
    (PHILOMENA, 590, "Does the person have access to vehicle(s)?", "profile:has_vehicle_access"),
    (PHILOMENA, 590, "Provide details e.g. Registration Number/ Driver etc.", "profile:vehicles"),
    (PHILOMENA, 592, "Does the person have a social Media Accounts (Provide Details)?", "profile:has_social_media"),
    (PHILOMENA, 593, "Social media site", "profile:social_media.site"),
    (PHILOMENA, 593, "Username", "profile:social_media.username"),
    # Whether the password is known is kept; the password itself is not stored (see profile.yaml).
    (PHILOMENA, 593, "Please let us know the password if known", "profile:social_media.password_known"),
    (PHILOMENA, 599, "What is the current policy in place around a person going missing", "profile:missing_policy"),
    (PHILOMENA, 602, "What multi-agency discussions have taken place to prevent the young person going missing", "profile:multi_agency"),
    (PHILOMENA, 603, "What discussions have taken place with the young person to prevent them going missing", "profile:discussions_with_child"),
]

PART_2 = [
    (PHILOMENA, 607, "Call the missing person – record times attempts made", "philomena_part2:calls_to_child"),
    (PHILOMENA, 608, "Call any know associates or family members and record attempts made", "philomena_part2:calls_to_associates"),
    (PHILOMENA, 609, "Complete bed checks and record the time the calls were made", "philomena_part2:bed_checks"),
    (PHILOMENA, 613, "Shirt/Sweater", "philomena_part2:shirt"),
    (PHILOMENA, 614, "Trousers/Skirt", "philomena_part2:trousers"),
    (PHILOMENA, 615, "Outerwear, e.g., coat, jacket", "philomena_part2:outerwear"),
    (PHILOMENA, 616, "Headwear", "philomena_part2:headwear"),
    (PHILOMENA, 617, "Gloves", "philomena_part2:gloves"),
    (PHILOMENA, 618, "Scarf", "philomena_part2:scarf"),
    (PHILOMENA, 619, "Footwear", "philomena_part2:footwear"),
    (PHILOMENA, 620, "Jewellery, e.g., watch, rings", "philomena_part2:jewellery_worn"),
    (PHILOMENA, 621, "Other", "philomena_part2:other_clothing"),
    (PHILOMENA, 623, "Time, date, and location last seen", "philomena_part2:last_seen_at"),
    (PHILOMENA, 623, "Time, date, and location last seen", "philomena_part2:last_seen_where"),
    (PHILOMENA, 624, "Does anyone pose a risk to YP (Please provide evidence)", "philomena_part2:risk_to_child"),
    (PHILOMENA, 625, "Does the YP pose risk to anyone (Please provide evidence)", "philomena_part2:risk_from_child"),
    (PHILOMENA, 627, "Media release?", "philomena_part2:media_release"),
    (PHILOMENA, 627, "On-call manager aware?", "philomena_part2:on_call_manager_aware"),
    (PHILOMENA, 628, "Persons informed of child missing", "philomena_part2:persons_informed"),
    (PHILOMENA, 629, "Details of other staff on duty at the time of missing report", "philomena_part2:staff_on_duty"),
    (PHILOMENA, 630, "Any other information that may be of help to the Police", "philomena_part2:other_information"),
    (PHILOMENA, 632, "Have you searched the address the young person is missing from?", "philomena_part2:address_searched"),
    (PHILOMENA, 633, "Have you completed and marked off the areas searched as per premises plan?", "philomena_part2:areas_marked_off"),
    (PHILOMENA, 634, "Name and position of person searching", "philomena_part2:premises_searcher"),
    (PHILOMENA, 635, "Signature of person searching and completing plan", "philomena_part2:premises_plan_completed_by"),
    (PHILOMENA, 636, "Have you searched the young person's bedroom?", "philomena_part2:bedroom_searched"),
    (PHILOMENA, 637, "Name and position of person searching", "philomena_part2:bedroom_searcher"),
    (PHILOMENA, 638, "Signature of person searching", "philomena_part2:bedroom_searcher"),
    (PHILOMENA, 639, "Please detail any information or items located", "philomena_part2:items_found"),
    (PHILOMENA, 640, "Please detail any information or items missing", "philomena_part2:items_missing"),
    (PHILOMENA, 643, "What enquiries have already been completed to try and locate missing person prior to reporting to the police", "philomena_part2:enquiries_done"),
    (PHILOMENA, 645, "What enquiries will you continue to do whilst the young person is missing", "philomena_part2:enquiries_continuing"),
    (PHILOMENA, 646, "How will you record this and notify the police that you have done these enquiries", "philomena_part2:enquiries_recording"),
    (PHILOMENA, 647, "What arrangements have been made to collect the young person when located", "philomena_part2:collection_arrangements"),
    (PHILOMENA, 651, "Completed by", "philomena_part2:completed_by"),
    (PHILOMENA, 652, "Relationship to the person", "philomena_part2:relationship"),
    (PHILOMENA, 653, "Date", "philomena_part2:completed_on"),
    (PHILOMENA, 654, "Police informed", "philomena_part2:police_informed_at"),
]

ALL = APPENDIX_2 + GRAB_PACK + PART_1 + PART_2


def _has_home(target: str) -> bool:
    if target == "photo":
        return hasattr(ChildPhoto, "stored_name")
    kind, _, name = target.partition(":")
    if kind == "child":
        return hasattr(Child, name)
    if kind == "version":
        return hasattr(FormVersion, name)
    code, _, sub = name.partition(".")
    question = schema.get(kind).question(code)
    if question is None:
        return False
    return not sub or any(s.code == sub for s in question.item)


@pytest.mark.parametrize("seed, line, question, target", ALL, ids=lambda v: str(v)[:40])
def test_each_seed_question_has_a_home(seed, line, question, target):
    assert _has_home(target), f"{seed}:{line} {question!r} -> {target} is not defined"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are not in this checkout")
@pytest.mark.parametrize("seed, line, question, target", ALL, ids=lambda v: str(v)[:40])
def test_each_question_is_on_the_line_given(seed, line, question, target):
    lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    assert _squash(question) in _squash(lines[line - 1]), f"{seed}:{line} reads {lines[line - 1]!r}"


def test_every_risk_indicator_of_appendix_2_is_answered_and_detailed():
    definition = schema.get("risk_assessment")
    indicators = [t.split(":")[1] for s, line, q, t in APPENDIX_2 if 523 <= line <= 551 and t.startswith("risk_assessment:")]
    for code in indicators:
        question = definition.question(code)
        if code.endswith("_detail"):
            continue
        assert question.kind in ("yes_no", "choice"), code
        if question.kind == "choice":
            assert "not_known" in {o.value for o in question.options}, code
        assert definition.question(code + "_detail") is not None, f"{code} has no details question"


def test_every_form_question_comes_from_somewhere():
    # The other way round: nothing asked that no seed (or the form's own details) accounts for.
    for form in ("risk_assessment", "profile", "philomena_part2"):
        for question in schema.get(form).questions:
            assert question.source or question.code.endswith("_detail"), f"{form}:{question.code} names no source"
