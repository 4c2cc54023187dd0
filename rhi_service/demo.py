"""Fictional demo data: organisations, one user per role and children in every state.

Every name, address and number here is invented: phones in the Ofcom drama range, postcodes in ZZ99.
"""
from __future__ import annotations

import os
from datetime import date, timedelta

from sqlalchemy import select

from . import audit
from .extensions import db
from .models.base import utcnow
from .models.children import Child
from .models.episodes import MissingEpisode
from .models.organisations import LOCAL_AUTHORITY, POLICE_FORCE, Organisation, User
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
]

STREETS = ["Larch Close", "Fennel Walk", "Osprey Road", "Mill Lane", "Garnet Street", "Heron Court"]


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
        db.session.add(User(username=username, full_name=full_name, role=role, organisation_id=orgs[org_name].id,
                            password_hash=password_hash, email=f"{username}@demo.example"))
    now = utcnow()
    today = now.date()
    coordinator = None
    db.session.flush()
    coordinator = db.session.execute(select(User).where(User.username == "coordinator")).scalar_one()
    children = 0
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
    db.session.flush()
    audit.record("demo_data_loaded", actor=None)
    db.session.commit()
    return {"children": children, "users": len(USERS)}
