"""A large fictional caseload for measuring the coordinator's pages: `flask demo-data --scale large`.

Bulk inserts (Core executemany; encrypted columns go through their column type, so they are
encrypted as any other write) of children, episodes, RHIs, interview answers, the engine's tags,
mentions and entities, and coordinators' decisions on most older tags; then the coordinator's kept
counts (people and places, peer links and groups, themes) are worked out in bulk from those rows. The engine tags a few
hundred distinct generated notes once through the rules path and each RHI reuses one of those
results; a sentence naming the child's friendship group's handle is added per child, with its entity
row written alongside, so that peer groups exist at any scale.

"tenth" covers the same three years with a tenth of the children, episodes and RHIs. Everything
here is invented: names from a small list, phones in 07700 900xxx, postcodes ZZ99.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from . import compliance_counts, entity_groups, repeat_marks, theme_counts
from .analysis_store import text_hash
from .extensions import db
from .models.analysis import MACHINE, Entity, Mention, Tag, TagDecision
from .models.base import utcnow
from .models.children import Child, fold_name
from .models.coordination import PeerGroup
from .models.episodes import MissingEpisode
from .models.forms import Answer
from .models.interviews import ReturnInterview
from .models.organisations import Organisation, User
from .rules import due_at

SCALES = {"large": (20_000, 60_000, 50_000), "tenth": (2_000, 6_000, 5_000)}
YEARS = 3
NOTES = 400
BATCH = 5_000

FIRST = ["Aiden", "Bella", "Caleb", "Daisy", "Ethan", "Freya", "Gabriel", "Hollie", "Isaac", "Jade", "Kian", "Lacey",
         "Mason", "Niamh", "Owen", "Phoebe", "Riley", "Sienna", "Theo", "Una", "Vinnie", "Willow", "Xander", "Yasmin",
         "Zac", "Amelia", "Brandon", "Chloe", "Dylan", "Erin"]
LAST = ["Ashdown", "Birchall", "Cobham", "Dunstan", "Elmore", "Farrant", "Gosling", "Harwood", "Inchley", "Jessop",
        "Kettering", "Lockwood", "Marlow", "Northcott", "Oakley", "Pridham", "Quarry", "Redfern", "Stanway", "Thorley"]
TEAMS = ["Northmoor East", "Northmoor West", "Children in Care", "Early Help", "Leaving Care"]
STATUS = ["looked_after", "child_protection", "child_in_need", "none", "care_leaver"]
ADULTS = ["Big Dee", "Little T", "Jaydon", "Marky", "Kane", "Tiny", "Deano", "Skinz", "Ricko", "Mo"]
PLACES = ["Eastvale", "Westbridge", "Northmoor", "Crewe", "Telford", "Walsall", "Slough", "Margate", "Ipswich", "Derby"]
VEHICLES = ["grey Audi A3", "white Transit van", "black BMW 1 Series", "silver Ford Focus", "red Vauxhall Corsa"]
OPENINGS = ["{n} was missing from {h} for {d} hours.", "RHI completed with {n} at school.",
            "{n} came back to placement after {d} hours.", "Spoke to {n} at home with the carer nearby."]
SIGNS = [
    "{n} said an older man called {a} bought {p} a new phone and gives {p} lifts in a {v}.",
    "{n} said older lads drove {p} to {w} to sell drugs from a flat.",
    "{n} went to a party at a hotel with adults and was given alcohol.",
    "{n} said {p} owes {a} money for drugs and has to work it off.",
    "The man holds {q} passport and says {n} owes money for the journey to {w}.",
    "{n} has been messaging someone on snap who asked for pictures.",
    "{n} stayed at a friend's house in {w} after an argument at home about chores.",
    "{n} denied being given gifts or money by anyone.",
    "We talked about what grooming looks like and what to do if anyone offers money.",
    "School say attendance has dropped and {n} seems tired.",
    "{a} rang {p} and told {p} to come to {w}.",
]
CLOSINGS = ["No concerns identified.", "Referral made to the CE team.", "Strategy discussion requested.",
            "Information shared with police.", "{n} was given Childline 0800 1111 and 116 000."]


def _notes(rng: random.Random) -> list[str]:
    notes = []
    for _ in range(NOTES):
        name = rng.choice(FIRST)
        pronoun = rng.choice(["her", "him"])
        fill = dict(n=name, h=rng.choice(["home", "care", "placement"]), d=rng.randint(3, 60), p=pronoun,
                    q="her" if pronoun == "her" else "his", a=rng.choice(ADULTS), v=rng.choice(VEHICLES),
                    w=rng.choice(PLACES), m=f"{rng.randint(0, 999):03d}")
        parts = [rng.choice(OPENINGS)] + rng.sample(SIGNS, rng.randint(1, 3)) + [rng.choice(CLOSINGS)]
        notes.append(" ".join(p.format(**fill) for p in parts))
    return notes


def _insert(model, rows: list[dict]) -> None:
    for at in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[at:at + BATCH])


def load(scale: str, seed: int = 7, echo=print) -> dict:
    """Bulk-load the caseload into the home organisation (the small demo must be loaded first)."""
    n_children, n_episodes, n_rhis = SCALES[scale]
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=365 * YEARS)
    home = db.session.execute(select(Organisation).where(Organisation.is_home.is_(True))).scalars().first()
    others = [o.id for o in db.session.execute(select(Organisation).where(
        Organisation.kind == "local_authority", Organisation.is_home.is_(False))).scalars()]
    staff = [u.id for u in db.session.execute(select(User).where(
        User.organisation_id == home.id, User.role.in_(("interviewer", "coordinator", "manager")))).scalars()]
    coordinator = db.session.execute(select(User.id).where(User.organisation_id == home.id, User.role == "coordinator")).scalars().first()

    # Children, in friendship groups of four that share a messaging handle.
    children = []
    for i in range(n_children):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        age = rng.randint(10, 17)
        children.append(dict(
            id=uuid.uuid4(), organisation_id=home.id, first_name=first, last_name=f"{last}{i}", preferred_name=None,
            first_name_key=fold_name(first), last_name_key=fold_name(f"{last}{i}"),
            date_of_birth=date(now.year - age, rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(["female", "male", "female", "male", "not_known"]), ethnicity=None, languages="English",
            address=f"{rng.randint(1, 200)} {rng.choice(LAST)} Road, Northmoor ZZ99 {rng.randint(1, 9)}{rng.choice('ABCDEFGH')}X",
            legal_status=rng.choice(STATUS), placing_authority_id=rng.choice(others) if others and rng.random() < 0.1 else None,
            team=rng.choice(TEAMS), social_worker=None, case_system_id=f"LG{i:06d}", created_at=now, updated_at=now))
    _insert(Child, children)
    echo(f"  {len(children)} children")

    # Episodes spread evenly over the years; a few children missing now.
    episodes = []
    span = (now - start).total_seconds()
    for i in range(n_episodes):
        child = children[i % n_children] if i < n_children else rng.choice(children)
        reported = start + timedelta(seconds=rng.random() * span)
        hours = rng.choice([2, 4, 6, 10, 14, 20, 30, 48, 72])
        found = reported + timedelta(hours=hours)
        if found > now:
            found = None
        episodes.append(dict(
            id=uuid.uuid4(), organisation_id=home.id, child_id=child["id"], reported_missing_at=reported,
            missing_from=rng.choice(["home", "care", "placement"]), police_reference=f"LG-{i:07d}",
            police_risk_grade=rng.choice(["high", "medium", "medium"]), found_at=found,
            found_where=rng.choice(["Northmoor bus station", "A friend's flat", "Eastvale town centre", None]) if found else None,
            found_by="Police" if found else None, found_report_received_at=found, safe_and_well_check="yes" if found else None,
            notes=None, created_at=now, updated_at=now, created_by_id=coordinator, return_interview_id=None))
    # a handful still missing, reported in the last few days
    for episode in rng.sample(episodes, max(3, n_episodes // 1000)):
        episode["reported_missing_at"] = now - timedelta(hours=rng.randint(1, 200))
        episode["found_at"] = episode["found_where"] = episode["found_by"] = episode["found_report_received_at"] = None

    # One RHI per found episode, until there are enough.
    found_episodes = [e for e in episodes if e["found_at"] is not None]
    rng.shuffle(found_episodes)
    rhis = []
    for episode in found_episodes[:n_rhis]:
        found = episode["found_at"]
        due = due_at(found)
        age_days = (now - found).days
        if due > now:
            status = rng.choice(["awaiting_contact", "contact_attempted", "interview_arranged", "in_progress"])
        elif age_days < 20:
            status = rng.choice(["submitted", "submitted", "declined", "contact_attempted", "in_progress"])
        else:
            status = rng.choices(["submitted", "declined", "closed"], [80, 15, 5])[0]
        held = found + timedelta(hours=rng.choice([10, 30, 50, 70, 90, 120])) if status == "submitted" else None
        rhi_id = uuid.uuid4()
        episode["return_interview_id"] = rhi_id
        rhis.append(dict(
            id=rhi_id, organisation_id=home.id, child_id=episode["child_id"],
            interviewer_id=rng.choice(staff) if staff and rng.random() > 0.05 else None, status=status, conducted_by="us",
            found_at=found, due_at=due, attempt_count=rng.randint(0, 4), held_at=held,
            held_by_due=(held <= due) if held else (False if status == "declined" else None),
            declined_at=due if status == "declined" else None, decline_grounds="no_contact" if status == "declined" else None,
            submitted_at=held + timedelta(hours=4) if held else None,
            signed_off_at=held + timedelta(days=2) if held and age_days > 10 else None,
            created_at=found, updated_at=found))
    _insert(ReturnInterview, rhis)
    _insert(MissingEpisode, episodes)
    echo(f"  {len(episodes)} episodes, {len(rhis)} RHIs")

    # Notes tagged once through the rules path; each written-up RHI reuses one.
    from .analysis import default_tagger

    notes = _notes(rng)
    results = [r.to_dict() for r in default_tagger().tag_many(notes)]
    answers, tags, mentions, entities, decisions = [], [], [], [], []
    for rhi in rhis:
        if rhi["status"] not in ("submitted", "in_progress"):
            continue
        k = rng.randrange(NOTES)
        note, result = notes[k], results[k]
        group = children_index(children, rhi["child_id"]) // 4
        handle = f"nm_crew{group}"
        extra = f" Friends message {('her' if group % 2 else 'him')} on snap as @{handle}."
        text = note + extra
        answer_id = uuid.uuid4()
        answers.append(dict(id=answer_id, organisation_id=home.id, form_code="interview", subject_id=rhi["id"],
                            section_code="episode", question_code="what_happened", kind="long_text", text_value=text,
                            json_value=None, no_answer=None, updated_at=rhi["found_at"], updated_by_id=rhi["interviewer_id"]))
        common = dict(organisation_id=home.id, child_id=rhi["child_id"], rhi_id=rhi["id"], source_kind="answer",
                      source_id=answer_id, source_key="what_happened", tagged_at=rhi["found_at"], origin=MACHINE)
        for label in result["labels"]:
            tags.append(dict(id=uuid.uuid4(), category=label, **common))
        old = (now - rhi["found_at"]).days > 60
        for m in result["indicators"]:
            h = text_hash(m["text"])
            mention = dict(id=uuid.uuid4(), code=m["code"], category=m["category"], context=m["context"],
                           start=m["start"], end=m["end"], text=m["text"], text_hash=h, review_state="waiting", **common)
            mentions.append(mention)
            if m["context"] == "asserted" and old and rng.random() < 0.85:
                decisions.append(dict(id=uuid.uuid4(), organisation_id=home.id, rhi_id=rhi["id"], source_kind="answer",
                                      source_id=answer_id, source_key="what_happened", code=m["code"], text_hash=h,
                                      decision="confirmed" if rng.random() < 0.8 else "dismissed", note=None,
                                      decided_by_id=coordinator, decided_at=rhi["found_at"] + timedelta(days=3)))
                mention["review_state"] = decisions[-1]["decision"]
        for e in result["entities"]:
            entities.append(dict(id=uuid.uuid4(), label=e["label"], text=e["text"], start=e["start"], end=e["end"],
                                 normalized=(e.get("normalized") or "")[:200], **common))
        at = len(note) + extra.index("@")
        entities.append(dict(id=uuid.uuid4(), label="SOCIAL", text="@" + handle, start=at, end=at + len(handle) + 1,
                             normalized=handle, **common))
    # decisions are unique per mention key: a note naming the same sign twice gets one
    decisions = list({(d["source_id"], d["code"], d["text_hash"]): d for d in decisions}.values())
    for model, rows in ((Answer, answers), (Tag, tags), (Mention, mentions), (Entity, entities), (TagDecision, decisions)):
        _insert(model, rows)
    echo(f"  {len(answers)} answers, {len(tags)} tags, {len(mentions)} mentions, {len(entities)} entities, "
         f"{len(decisions)} decisions")
    groups = entity_groups.rebuild(home.id)
    peers = db.session.execute(select(func.count()).select_from(PeerGroup).where(PeerGroup.organisation_id == home.id)).scalar_one()
    echo(f"  {groups} people and places, {peers} peer groups")
    marks = theme_counts.rebuild(home.id)
    counted = compliance_counts.rebuild(db.session, home.id)
    repeats = repeat_marks.rebuild(db.session, home.id)
    echo(f"  {marks} themes marks, {counted} RHIs' 72-hour figures and {repeats} children's latest reports counted")
    return {"children": len(children), "episodes": len(episodes), "rhis": len(rhis), "answers": len(answers)}


_INDEX: dict = {}


def children_index(children, child_id) -> int:
    if not _INDEX or len(_INDEX) != len(children):
        _INDEX.clear()
        _INDEX.update({c["id"]: i for i, c in enumerate(children)})
    return _INDEX[child_id]
