"""Fictional demo data: organisations, one user per role and children in every state.

Every name, address and number here is invented: phones in the Ofcom drama range, postcodes in ZZ99.
"""
from __future__ import annotations

import os
from datetime import date, timedelta

from sqlalchemy import select

from . import audit, rhis, rules
from .extensions import db
from .models.base import utcnow
from .models.children import Child
from .models.episodes import MissingEpisode
from .models.interviews import ContactAttempt
from .models.organisations import LOCAL_AUTHORITY, POLICE_FORCE, SECOND_FACTOR_ROLES, Organisation, User
from .passwords import hash_password

HOME = "Northmoor Council"
PLACING = "Eastvale County Council"
OTHER_LA = "Westbridge Borough Council"
FORCE = "Northmoor Police"
OTHER_FORCE = "Eastvale Police"

USERS = [
    ("interviewer", "Sam Okafor", "interviewer", HOME),
    ("interviewer2", "Priya Lomas", "interviewer", HOME),
    ("coordinator", "Dana Whitfield", "coordinator", HOME),
    ("manager", "Rob Ashcombe", "manager", HOME),
    ("admin", "Lee Harrow", "admin", HOME),
    ("police", "PC Jo Brannigan", "police", FORCE),
    ("placing_authority", "Chris Penhale", "placing_authority", PLACING),
]

# (first, last, preferred, years old, sex, legal status, placed by, episodes as (hours ago missing, hours missing or None))
CHILDREN = [
    ("Kayden", "Marsh", "Kay", 15, "male", "looked_after", None, [(30, None)]),
    ("Amira", "Osei", None, 14, "female", "child_protection", None, [(6, None)]),
    ("Tyler", "Brook", None, 16, "male", "child_in_need", None, [(40, 20)]),
    ("Leah", "Fenwick", "Lee-Lee", 13, "female", "looked_after", None, [(70, 12), (900, 30), (1500, 48)]),
    ("Jordan", "Quill", None, 15, "male", "none", None, [(130, 10)]),
    ("Maisie", "Draycott", None, 14, "female", "looked_after", None, [(100, 5), (400, 20), (1200, 8)]),
    ("Reece", "Anwar", None, 16, "male", "looked_after", PLACING, [(50, 14)]),
    ("Summer", "Hale", None, 17, "female", "care_leaver", None, [(2000, 36)]),
    ("Oliver", "Nkemelu", "Olly", 12, "male", "child_protection", None, [(20, 3)]),
    ("Poppy", "Ridley", None, 15, "female", "child_in_need", None, []),
    ("Zain", "Choudry", None, 14, "male", "looked_after", OTHER_LA, [(300, 26)]),
    ("Ellie", "Vance", None, 16, "female", "looked_after", None, [(8, 4)]),
    ("Noah", "Pemberton", None, 14, "male", "child_in_need", None, [(34, 4)]),
    ("Ruby", "Castellan", None, 15, "female", "looked_after", None, [(56, 6)]),
    ("Freya", "Dunmore", None, 13, "female", "child_protection", None, [(70, 3)]),
    ("Callum", "Rookwood", None, 16, "male", "child_in_need", None, [(14, 4)]),
]

# The RHI each found episode leads to, oldest episode first: (status, interviewer's username or None).
# Children placed by another authority get theirs from the rules, with no entry here.
DEMO_RHIS = {
    ("Tyler", "Brook"): [("awaiting_contact", "interviewer")],
    ("Leah", "Fenwick"): [("submitted", "interviewer"), ("submitted_late", "interviewer2"), ("two_failed_with_letter", "interviewer")],
    ("Jordan", "Quill"): [("contact_attempted", "interviewer")],
    ("Maisie", "Draycott"): [("submitted", "interviewer"), ("declined", "interviewer2"), ("interview_arranged", "interviewer2")],
    ("Summer", "Hale"): [("declined", "interviewer")],
    ("Oliver", "Nkemelu"): [("awaiting_contact", None)],
    ("Ellie", "Vance"): [("awaiting_contact", None)],
    ("Noah", "Pemberton"): [("interview_arranged", "interviewer")],
    ("Ruby", "Castellan"): [("in_progress", "interviewer")],
    ("Freya", "Dunmore"): [("awaiting_contact", "interviewer2")],
    # Left untouched by the demo so the browser test can log attempts and decline it.
    ("Callum", "Rookwood"): [("awaiting_contact", "interviewer")],
}

STREETS = ["Larch Close", "Fennel Walk", "Osprey Road", "Mill Lane", "Garnet Street", "Heron Court"]


DEFAULT_DEMO_TOTP_SECRET = "RHIDEMOTOTPNORTHMOORDEMOONLY2345"


def demo_totp_secret() -> str:
    return os.environ.get("RHI_DEMO_TOTP_SECRET") or DEFAULT_DEMO_TOTP_SECRET


def _org(name: str, kind: str, is_home: bool = False) -> Organisation:
    organisation = db.session.execute(select(Organisation).where(Organisation.name == name)).scalar_one_or_none()
    if organisation is None:
        organisation = Organisation(name=name, kind=kind, is_home=is_home)
        db.session.add(organisation)
    return organisation


def load(password: str | None = None) -> dict:
    password = password or os.environ.get("RHI_DEMO_PASSWORD", "demo-password")
    orgs = {
        HOME: _org(HOME, LOCAL_AUTHORITY, is_home=True),
        PLACING: _org(PLACING, LOCAL_AUTHORITY),
        OTHER_LA: _org(OTHER_LA, LOCAL_AUTHORITY),
        FORCE: _org(FORCE, POLICE_FORCE),
        OTHER_FORCE: _org(OTHER_FORCE, POLICE_FORCE),
    }
    db.session.flush()
    password_hash = hash_password(password)
    for username, full_name, role, org_name in USERS:
        if db.session.execute(select(User.id).where(User.username == username)).first():
            continue
        user = User(username=username, full_name=full_name, role=role, organisation_id=orgs[org_name].id,
                    password_hash=password_hash, email=f"{username}@demo.example")
        if role in SECOND_FACTOR_ROLES:
            # A fixed, published secret so demos and browser tests can sign in; refused in production.
            user.totp_secret = demo_totp_secret()
            user.totp_confirmed_at = utcnow()
        db.session.add(user)
    now = utcnow()
    today = now.date()
    coordinator = None
    db.session.flush()
    coordinator = db.session.execute(select(User).where(User.username == "coordinator")).scalar_one()
    children = 0
    created: list[Child] = []
    for index, (first, last, preferred, age, sex, status, placed_by, episodes) in enumerate(CHILDREN):
        exists = db.session.execute(
            select(Child.id).where(Child.first_name == first, Child.last_name == last)
        ).first()
        if exists:
            continue
        child = Child(
            organisation_id=orgs[HOME].id,
            date_of_birth=date(today.year - age, 1 + index % 12, 3 + index),
            sex=sex,
            ethnicity=["White British", "Black African", "Asian British", "Mixed", "White and Black Caribbean"][index % 5],
            languages="English",
            address=f"{10 + index} {STREETS[index % len(STREETS)]}, Northmoor ZZ99 {index + 1}AB",
            legal_status=status,
            placing_authority_id=orgs[placed_by].id if placed_by else None,
            team=["Northmoor East", "Northmoor West", "Children in Care"][index % 3],
            social_worker=["Hannah Brightwell", "Tom Edevane", "Grace Mulholland"][index % 3],
            case_system_id=f"NM{400100 + index}",
        )
        child.set_names(first, last, preferred)
        db.session.add(child)
        db.session.flush()
        for number, (hours_ago, hours_missing) in enumerate(episodes):
            missing_at = now - timedelta(hours=hours_ago)
            found_at = missing_at + timedelta(hours=hours_missing) if hours_missing is not None else None
            episode = MissingEpisode(
                organisation_id=orgs[HOME].id,
                child_id=child.id,
                reported_missing_at=missing_at,
                missing_from="care" if status == "looked_after" else "home",
                police_reference=f"NP-{now.year}-{5000 + index * 10 + number}",
                police_risk_grade="high" if index % 4 == 0 else "medium",
                found_at=found_at,
                found_where="Northmoor bus station" if found_at and number % 2 == 0 else ("A friend's flat on Osprey Road" if found_at else None),
                found_by="Police" if found_at else None,
                found_report_received_at=found_at + timedelta(hours=1) if found_at and found_at + timedelta(hours=1) < now else None,
                safe_and_well_check="yes" if found_at else None,
                created_by_id=coordinator.id,
            )
            db.session.add(episode)
        children += 1
        created.append(child)
    db.session.flush()
    _demo_rhis(created, now)
    _demo_placement_requests(created, coordinator)
    _demo_profiles(created, coordinator)
    _demo_coordinator_view()
    _demo_intelligence(coordinator)
    audit.record("demo_data_loaded", actor=None)
    db.session.commit()
    return {"children": children, "users": len(USERS)}


def _attempt(rhi, method: str, outcome: str, at, with_whom: str = "child", note: str | None = None) -> None:
    db.session.add(ContactAttempt(organisation_id=rhi.organisation_id, return_interview_id=rhi.id, method=method,
                                  attempted_at=at, with_whom=with_whom, outcome=outcome, note=note,
                                  recorded_by_id=rhi.interviewer_id))
    rhi.attempt_count = (rhi.attempt_count or 0) + 1


def _apply_demo_state(rhi, state: str, now) -> None:
    found = rhi.found_at
    if state in ("contact_attempted", "two_failed_with_letter", "interview_arranged", "in_progress"):
        _attempt(rhi, "phone", "no_answer", min(found + timedelta(hours=2), now), note="Rang twice, no voicemail set up.")
        rhi.status = "contact_attempted"
    if state == "two_failed_with_letter":
        _attempt(rhi, "letter", "no_reply", min(found + timedelta(hours=5), now), note="Letter hand delivered to the home.")
    if state in ("interview_arranged", "in_progress"):
        _attempt(rhi, "text", "agreed", min(found + timedelta(hours=3), now), note="Replied by text and chose the library.")
        rhi.status = "interview_arranged"
        rhi.arranged_for = found + timedelta(hours=40)
        rhi.arranged_place = "Northmoor library, the quiet room"
        rhi.arranged_with = "Their youth worker"
    if state == "in_progress":
        rhi.status = "in_progress"
    if state in ("submitted", "submitted_late"):
        _attempt(rhi, "phone", "agreed", found + timedelta(hours=3))
        held = found + timedelta(hours=90 if state == "submitted_late" else 30)
        rhis.record_deadline(rhi, held, "child_not_available" if state == "submitted_late" else None)
        rhi.status = "submitted"
        rhi.submitted_at = held + timedelta(hours=4)
        rhi.submitted_by_id = rhi.interviewer_id
    if state == "declined":
        _attempt(rhi, "phone", "no_answer", found + timedelta(hours=2))
        _attempt(rhi, "text", "no_reply", found + timedelta(hours=20))
        _attempt(rhi, "letter", "no_reply", found + timedelta(hours=30), note="Letter sent first class.")
        rhis.decline(rhi, rules.DECLINED_AFTER_ATTEMPTS, "No reply to calls, texts or a letter over three days.")
        rhi.declined_at = found + timedelta(hours=80)


def _demo_rhis(children: list[Child], now) -> None:
    """RHIs in every state, made the way a found episode makes them in the service."""
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    for child in children:
        states = list(DEMO_RHIS.get((child.first_name, child.last_name), []))
        found_episodes = db.session.execute(
            select(MissingEpisode).where(MissingEpisode.child_id == child.id, MissingEpisode.found_at.is_not(None))
            .order_by(MissingEpisode.found_at)
        ).scalars().all()
        for episode in found_episodes:
            rhi = rhis.place_found_episode(episode)
            if not states or rhi.conducted_by != "us":
                continue
            state, username = states.pop(0)
            rhi.interviewer_id = users[username].id if username else None
            _apply_demo_state(rhi, state, now)
            db.session.flush()


def _demo_placement_requests(children: list[Child], coordinator: User) -> None:
    """Requests to the authorities that placed demo children here, made as the episode save makes
    them; the overdue one has been chased once."""
    from .placements import requests as placement_requests

    for child in children:
        if child.placing_authority_id is None:
            continue
        for episode in child.episodes:
            request = placement_requests.note_episode(episode, coordinator)
            if request is not None and episode.found_at is not None and episode.found_at < utcnow() - timedelta(hours=72):
                placement_requests.record_contact(request, "reminder", "email", coordinator, "Placements duty inbox",
                                                  "Asked again for the RHI; no reply yet.")
    db.session.flush()


def _demo_profiles(children: list[Child], coordinator: User) -> None:
    """A missing profile for two children, and a saved risk assessment for one who is missing now.
    Every person, place, phone and handle is fictional."""
    from .forms import engine, schema
    from .profiles import linking, versions

    def fill(form_code: str, subject, child, answers: dict) -> None:
        definition = schema.get(form_code)
        by_section: dict[str, dict] = {}
        for code, value in answers.items():
            question = definition.question(code)
            if isinstance(value, list):
                value = [{"id": f"{index + 1:032x}", **item} for index, item in enumerate(value)]
            by_section.setdefault(question.section_code, {})[question] = engine.Value(value)
        for section_code, values in by_section.items():
            engine.save_values(definition, section_code, values, subject, coordinator,
                               engine.section_version(form_code, subject.id, section_code))
        linking.link(definition, subject, child.id)

    named = {(c.first_name, c.last_name): c for c in children}
    kayden = named.get(("Kayden", "Marsh"))
    if kayden is not None:
        fill("profile", kayden, kayden, {
            "nickname": "K-Dog", "height": "5ft 8in", "build": "Slim", "hair": "Short, dark brown", "eyes": "Brown",
            "distinguishing_features": "Scar through left eyebrow; ear piercing, silver stud, left ear.",
            "medication": "Salbutamol inhaler, as needed. Without it he can become breathless when running.",
            "has_phone": "yes", "has_social_media": "yes", "has_money": "not_known",
            "associates": [{"name": "Dylan Crane", "relationship": "Friend from school", "phone": "07700 900311",
                            "address": "22 Heron Walk, Northmoor ZZ99 3CD"}],
            "favourite_places": [{"place": "Northmoor bus station", "details": "Meets older friends there"}],
            "phones": [{"number": "07700 900412", "network": "Not known"}],
            "social_media": [{"site": "Snapchat", "username": "@kdog_demo", "password_known": "no"}],
        })
        versions.save(schema.get("profile"), kayden, kayden, coordinator)
        missing = next((e for e in kayden.episodes if e.found_at is None), None)
        if missing is not None:
            fill("risk_assessment", missing, kayden, {
                "missing_from_address": "Maple House children's home, Northmoor ZZ99 2EF",
                "s47_or_cp_plan": "no", "medical_condition": "yes", "medical_condition_detail": "Asthma.",
                "essential_medication": "yes", "essential_medication_detail": "Has not taken his inhaler with him.",
                "usual_destinations": "known", "usual_destinations_detail": "Northmoor bus station; a friend's flat on Osprey Road.",
                "risky_associates": "not_known", "new_associates": "yes",
                "new_associates_detail": "Seen getting into a car with older males.",
                "overall_risk": "high", "overall_reasons": "Missing overnight without his inhaler; new older associates.",
                "social_worker_name": "Hannah Brightwell", "carer_name": "Maple House key worker",
            })
            versions.save(schema.get("risk_assessment"), missing, kayden, coordinator)
            fill("philomena_part2", missing, kayden, {
                "calls_to_child": "Called 21:05, 21:30 and 22:00: no answer.", "outerwear": "Black puffer jacket",
                "footwear": "White trainers", "last_seen_where": "Northmoor bus station",
            })
    leah = named.get(("Leah", "Fenwick"))
    if leah is not None:
        fill("profile", leah, leah, {
            "nickname": "Lee-Lee", "height": "5ft 2in", "hair": "Long, blonde", "eyes": "Blue",
            "associates": [{"name": "Tasha Reed", "relationship": "Friend", "phone": "07700 900518"}],
            "places_to_avoid": [{"place": "Canal Street car park", "reason": "Agreed in the strategy meeting"}],
        })
    db.session.flush()


def _demo_coordinator_view() -> None:
    """Written-up RHIs for the coordinator's pages: tags to review, shared people across children."""
    from .demo_coordinator import load as load_coordinator_demo

    load_coordinator_demo()


def _demo_intelligence(coordinator: User) -> None:
    """Maisie's written-up RHI, ready for intelligence to the police: she agreed to police sharing and
    a coordinator confirmed its tags. Leah's are left unreviewed for the tags-to-review page."""
    from . import analysis_store, consent
    from .models.analysis import Mention
    from .models.interviews import ReturnInterview

    maisie = db.session.execute(select(Child).where(Child.first_name == "Maisie", Child.last_name == "Draycott")).scalar_one_or_none()
    if maisie is None:
        return
    rhi = db.session.execute(select(ReturnInterview).where(
        ReturnInterview.child_id == maisie.id, ReturnInterview.status == "submitted").order_by(ReturnInterview.found_at)).scalars().first()
    if rhi is None or consent.consents(rhi).get("police") is not None:
        return
    consent.record(rhi, "police", True, None, coordinator)
    for mention in db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.context == "asserted")).scalars():
        analysis_store.decide(mention, "confirmed", coordinator)
    db.session.flush()
