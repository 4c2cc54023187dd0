"""The coordinator's kept counts (issue 6's speed target): the themes counts and the peer links and
groups move in the same transaction as every write that changes what they count, and always equal
what a rebuild from the stored rows gives."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from rhi_service import (analysis_store, compliance_counts, entity_groups, kept_counts, peer_links, repeat_marks, retention,
                         theme_counts)
from rhi_service.extensions import db
from rhi_service.models.analysis import Mention
from rhi_service.models.children import Child
from rhi_service.models.episodes import MissingEpisode
from rhi_service.models.coordination import (ComplianceCount, EntityGroup, EntityMerge, PeerGroup, PeerGroupMember, PeerLink,
                                             RepeatMark, ReviewCount, ThemeCount, ThemeMark)
from rhi_service.models.forms import Answer
from tests import factories
from tests.conftest import soup
from tests.integration.test_coordinator import CCE_TEXT, CSE_TEXT, PLAIN_TEXT, tagged_rhi
from tests.integration.test_records import child_data, datetime_parts, episode_data

NOW = datetime.now(timezone.utc)


# --- Helpers: the kept rows, and what a rebuild makes of the same data --------------------------------

def counts_of(org, dimension: str = "", value: str = "") -> dict:
    """(day, category, code) → (rhis, confirmed) for the non-zero kept counts."""
    rows = db.session.execute(select(ThemeCount).where(
        ThemeCount.organisation_id == org.id, ThemeCount.dimension == dimension, ThemeCount.value == value,
        ThemeCount.grain == "d")).scalars()
    return {(r.day, r.category, r.code): (r.rhis, r.confirmed) for r in rows if (r.rhis, r.confirmed) != (0, 0)}


def every_count(org) -> dict:
    rows = db.session.execute(select(ThemeCount).where(ThemeCount.organisation_id == org.id)).scalars()
    return {(r.dimension, r.value, r.grain, r.day, r.category, r.code): (r.rhis, r.confirmed)
            for r in rows if (r.rhis, r.confirmed) != (0, 0)}


def assert_themes_match_a_rebuild(org) -> None:
    before = every_count(org)
    marks = sorted((m.unit_id, m.category, m.code, m.confirmed, m.day, m.team, m.sex, m.age_band)
                   for m in db.session.execute(select(ThemeMark).where(ThemeMark.organisation_id == org.id)).scalars())
    theme_counts.rebuild(org.id)
    db.session.flush()
    assert every_count(org) == before
    assert sorted((m.unit_id, m.category, m.code, m.confirmed, m.day, m.team, m.sex, m.age_band)
                  for m in db.session.execute(select(ThemeMark).where(ThemeMark.organisation_id == org.id)).scalars()) == marks


def codes_on(org, day, dimension: str = "", value: str = "") -> dict:
    """code → (rhis, confirmed) on one day ("" is the category as a whole, keyed by category)."""
    return {(code or category): n for (d, category, code), n in counts_of(org, dimension, value).items() if d == day}


def peer_groups(org) -> set[frozenset]:
    rows = db.session.execute(select(PeerGroupMember.peer_group_id, PeerGroupMember.child_id)
                              .join(PeerGroup, PeerGroup.id == PeerGroupMember.peer_group_id)
                              .where(PeerGroup.organisation_id == org.id)).all()
    out: dict = {}
    for group_id, child_id in rows:
        out.setdefault(group_id, set()).add(child_id)
    sizes = dict(db.session.execute(select(PeerGroup.id, PeerGroup.size).where(PeerGroup.organisation_id == org.id)).all())
    assert all(sizes[g] == len(m) for g, m in out.items()) and set(sizes) == set(out)
    return {frozenset(m) for m in out.values()}


def peer_link_set(org) -> set[tuple]:
    rows = db.session.execute(select(PeerLink.kind, PeerLink.child_id, PeerLink.other_child_id, EntityGroup.label,
                                     EntityGroup.normalized)
                              .join(EntityGroup, EntityGroup.id == PeerLink.entity_group_id)
                              .where(PeerLink.organisation_id == org.id)).all()
    return {tuple(r) for r in rows}


def assert_peers_match_a_rebuild(org) -> None:
    links, groups = peer_link_set(org), peer_groups(org)
    entity_groups.rebuild(org.id)
    db.session.flush()
    assert peer_link_set(org) == links
    assert peer_groups(org) == groups


def found_day(rhi):
    return kept_counts.london_day(rhi.found_at)


def mentions_of(rhi, code: str) -> list[Mention]:
    return list(db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.code == code)).scalars())


def set_answer(rhi, text: str) -> None:
    answer = db.session.execute(select(Answer).where(Answer.subject_id == rhi.id)).scalar_one()
    answer.text_value = text
    db.session.flush()
    analysis_store.retag_rhi(rhi)
    db.session.flush()


# --- Themes ------------------------------------------------------------------------------------------

def test_tagging_counts_each_rhi_once_per_category_and_code_on_its_found_day(orgs):
    home = orgs["home"]
    first = tagged_rhi(factories.child(home, team="East"), CSE_TEXT, found_at=NOW - timedelta(days=3))
    tagged_rhi(factories.child(home, team="East"), CSE_TEXT + " " + CSE_TEXT, found_at=NOW - timedelta(days=3))
    day = found_day(first)
    counted = codes_on(home, day)
    # two RHIs, however many times each mentions gifts; nothing confirmed yet
    assert counted["CSE"] == (2, 0) and counted["CSE_GIFTS"] == (2, 0)
    assert codes_on(home, day, "team", "East")["CSE"] == (2, 0)
    assert codes_on(home, day, "sex", "female")["CSE_GIFTS"] == (2, 0)
    assert not codes_on(home, day, "team", "West")
    assert_themes_match_a_rebuild(home)


def test_retagging_replaces_what_the_rhi_counted(orgs):
    home = orgs["home"]
    rhi = tagged_rhi(factories.child(home), CSE_TEXT, found_at=NOW - timedelta(days=5))
    day = found_day(rhi)
    assert "CSE" in codes_on(home, day) and "CCE" not in codes_on(home, day)
    set_answer(rhi, CCE_TEXT)
    counted = codes_on(home, day)
    assert "CSE" not in counted and "CSE_GIFTS" not in counted
    assert counted["CCE"] == (1, 0)
    set_answer(rhi, PLAIN_TEXT)
    assert codes_on(home, day) == {}
    assert_themes_match_a_rebuild(home)


def test_confirming_and_dismissing_move_the_counts(client_for, orgs):
    home = orgs["home"]
    rhi = tagged_rhi(factories.child(home, team="East"), CSE_TEXT, found_at=NOW - timedelta(days=2))
    day = found_day(rhi)
    client = client_for("coordinator")
    [lifts] = mentions_of(rhi, "CSE_LIFTS_BY_ADULTS")
    assert client.post(f"/review/mentions/{lifts.id}/decision", data={"decision": "confirmed"}).status_code == 302
    counted = codes_on(home, day)
    assert counted["CSE_LIFTS_BY_ADULTS"] == (1, 1) and counted["CSE"] == (1, 1) and counted["CSE_GIFTS"] == (1, 0)
    assert codes_on(home, day, "team", "East")["CSE"] == (1, 1)
    # dismissing the only evidence of a code takes the code off; the category stays for the other codes
    for gifts in mentions_of(rhi, "CSE_GIFTS"):
        assert client.post(f"/review/mentions/{gifts.id}/decision", data={"decision": "dismissed"}).status_code == 302
    counted = codes_on(home, day)
    assert "CSE_GIFTS" not in counted and counted["CSE"] == (1, 1)
    # changing one's mind counts again, and the decision survives a re-tag
    assert client.post(f"/review/mentions/{lifts.id}/decision", data={"decision": "dismissed"}).status_code == 302
    assert codes_on(home, day)["CSE"] == (1, 0)
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    assert "CSE_LIFTS_BY_ADULTS" not in codes_on(home, day) and codes_on(home, day)["CSE"] == (1, 0)
    assert_themes_match_a_rebuild(home)


def test_a_tag_added_by_a_coordinator_counts_as_confirmed(client_for, orgs):
    home = orgs["home"]
    rhi = tagged_rhi(factories.child(home), PLAIN_TEXT, found_at=NOW - timedelta(days=2))
    assert codes_on(home, found_day(rhi)) == {}
    client_for("coordinator").post(f"/rhis/{rhi.id}/tags/new", data={"source_key": "what_happened",
                                                                    "words": "a friend's house", "code": "CSE_GIFTS"})
    assert codes_on(home, found_day(rhi)) == {"CSE": (1, 1), "CSE_GIFTS": (1, 1)}
    assert_themes_match_a_rebuild(home)


def test_changing_the_childs_details_moves_their_counts(client_for, orgs):
    home = orgs["home"]
    found = NOW - timedelta(days=4)
    child = factories.child(home, first_name="Robin", last_name="Ashgrove", team="East",
                            date_of_birth=(found - timedelta(days=365 * 13 + 40)).date())
    rhi = tagged_rhi(child, CSE_TEXT, found_at=found)
    day = found_day(rhi)
    assert codes_on(home, day, "age_band", "12_13")["CSE"] == (1, 0)
    assert codes_on(home, day, "legal_status", "looked_after")["CSE"] == (1, 0)
    born = found.date() - timedelta(days=365 * 15 + 40)
    response = client_for("coordinator").post(f"/children/{child.id}/edit", data=child_data(
        team="West", sex="male", legal_status="child_in_need", **{"date_of_birth-day": str(born.day),
                                                                  "date_of_birth-month": str(born.month),
                                                                  "date_of_birth-year": str(born.year)}))
    assert response.status_code == 302
    assert not codes_on(home, day, "team", "East") and codes_on(home, day, "team", "West")["CSE"] == (1, 0)
    assert not codes_on(home, day, "sex", "female") and codes_on(home, day, "sex", "male")["CSE"] == (1, 0)
    assert not codes_on(home, day, "age_band", "12_13") and codes_on(home, day, "age_band", "14_15")["CSE"] == (1, 0)
    assert codes_on(home, day, "legal_status", "child_in_need")["CSE"] == (1, 0)
    assert codes_on(home, day)["CSE"] == (1, 0)
    # the page's filters read the moved counts
    rows = list(csv.reader(io.StringIO(client_for("coordinator").get("/themes.csv?table=indicators&team=West")
                                       .get_data(as_text=True))))
    assert "CSE_GIFTS" in {r[0] for r in rows[1:]}
    assert_themes_match_a_rebuild(home)


def test_correcting_the_found_time_moves_the_rhi_to_its_new_day(client_for, orgs):
    home = orgs["home"]
    child = factories.child(home)
    rhi = tagged_rhi(child, CSE_TEXT, found_at=NOW - timedelta(days=20))
    old_day = found_day(rhi)
    episode = rhi.episodes[0]
    new_found = (NOW - timedelta(days=9)).replace(second=0, microsecond=0)
    data = episode_data(episode.reported_missing_at) | datetime_parts("found_at", new_found)
    # a later found time is a correction of when this RHI's child came back
    data |= datetime_parts("reported_missing_at", new_found - timedelta(hours=5))
    assert client_for("coordinator").post(f"/episodes/{episode.id}/edit", data=data).status_code == 302
    db.session.refresh(rhi)
    assert found_day(rhi) != old_day
    assert "CSE" not in codes_on(home, old_day) and codes_on(home, found_day(rhi))["CSE"] == (1, 0)
    assert_themes_match_a_rebuild(home)


def test_deleting_a_childs_record_takes_their_rhis_off_the_counts(orgs):
    home = orgs["home"]
    keep = tagged_rhi(factories.child(home), CSE_TEXT, found_at=NOW - timedelta(days=3))
    gone_child = factories.child(home)
    tagged_rhi(gone_child, CSE_TEXT, found_at=NOW - timedelta(days=3))
    assert codes_on(home, found_day(keep))["CSE"] == (2, 0)
    retention.delete_child(gone_child.id)
    db.session.flush()
    assert codes_on(home, found_day(keep))["CSE"] == (1, 0)
    assert db.session.execute(select(func.count()).select_from(ThemeMark).where(ThemeMark.child_id == gone_child.id)).scalar_one() == 0
    assert_themes_match_a_rebuild(home)


def test_a_received_rhi_counts_on_the_day_it_was_tagged(orgs, users):
    from rhi_service.placements import uploads
    from rhi_service.placements.uploads import Sender

    child = factories.placed_child(orgs["home"], orgs["placing"])
    sender = Sender(organisation_id=orgs["placing"].id, via="portal", user=users["placing_authority"], api_token=None)
    upload = uploads.receive_file(CSE_TEXT.encode(), "rhi.txt", sender, organisation_id=orgs["home"].id, child=child)
    [mark] = db.session.execute(select(ThemeMark).where(ThemeMark.unit_id == upload.id, ThemeMark.code == "")).scalars()
    assert mark.rhi_id is None and mark.placing == str(orgs["placing"].id)
    assert codes_on(orgs["home"], mark.day, "placing", str(orgs["placing"].id))["CSE"] == (1, 0)
    assert_themes_match_a_rebuild(orgs["home"])


def test_two_filters_at_once_are_added_up_from_the_marks(client_for, orgs):
    home = orgs["home"]
    tagged_rhi(factories.child(home, team="East", sex="male"), CSE_TEXT, found_at=NOW - timedelta(days=3))
    tagged_rhi(factories.child(home, team="East", sex="female"), CCE_TEXT, found_at=NOW - timedelta(days=3))
    tagged_rhi(factories.child(home, team="West", sex="male"), CCE_TEXT, found_at=NOW - timedelta(days=3))
    client = client_for("coordinator")
    rows = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators&team=East&sex=male").get_data(as_text=True))))
    assert {r[1] for r in rows[1:]} == {"CSE"}
    by_category = list(csv.reader(io.StringIO(client.get("/themes.csv?team=East&sex=female").get_data(as_text=True))))
    assert sum(int(r[2]) for r in by_category[1:] if r[1] == "CCE") == 1
    assert sum(int(r[2]) for r in by_category[1:] if r[1] == "CSE") == 0


def test_weeks_and_months_add_up_the_days(client_for, orgs):
    home = orgs["home"]
    for days in (2, 9, 40):
        tagged_rhi(factories.child(home), CSE_TEXT, found_at=NOW - timedelta(days=days))
    client = client_for("coordinator")
    for period in ("week", "month"):
        rows = list(csv.reader(io.StringIO(client.get(f"/themes.csv?period={period}").get_data(as_text=True))))
        cse = [r for r in rows[1:] if r[1] == "CSE"]
        assert sum(int(r[2]) for r in cse) == 3
        for r in cse:
            start = date.fromisoformat(r[0])
            assert start.weekday() == 0 if period == "week" else start.day == 1
    weekly = list(csv.reader(io.StringIO(client.get("/themes.csv?period=week").get_data(as_text=True))))
    assert len([r for r in weekly[1:] if r[1] == "CSE" and r[2] != "0"]) >= 2
    coded = list(csv.reader(io.StringIO(client.get("/themes.csv?period=week&code=CSE_GIFTS").get_data(as_text=True))))
    assert sum(int(r[2]) for r in coded[1:] if r[1] == "CSE") == 3


def test_whole_months_and_the_days_either_side_add_up_to_any_range(client_for, orgs):
    home = orgs["home"]
    days = [kept_counts.london_day(rhi.found_at) for rhi in
            (tagged_rhi(factories.child(home), CSE_TEXT, found_at=NOW - timedelta(days=d)) for d in (1, 15, 33, 47, 75, 100))]
    today = kept_counts.london_day(NOW)
    this_month = today.replace(day=1)
    last_of_previous = this_month - timedelta(days=1)
    ranges = [(today - timedelta(days=120), today), ((last_of_previous - timedelta(days=70)).replace(day=1), last_of_previous),
              (today - timedelta(days=50), today - timedelta(days=20)), (days[2], days[2]), (days[0], days[0])]
    client = client_for("coordinator")
    for start, end in ranges:
        expected = sum(start <= d <= end for d in days)
        args = f"from={start.isoformat()}&to={end.isoformat()}"
        codes = {r[0]: r for r in csv.reader(io.StringIO(client.get(f"/themes.csv?table=indicators&{args}").get_data(as_text=True)))}
        assert int(codes["CSE_GIFTS"][2]) == expected if expected else "CSE_GIFTS" not in codes, (start, end)
        for period in ("month", "week"):
            rows = list(csv.reader(io.StringIO(client.get(f"/themes.csv?{args}&period={period}").get_data(as_text=True))))
            assert sum(int(r[2]) for r in rows[1:] if r[1] == "CSE") == expected, (start, end, period)
            coded = list(csv.reader(io.StringIO(client.get(f"/themes.csv?{args}&period={period}&code=CSE_GIFTS")
                                                .get_data(as_text=True))))
            assert sum(int(r[2]) for r in coded[1:] if r[1] == "CSE") == expected, (start, end, period, "code")


# --- Peer links and groups --------------------------------------------------------------------------

def test_a_shared_phone_links_two_children_until_one_rhi_no_longer_names_it(orgs):
    home = orgs["home"]
    a = factories.child(home, first_name="Avery", last_name="Stone")
    b = factories.child(home, first_name="Blake", last_name="Reed")
    tagged_rhi(a, CSE_TEXT)
    rhi_b = tagged_rhi(b, "Someone rang her from 07700 900123 and she went to Northmoor.")
    assert peer_groups(home) == {frozenset({a.id, b.id})}
    assert ("shared", *sorted([a.id, b.id]), "PHONE", "07700900123") in peer_link_set(home)
    assert_peers_match_a_rebuild(home)
    set_answer(rhi_b, "She went to Northmoor.")  # a shared town is not a link
    assert peer_groups(home) == set() and peer_link_set(home) == set()


def test_rewording_a_text_that_names_the_same_phone_leaves_its_group_as_it_was(orgs):
    home = orgs["home"]
    a, b = factories.child(home), factories.child(home)
    tagged_rhi(a, "Someone rang her from 07700 900123.")
    rhi_b = tagged_rhi(b, "A man on 07700 900123 picked him up.")
    group = db.session.execute(select(EntityGroup).where(EntityGroup.normalized == "07700900123")).scalar_one()
    kept = (group.children_count, group.sources_count, group.updated_at)
    assert kept[:2] == (2, 2)
    set_answer(rhi_b, "He said the man who picked him up uses 07700 900123 and drives.")
    db.session.refresh(group)
    # the same phone under the same RHI: nothing it counts has moved, so it was not counted again
    assert (group.children_count, group.sources_count, group.updated_at) == kept
    set_answer(rhi_b, "He said the man who picked him up uses 07700 900456 now.")
    db.session.refresh(group)
    assert (group.children_count, group.sources_count) == (1, 1)
    assert db.session.execute(select(EntityGroup.children_count).where(
        EntityGroup.normalized == "07700900456")).scalar_one() == 1
    assert peer_groups(home) == set()
    assert_peers_match_a_rebuild(home)


def test_a_text_with_no_signs_before_or_after_leaves_the_themes_alone(orgs, monkeypatch):
    home = orgs["home"]
    plain = tagged_rhi(factories.child(home), PLAIN_TEXT)
    signs = tagged_rhi(factories.child(home), CSE_TEXT)
    asked = []
    real = theme_counts.refresh_units
    monkeypatch.setattr(theme_counts, "refresh_units", lambda org, units: (asked.append(set(units)), real(org, units)))
    set_answer(plain, PLAIN_TEXT + " We talked about school.")
    assert asked == [set()]
    set_answer(plain, CSE_TEXT)  # signs now: counted
    set_answer(signs, PLAIN_TEXT)  # signs before: counted off
    assert asked[1:] == [{plain.id}, {signs.id}]
    day = found_day(plain)
    assert codes_on(home, day)["CSE"] == (1, 0)
    assert_themes_match_a_rebuild(home)


def test_a_link_joins_two_groups_and_losing_it_splits_them_again(orgs):
    home = orgs["home"]
    kids = [factories.child(home, first_name=name, last_name="Zedfield") for name in ("Ash", "Bo", "Cy", "Di")]
    tagged_rhi(kids[0], "She messages @crew_zz99 most nights.")
    tagged_rhi(kids[1], "He is in a group chat @crew_zz99.")
    tagged_rhi(kids[2], "A man on 07700 900555 rang her.")
    bridge = tagged_rhi(kids[3], "A man on 07700 900555 rang him.")
    assert peer_groups(home) == {frozenset({kids[0].id, kids[1].id}), frozenset({kids[2].id, kids[3].id})}
    set_answer(bridge, "A man on 07700 900555 rang him. He is also in @crew_zz99.")
    assert peer_groups(home) == {frozenset(k.id for k in kids)}
    assert_peers_match_a_rebuild(home)
    set_answer(bridge, "Nothing said.")
    assert peer_groups(home) == {frozenset({kids[0].id, kids[1].id})}
    assert_peers_match_a_rebuild(home)


def test_merge_links_children_through_two_spellings_and_split_unlinks_them(client_for, orgs):
    home = orgs["home"]
    a = factories.child(home, first_name="Avery", last_name="Stone")
    b = factories.child(home, first_name="Blake", last_name="Reed")
    tagged_rhi(a, "A man called Big Dee gave her lifts.")
    tagged_rhi(b, "She met Dee Bigs at the station.")
    assert peer_groups(home) == set()
    groups = {g.normalized: g for g in db.session.execute(select(EntityGroup).where(EntityGroup.label == "PERSON")).scalars()}
    client = client_for("coordinator")
    assert client.post(f"/people-and-places/{groups['big dee'].id}/merge",
                       data={"other": str(groups["dee bigs"].id)}).status_code == 302
    assert peer_groups(home) == {frozenset({a.id, b.id})}
    page = soup(client.get("/peer-groups")).get_text(" ", strip=True)
    assert "Avery" in page and "Blake" in page and "Big Dee" in page
    assert_peers_match_a_rebuild(home)
    merge = db.session.execute(select(EntityMerge)).scalar_one()
    assert client.post(f"/people-and-places/merges/{merge.id}/split").status_code == 302
    assert peer_groups(home) == set()


def test_a_child_recorded_after_being_named_is_linked_and_renaming_unlinks(client_for, orgs):
    home = orgs["home"]
    namer = factories.child(home, first_name="Avery", last_name="Stone")
    tagged_rhi(namer, "She was with Blake Reedman all weekend.")
    assert peer_groups(home) == set()
    client = client_for("coordinator")
    assert client.post("/children/new", data=child_data(first_name="Blake", last_name="Reedman")).status_code == 302
    blake = db.session.execute(select(Child).where(Child.last_name == "Reedman")).scalar_one()
    assert peer_groups(home) == {frozenset({namer.id, blake.id})}
    assert ("named", namer.id, blake.id, "PERSON", "blake reedman") in peer_link_set(home)
    text = soup(client.get("/peer-groups")).get_text(" ", strip=True)
    assert "Avery Stone named Blake Reedman" in text
    assert client.post(f"/children/{blake.id}/edit", data=child_data(first_name="Blake", last_name="Reed")).status_code == 302
    assert peer_groups(home) == set()
    assert_peers_match_a_rebuild(home)


def test_a_name_shared_by_too_many_children_is_not_a_link(orgs):
    home = orgs["home"]
    kids = [factories.child(home, first_name="Kid", last_name=f"Number{i}") for i in range(peer_links.PEER_GROUP_MAX_CHILDREN)]
    for kid in kids:
        tagged_rhi(kid, "A man on 07700 900777 rang them.")
    assert peer_groups(home) == {frozenset(k.id for k in kids)}
    one_more = factories.child(home, first_name="Kid", last_name="Extra")
    tagged_rhi(one_more, "A man on 07700 900777 rang them.")
    assert peer_groups(home) == set()
    assert_peers_match_a_rebuild(home)


def test_deleting_a_childs_record_regroups_the_rest(orgs):
    home = orgs["home"]
    a, b, c = (factories.child(home, first_name=n, last_name="Yarrow") for n in ("Ann", "Ben", "Cal"))
    tagged_rhi(a, "Her friend's handle is @aa_zz99.")
    tagged_rhi(b, "His friends are @aa_zz99 and @bb_zz99.")
    tagged_rhi(c, "She messages @bb_zz99.")
    assert peer_groups(home) == {frozenset({a.id, b.id, c.id})}
    retention.delete_child(b.id)
    db.session.flush()
    assert peer_groups(home) == set()
    assert_peers_match_a_rebuild(home)


def test_a_phone_typed_into_a_profile_is_counted_and_links_children(client_for, orgs):
    home = orgs["home"]
    a = factories.child(home, first_name="Avery", last_name="Stone")
    b = factories.child(home, first_name="Blake", last_name="Reed")
    tagged_rhi(a, "A man on 07700 900123 rang her.")
    coordinator = client_for("coordinator")
    base = f"/children/{b.id}/profile"
    form = soup(coordinator.get(f"{base}/people/associates/new"))
    assert coordinator.post(f"{base}/people/associates/new", data={
        "version": form.find("input", {"name": "version"})["value"], "item_key": form.find("input", {"name": "item_key"})["value"],
        "name": "Jay Testfriend", "phone": "07700 900123"}).status_code == 302
    phone = db.session.execute(select(EntityGroup).where(EntityGroup.label == "PHONE")).scalar_one()
    assert phone.children_count == 2
    assert peer_groups(home) == {frozenset({a.id, b.id})}
    assert_peers_match_a_rebuild(home)


def test_peer_groups_page_from_the_kept_groups(client_for, orgs):
    home = orgs["home"]
    for number in range(12):
        pair = [factories.child(home, first_name=f"Pair{number}", last_name=side) for side in ("Left", "Right")]
        for kid in pair:
            tagged_rhi(kid, f"They both message @pair{number:02d}_zz99.")
    trio = [factories.child(home, first_name=f"Trio{i}", last_name="Middle") for i in range(3)]
    for kid in trio:
        tagged_rhi(kid, "A man on 07700 900321 rang them.")
    client = client_for("coordinator")
    first = soup(client.get("/peer-groups"))
    cards = first.select(".govuk-summary-card")
    assert len(cards) == 10 and "13 groups" in first.get_text()
    assert "3 children" in cards[0].get_text() and "Trio0" in cards[0].get_text()
    second = soup(client.get("/peer-groups?page=2"))
    assert len(second.select(".govuk-summary-card")) == 3
    assert "Group 13" in second.get_text()
    assert len(soup(client.get("/peer-groups?page=99")).select(".govuk-summary-card")) == 3


# --- The monthly 72-hour figures --------------------------------------------------------------------

def compliance_of(org, dimension: str = "", value: str = "") -> dict:
    """day → (rhis, held in time, held late, declined), as kept."""
    rows = db.session.execute(select(ComplianceCount).where(
        ComplianceCount.organisation_id == org.id, ComplianceCount.dimension == dimension,
        ComplianceCount.value == value)).scalars()
    out = {r.day: (r.rhis, r.held_in_time, r.held_late, r.declined) for r in rows}
    return {k: v for k, v in out.items() if any(v)}


def assert_compliance_matches_a_rebuild(org) -> None:
    before = {d: compliance_of(org, d, v) for d, v in (("", ""), ("team", "East"), ("team", "West"), ("sex", "female"))}
    compliance_counts.rebuild(db.session, org.id)
    db.session.flush()
    assert {d: compliance_of(org, d, v) for d, v in (("", ""), ("team", "East"), ("team", "West"), ("sex", "female"))} == before


def month_row(org, when, now=None, **filters):
    from rhi_service.queries import themes as theme_queries

    day = kept_counts.london_day(when)
    rows = theme_queries.compliance(org.id, theme_queries.Filters(day.replace(day=1), day, **filters), now or NOW)
    row = rows[0]
    return (row.due, row.held_in_time, row.held_late, row.declined)


def test_72_hour_figures_follow_each_rhi_however_it_is_written(client_for, orgs, users):
    from rhi_service import rhis
    from rhi_service.models.interviews import ReturnInterview

    home = orgs["home"]
    found = NOW - timedelta(days=10)
    child = factories.child(home, team="East")
    rhi = factories.rhi(child, found_at=found)
    day = found_day(rhi)
    assert compliance_of(home)[day] == (1, 0, 0, 0)
    rhis.record_deadline(rhi, found + timedelta(hours=20))
    rhi.status = "submitted"
    db.session.flush()
    assert compliance_of(home)[day] == (1, 1, 0, 0) and compliance_of(home, "team", "East")[day] == (1, 1, 0, 0)
    rhis.reopen(rhi)
    rhis.decline(rhi, "no_contact", "Three calls and a letter, no answer")
    db.session.flush()
    assert compliance_of(home)[day] == (1, 0, 0, 1)
    # a statement that bypasses the session's records says so itself
    from sqlalchemy import update
    db.session.execute(update(ReturnInterview).where(ReturnInterview.id == rhi.id)
                       .values(status="submitted", held_by_due=False).execution_options(synchronize_session=False))
    compliance_counts.refresh(db.session, [rhi.id])
    assert compliance_of(home)[day] == (1, 0, 1, 0)
    # the child's details move the RHI between filters
    response = client_for("coordinator").post(f"/children/{child.id}/edit", data=child_data(team="West"))
    assert response.status_code == 302
    assert day not in compliance_of(home, "team", "East") and compliance_of(home, "team", "West")[day] == (1, 0, 1, 0)
    # an RHI the placing authority carries out is not ours to count
    factories.rhi(factories.child(home), found_at=found, conducted_by="placing_authority")
    assert compliance_of(home)[day] == (1, 0, 1, 0)
    assert_compliance_matches_a_rebuild(home)


def test_72_hour_figures_count_an_rhi_once_its_72_hours_have_run(orgs):
    home = orgs["home"]
    found = NOW - timedelta(hours=5)
    factories.rhi(factories.child(home, team="East"), found_at=found)
    assert month_row(home, found) == (0, 0, 0, 0)
    assert month_row(home, found, team="East") == (0, 0, 0, 0)
    later = found + timedelta(hours=73)
    assert month_row(home, found, now=later) == (1, 0, 0, 0)
    assert month_row(home, found, now=later, team="East", sex="female") == (1, 0, 0, 0)
    assert month_row(home, found, now=later, team="West") == (0, 0, 0, 0)


def test_deleting_a_childs_record_takes_their_rhis_off_the_72_hour_figures(orgs):
    home = orgs["home"]
    found = NOW - timedelta(days=10)
    keep = factories.rhi(factories.child(home), found_at=found)
    gone = factories.child(home)
    factories.rhi(gone, found_at=found, status="declined")
    assert compliance_of(home)[found_day(keep)] == (2, 0, 0, 1)
    retention.delete_child(gone.id)
    db.session.flush()
    assert compliance_of(home)[found_day(keep)] == (1, 0, 0, 0)
    assert_compliance_matches_a_rebuild(home)


def test_teams_are_listed_once_each_in_order(client_for, orgs):
    for team in ("West", "East", "West", None, "Early Help"):
        factories.child(orgs["home"], team=team)
    factories.child(orgs["other_la"], team="Elsewhere")
    from rhi_service.queries import themes as theme_queries

    assert theme_queries.teams(orgs["home"].id) == ["Early Help", "East", "West"]


# --- The review queue -------------------------------------------------------------------------------

def review_totals(org) -> dict:
    rows = db.session.execute(select(ReviewCount).where(ReviewCount.organisation_id == org.id)).scalars()
    return {(r.category, r.state): r.mentions for r in rows if r.mentions}


def asserted(rhi) -> list[Mention]:
    return list(db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.context == "asserted")).scalars())


def assert_review_matches_a_rebuild(org) -> None:
    before = review_totals(org)
    states = {m.id: m.review_state for m in db.session.execute(select(Mention)).scalars()}
    theme_counts.rebuild(org.id)
    db.session.flush()
    db.session.expire_all()
    assert review_totals(org) == before
    assert {m.id: m.review_state for m in db.session.execute(select(Mention)).scalars()} == states


def queue_heading(page) -> str:
    return next(h.get_text(" ", strip=True) for h in page.select("h2") if " tag" in h.get_text())


def test_the_review_queue_counts_and_lists_each_state(client_for, orgs):
    home = orgs["home"]
    rhi = tagged_rhi(factories.child(home), CSE_TEXT)
    found = asserted(rhi)
    assert found and review_totals(home) == {("CSE", "waiting"): len(found)}
    client = client_for("coordinator")
    assert queue_heading(soup(client.get("/review/tags"))).startswith(f"{len(found)} tag")
    assert f">{len(found)}</strong>" in client.get("/today").get_data(as_text=True)
    [lifts] = mentions_of(rhi, "CSE_LIFTS_BY_ADULTS")
    gifts = mentions_of(rhi, "CSE_GIFTS")[0]
    client.post(f"/review/mentions/{lifts.id}/decision", data={"decision": "confirmed"})
    client.post(f"/review/mentions/{gifts.id}/decision", data={"decision": "dismissed"})
    db.session.expire_all()
    assert (lifts.review_state, gifts.review_state) == ("confirmed", "dismissed")
    waiting = len(found) - 2
    assert review_totals(home) == {k: v for k, v in {("CSE", "waiting"): waiting, ("CSE", "confirmed"): 1,
                                                     ("CSE", "dismissed"): 1}.items() if v}
    confirmed = soup(client.get("/review/tags?status=confirmed&category=CSE"))
    assert [m.get_text() for m in confirmed.select(".rhi-review-item mark")] == ["gave her lifts"]
    assert queue_heading(confirmed).startswith("1 tag:")
    assert len(soup(client.get("/review/tags?status=all")).select(".rhi-review-item")) == len(found)
    assert not soup(client.get("/review/tags?status=dismissed&category=CCE")).select(".rhi-review-item")
    # a re-tag makes new rows: they take their state from the decisions, and the totals stay
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    assert review_totals(home)[("CSE", "confirmed")] == 1 and review_totals(home)[("CSE", "dismissed")] == 1
    assert {m.review_state for m in mentions_of(rhi, "CSE_LIFTS_BY_ADULTS")} == {"confirmed"}
    # a tag the coordinator adds is confirmed at once
    client.post(f"/rhis/{rhi.id}/tags/new", data={"source_key": "what_happened", "words": "Northmoor bus station",
                                                 "code": "CSE_GIFTS"})
    assert review_totals(home)[("CSE", "confirmed")] == 2
    assert_review_matches_a_rebuild(home)
    retention.delete_child(rhi.child_id)
    db.session.flush()
    assert review_totals(home) == {}


# --- Repeat missing ---------------------------------------------------------------------------------

WINDOWS = [{"episodes": 3, "days": 90, "source": "a"}, {"episodes": 3, "days": 30, "source": "b"},
           {"episodes": 2, "days": 365, "source": "c"}]


def listed(org, windows=WINDOWS, window=None, sort="recent", page=1, now=None):
    from rhi_service.queries import coordinator as coordinator_queries

    found = coordinator_queries.repeat_missing_page(org.id, now or NOW, windows, window, sort, page)
    return [(row[0].first_name, row[2]) for row in found.items], found.total


def by_the_rule(org, windows=WINDOWS, now=None):
    """Who the rule itself flags, child by child: what the list must agree with."""
    from rhi_service import rules

    times: dict = {}
    for child_id, reported in db.session.execute(select(MissingEpisode.child_id, MissingEpisode.reported_missing_at)):
        times.setdefault(child_id, []).append(reported)
    names = dict(db.session.execute(select(Child.id, Child.first_name)).all())
    return {names[c] for c, t in times.items() if rules.repeat_missing_flags(t, now or NOW, windows)}


def test_repeat_missing_marks_follow_episodes_as_they_are_recorded_and_corrected(client_for, orgs):
    home = orgs["home"]
    often = factories.child(home, first_name="Often")
    for days in (5, 20):
        factories.episode(often, reported_missing_at=NOW - timedelta(days=days))
    once = factories.child(home, first_name="Once")
    factories.episode(once, reported_missing_at=NOW - timedelta(days=300))
    assert listed(home) == ([("Often", 2)], 1)
    # a third report through the page: now three in 30 days, and Once has a second in a year
    coordinator = client_for("coordinator")
    missing_at = (NOW - timedelta(days=2)).replace(second=0, microsecond=0)
    assert coordinator.post(f"/children/{often.id}/episodes/new", data=episode_data(missing_at)).status_code == 302
    assert coordinator.post(f"/children/{once.id}/episodes/new",
                            data=episode_data(missing_at - timedelta(days=3))).status_code == 302
    assert listed(home, window=1) == ([("Often", 3)], 1)
    assert sorted(listed(home)[0]) == [("Often", 3), ("Once", 2)]
    assert {name for name, _ in listed(home)[0]} == by_the_rule(home) == {"Often", "Once"}
    # correcting the report back a year takes Once off the list
    episode = db.session.execute(select(MissingEpisode).where(MissingEpisode.child_id == once.id)
                                 .order_by(MissingEpisode.reported_missing_at.desc())).scalars().first()
    moved = missing_at - timedelta(days=500)
    assert coordinator.post(f"/episodes/{episode.id}/edit", data=episode_data(moved)).status_code == 302
    assert {name for name, _ in listed(home)[0]} == by_the_rule(home) == {"Often"}
    before = {(m.child_id, m.latest_at, m.second_at, m.third_at) for m in db.session.execute(select(RepeatMark)).scalars()}
    repeat_marks.rebuild(db.session, home.id)
    assert {(m.child_id, m.latest_at, m.second_at, m.third_at) for m in db.session.execute(select(RepeatMark)).scalars()} == before
    retention.delete_child(often.id)
    db.session.flush()
    assert listed(home) == ([], 0)


def test_repeat_missing_agrees_with_the_rule_in_every_window_and_sort(orgs):
    home = orgs["home"]
    pattern = {"Ann": (1, 2, 3), "Bea": (10, 50, 80), "Cal": (10, 200), "Dev": (100, 200, 300, 364), "Eve": (1,),
               "Fay": (29, 31, 89, 91), "Gus": (400, 401, 402)}
    for name, days in pattern.items():
        child = factories.child(home, first_name=name)
        for d in days:
            factories.episode(child, reported_missing_at=NOW - timedelta(days=d))
    # a report dated in the future is ignored by the rule (a clock skew)
    skewed = factories.child(home, first_name="Hal")
    for when in (NOW + timedelta(hours=2), NOW - timedelta(days=3), NOW - timedelta(days=4)):
        factories.episode(skewed, reported_missing_at=when)
    for index in (None, 0, 1, 2):
        chosen = WINDOWS if index is None else [WINDOWS[index]]
        expected = by_the_rule(home, chosen)
        for sort in ("recent", "most", "name"):
            rows, total = listed(home, window=index, sort=sort)
            assert {name for name, _ in rows} == expected and total == len(expected), (index, sort)
    rows, _ = listed(home, sort="most")
    # most reports first, the latest first among equals
    assert rows[:2] == [("Fay", 4), ("Dev", 4)]
    assert [name for name, _ in listed(home, sort="name")[0]] == sorted(by_the_rule(home))
    # a window of more reports than the marks keep is counted from the episodes
    four = [{"episodes": 4, "days": 365, "source": "x"}]
    assert {name for name, _ in listed(home, four)[0]} == by_the_rule(home, four) == {"Dev", "Fay"}


def test_the_repeat_missing_list_pages(orgs):
    home = orgs["home"]
    for number in range(30):
        child = factories.child(home, first_name=f"Kid{number:02d}")
        for d in (number + 1, number + 40):
            factories.episode(child, reported_missing_at=NOW - timedelta(days=d))
    first, total = listed(home)
    assert total == 30 and len(first) == 25 and first[0][0] == "Kid00"
    second, _ = listed(home, page=2)
    assert [name for name, _ in second] == [f"Kid{n}" for n in range(25, 30)]
