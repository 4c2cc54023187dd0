"""Views of the coordinator's pages: each reads its filters, calls a query or a rule, audits and renders.

Lists are rendered before the audit entry's commit: a commit expires every record loaded, and the
template would read each one again, one statement per row. The audit entry is still the
transaction's last write, and nothing is shown unless it commits."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import analysis_store, audit, charts, entity_groups, rules
from ..access import COORDINATORS, allow
from ..extensions import db
from ..forms.review import AddTagForm, DecisionForm, MergeForm, SplitForm
from ..models.analysis import COORDINATOR, CONFIRMED, Mention, Tag
from ..models.base import utcnow
from ..models.children import LEGAL_STATUSES, SEXES
from ..models.coordination import EntityMerge
from ..models.interviews import ReturnInterview
from ..queries import children as child_queries
from ..queries import coordinator as coordinator_queries
from ..queries import entities as entity_queries
from ..queries import interviews as rhi_queries
from ..queries import placements as placement_queries
from ..queries import review as review_queries
from ..queries import themes as theme_queries
from ..settings import get as get_settings
from ..web import LONDON
from . import bp

MAX_RANGE_DAYS = 3 * 366


def _page() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))


def _choice(name: str, allowed, default: str | None = None) -> str | None:
    value = request.args.get(name, default)
    return value if value in allowed else default


def _same_org_or_404(record):
    if record is None or record.organisation_id != current_user.organisation_id:
        abort(404)
    return record


def _safe_cell(value) -> str:
    """A spreadsheet must not run what a cell says: formulas are written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The review queue -------------------------------------------------------------------------------

def _queue_filters() -> dict:
    return {"status": _choice("status", review_queries.REVIEW_STATUSES, "waiting"),
            "category": _choice("category", review_queries.CATEGORY_LABELS, None),
            "sort": _choice("sort", review_queries.REVIEW_SORTS, "newest")}


@bp.route("/review/tags")
@allow(*COORDINATORS)
def tags():
    filters = _queue_filters()
    page = review_queries.queue_page(current_user.organisation_id, filters["status"], filters["category"],
                                     filters["sort"], _page())
    items = review_queries.queue_items(page.items)
    children = {c.id: c for c in child_queries_for({m.child_id for m in page.items})}
    html = render_template("review/tags.html", page=page, items=items, children=children, filters=filters,
                           args={k: v for k, v in filters.items() if v}, form=None,
                           statuses=review_queries.REVIEW_STATUSES, categories=review_queries.CATEGORY_LABELS,
                           sorts=review_queries.REVIEW_SORTS, indicators=review_queries.indicators())
    audit.record("tag_review_opened", mentions=[m.id for m in page.items])
    db.session.commit()
    return html


def child_queries_for(ids):
    from sqlalchemy import select

    from ..models.children import Child
    if not ids:
        return []
    return db.session.execute(select(Child).where(Child.id.in_(ids))).scalars()


@bp.route("/review/mentions/<uuid:mention_id>/decision", methods=["POST"])
@allow(*COORDINATORS)
def decide(mention_id):
    mention = _same_org_or_404(review_queries.mention_or_none(mention_id))
    form = DecisionForm()
    back = url_for("review.tags", **{k: v for k, v in _queue_filters().items() if v},
                   page=request.args.get("page", 1, type=int) or 1)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    analysis_store.decide(mention, form.decision.data, current_user, (form.note.data or "").strip() or None)
    audit.record("tag_confirmed" if form.decision.data == CONFIRMED else "tag_dismissed",
                 child=mention.child_id, mention=mention.id, **({"rhi": mention.rhi_id} if mention.rhi_id else {}))
    db.session.commit()
    what = review_queries.indicators().get(mention.code, (mention.category, mention.code))[1]
    flash(f"{'Confirmed' if form.decision.data == CONFIRMED else 'Dismissed'}: {what}", "success")
    return redirect(back)


@bp.route("/rhis/<uuid:rhi_id>/tags/new", methods=["GET", "POST"])
@allow(*COORDINATORS)
def add_tag(rhi_id):
    rhi = db.session.get(ReturnInterview, rhi_id)
    if not rhi_queries.can_see_rhi(current_user, rhi):
        abort(404)
    sources, _ = analysis_store.rhi_sources(rhi)
    labels = review_queries.question_labels()
    by_key = {s.key: s for s in sources}
    form = AddTagForm()
    form.source_key.choices = [(s.key, review_queries.label_for_key(s.key, labels)) for s in sources]
    indicators = review_queries.indicators()
    form.code.choices = [("", "Choose an indicator")] + [
        (code, f"{category}: {description}") for code, (category, description) in indicators.items()]
    if form.validate_on_submit():
        source = by_key.get(form.source_key.data)
        words = " ".join(form.words.data.split())
        at = _find_words(source.text, words) if source else None
        if at is None:
            form.words.errors.append("Enter words exactly as they appear in the answer you selected")
        elif form.code.data not in indicators:
            form.code.errors.append("Select the indicator")
        else:
            text = source.text[at[0]:at[1]]
            category = indicators[form.code.data][0]
            mention = Mention(organisation_id=rhi.organisation_id, child_id=rhi.child_id, rhi_id=rhi.id,
                              source_kind=source.kind, source_id=source.id, source_key=source.key, origin=COORDINATOR,
                              code=form.code.data, category=category, context="asserted", start=at[0], end=at[1],
                              text=text, text_hash=analysis_store.text_hash(text))
            db.session.add(mention)
            if not db.session.execute(_tag_exists(source, category)).first():
                db.session.add(Tag(organisation_id=rhi.organisation_id, child_id=rhi.child_id, rhi_id=rhi.id,
                                   source_kind=source.kind, source_id=source.id, source_key=source.key,
                                   category=category, origin=COORDINATOR))
            db.session.flush()
            analysis_store.decide(mention, CONFIRMED, current_user, (form.note.data or "").strip() or None)
            audit.record("tag_added", child=rhi.child_id, rhi=rhi.id, mention=mention.id)
            db.session.commit()
            flash(f"Tag added: {indicators[form.code.data][1]}", "success")
            return redirect(url_for("review.add_tag", rhi_id=rhi.id))
    elif request.method == "GET":
        audit.record("rhi_text_opened_for_tagging", child=rhi.child_id, rhi=rhi.id)
        db.session.commit()
    spans = analysis_store.evidence(rhi.id)
    return render_template("review/add_tag.html", rhi=rhi, child=rhi.child, form=form, sources=sources, spans=spans,
                           labels=labels, label_for_key=review_queries.label_for_key)


def _find_words(text: str, words: str):
    """(start, end) of `words` in `text`, ignoring case and runs of spaces; None when absent."""
    import re

    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    found = re.search(pattern, text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def _tag_exists(source, category):
    from sqlalchemy import select

    return select(Tag.id).where(Tag.source_kind == source.kind, Tag.source_id == source.id,
                                Tag.source_key == source.key, Tag.category == category).limit(1)


# --- Themes -----------------------------------------------------------------------------------------

def _date_arg(name: str, errors: dict, what: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw[:10]) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None or value.year < 2000 or value.year > 2100:
        errors[name] = f"Enter {what} as a real date, for example 2026-03-31"
        return None
    return value


def _theme_filters():
    errors: dict = {}
    today = utcnow().astimezone(LONDON).date()
    default_from = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    date_from = _date_arg("from", errors, "the start date") or default_from
    date_to = _date_arg("to", errors, "the end date") or today
    if date_to < date_from:
        errors["to"] = "The end date must be the same as or after the start date"
        date_from, date_to = default_from, today
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        errors["from"] = "Choose a range of three years or less"
        date_from, date_to = default_from, today
    placing = request.args.get("placing") or None
    if placing and placing != "ours":
        try:
            placing = str(uuid.UUID(placing))
        except ValueError:
            errors["placing"] = "Select a placing authority from the list"
            placing = None
    teams = theme_queries.teams(current_user.organisation_id)
    filters = theme_queries.Filters(
        date_from=date_from, date_to=date_to,
        team=_choice("team", teams), legal_status=_choice("legal_status", LEGAL_STATUSES),
        age_band=_choice("age_band", rules.AGE_BANDS), sex=_choice("sex", SEXES), placing=placing,
        code=_choice("code", review_queries.indicators()), period=_choice("period", ("week", "month"), "month"))
    return filters, errors, teams


def _theme_charts(result, filters):
    labels = [theme_queries.period_label(p, filters.period) for p in result.periods]
    span = f"{filters.date_from.day} {filters.date_from.strftime('%B %Y')} to {filters.date_to.day} {filters.date_to.strftime('%B %Y')}"
    each = "week" if filters.period == "week" else "month"
    trend = charts.Chart(
        title=f"RHIs showing each category, by {each}",
        description=f"Line chart of RHIs with a confirmed or suggested indicator of each category, each {each}, "
                    f"{span}. The same figures are in the table below the chart.",
        labels=labels,
        series=[charts.Series(c, [v[0] for v in result.by_category[c]]) for c in theme_queries.CATEGORIES])
    top = result.by_code[:10]
    codes = charts.Chart(
        title="The ten indicators found most often",
        description=f"Bar chart of the RHIs showing each of the ten most frequent indicators, confirmed and "
                    f"suggested, {span}. The same figures are in the table below the chart.",
        labels=[code for (code, _), _ in top],
        series=[charts.Series("Confirmed", [v[1] for _, v in top]),
                charts.Series("Suggested only", [v[0] - v[1] for _, v in top])])
    out = {"trend": charts.line_chart(trend, "chart-categories"), "codes": charts.bar_chart(codes, "chart-codes")}
    if result.code_trend is not None:
        out["code"] = charts.line_chart(charts.Chart(
            title=f"RHIs showing {filters.code}, by {each}",
            description=f"Line chart of RHIs showing the indicator {filters.code} each {each}, {span}, confirmed and "
                        "suggested only. The same figures are in the table below the chart.",
            labels=labels,
            series=[charts.Series("Confirmed", [v[1] for v in result.code_trend]),
                    charts.Series("Suggested only", [v[0] - v[1] for v in result.code_trend])]), "chart-code")
    return out


def _compliance_chart(rows):
    chart = charts.Chart(
        title="RHIs held within 72 hours, and declined, by month",
        description="Line chart of the percentage of RHIs due each month that were held within 72 hours of the child "
                    "being found, and the percentage declined. The same figures are in the table below the chart.",
        labels=[theme_queries.period_label(r.month, "month") for r in rows],
        series=[charts.Series("Held within 72 hours (%)", [round(100 * (r.in_time_rate or 0), 1) for r in rows]),
                charts.Series("Declined (%)", [round(100 * (r.decline_rate or 0), 1) for r in rows])])
    return charts.line_chart(chart, "chart-compliance")


@bp.route("/themes")
@allow(*COORDINATORS)
def themes():
    filters, errors, teams = _theme_filters()
    result = theme_queries.themes(current_user.organisation_id, filters)
    compliance = theme_queries.compliance(current_user.organisation_id, filters, utcnow())
    audit.record("themes_viewed")
    db.session.commit()
    return render_template(
        "review/themes.html", filters=filters, errors=errors, result=result, compliance=compliance,
        charts=_theme_charts(result, filters), compliance_chart=_compliance_chart(compliance), teams=teams,
        legal_statuses=LEGAL_STATUSES, sexes=SEXES, age_bands=rules.AGE_BANDS,
        authorities=placement_queries.placing_authorities(current_user.organisation_id),
        indicators=review_queries.indicators(), period_label=theme_queries.period_long_label,
        categories=theme_queries.CATEGORIES, category_labels=review_queries.CATEGORY_LABELS)


@bp.route("/themes.csv")
@allow(*COORDINATORS)
def themes_csv():
    filters, errors, _ = _theme_filters()
    if errors:
        abort(400)
    table = _choice("table", ("categories", "indicators", "compliance"), "categories")
    if table == "compliance":
        rows = [["month", "due", "held_within_72_hours", "held_late", "declined", "not_held",
                 "held_within_72_hours_percent", "declined_percent"]]
        for r in theme_queries.compliance(current_user.organisation_id, filters, utcnow()):
            rows.append([r.month.isoformat(), r.due, r.held_in_time, r.held_late, r.declined, r.not_held,
                         "" if r.in_time_rate is None else round(100 * r.in_time_rate, 1),
                         "" if r.decline_rate is None else round(100 * r.decline_rate, 1)])
    else:
        result = theme_queries.themes(current_user.organisation_id, filters)
        if table == "indicators":
            rows = [["indicator", "category", "rhis", "confirmed", "suggested_only"]]
            rows += [[code, category, v[0], v[1], v[0] - v[1]] for (code, category), v in result.by_code]
        else:
            rows = [["period_start", "category", "rhis", "confirmed", "suggested_only"]]
            for c in theme_queries.CATEGORIES:
                for start, (any_count, confirmed) in zip(result.periods, result.by_category[c]):
                    rows.append([start.isoformat(), c, any_count, confirmed, any_count - confirmed])
            rows.sort(key=lambda r: (r[0], r[1]) if r[0] != "period_start" else ("", ""))
    audit.record("themes_exported")
    db.session.commit()
    return _csv(rows, f"themes-{table}-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.csv")


# --- People and places ------------------------------------------------------------------------------

@bp.route("/people-and-places")
@allow(*COORDINATORS)
def people_and_places():
    label = _choice("label", entity_queries.LABEL_NAMES)
    search = (request.args.get("q") or "").strip()[:100]
    sort = _choice("sort", entity_queries.ENTITY_SORTS, "children")
    page = entity_queries.groups_page(current_user.organisation_id, label, search or None, sort, _page())
    args = {k: v for k, v in {"label": label, "q": search, "sort": sort}.items() if v}
    html = render_template("review/people_and_places.html", page=page, label=label, search=search, sort=sort, args=args,
                           labels=entity_queries.LABEL_NAMES, sorts=entity_queries.ENTITY_SORTS, display=entity_queries.display)
    audit.record("people_and_places_viewed", entity_groups=[g.id for g in page.items])
    db.session.commit()
    return html


@bp.route("/people-and-places/<uuid:group_id>")
@allow(*COORDINATORS)
def entity(group_id):
    group = _same_org_or_404(entity_queries.group_or_none(group_id))
    search = (request.args.get("q") or "").strip()[:100]
    children = entity_queries.children_of(group, _page())
    rhis = entity_queries.rhis_of(group)
    html = render_template("review/entity.html", group=group, children=children, rhis=rhis, search=search,
                           merges=entity_queries.merges_into(group),
                           candidates=entity_queries.merge_candidates(group, search) if search else [],
                           merge_form=MergeForm(), split_form=SplitForm(),
                           labels=entity_queries.LABEL_NAMES, display=entity_queries.display)
    audit.record("entity_viewed", entity_group=group.id, children=[row[0].id for row in children.items])
    db.session.commit()
    return html


@bp.route("/people-and-places/<uuid:group_id>/merge", methods=["POST"])
@allow(*COORDINATORS)
def merge(group_id):
    target = _same_org_or_404(entity_queries.group_or_none(group_id))
    form = MergeForm()
    try:
        other_id = uuid.UUID(form.other.data or "")
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    source = _same_org_or_404(entity_queries.group_or_none(other_id))
    if source.id == target.id or source.label != target.label:
        abort(400)
    name = entity_queries.display(source.label, source.normalized)
    source_id = source.id
    entity_groups.merge(source, target, current_user)
    audit.record("entities_merged", entity_group=target.id, merged_group=source_id)
    db.session.commit()
    flash(f"{name} is now counted with {entity_queries.display(target.label, target.normalized)}.", "success")
    return redirect(url_for("review.entity", group_id=target.id))


@bp.route("/people-and-places/merges/<uuid:merge_id>/split", methods=["POST"])
@allow(*COORDINATORS)
def split(merge_id):
    alias = _same_org_or_404(db.session.get(EntityMerge, merge_id))
    if not SplitForm().validate_on_submit():
        abort(400)
    target = entity_queries.group_or_none_by_form(alias.organisation_id, alias.label, alias.canonical)
    name = entity_queries.display(alias.label, alias.normalized)
    alias_id = alias.id
    separate = entity_groups.split(alias)
    audit.record("entities_split", entity_merge=alias_id, **({"entity_group": target.id} if target else {}))
    db.session.commit()
    flash(f"{name} is counted on its own again.", "success")
    if target is not None and db.session.get(type(target), target.id) is not None:
        return redirect(url_for("review.entity", group_id=target.id))
    return redirect(url_for("review.entity", group_id=separate.id) if separate else url_for("review.people_and_places"))


@bp.route("/peer-groups")
@allow(*COORDINATORS)
def peer_groups():
    page = entity_queries.peer_groups(current_user.organisation_id, _page())
    audit.record("peer_groups_viewed", children=[c.id for g in page.items for c in g.children])
    db.session.commit()
    return render_template("review/peer_groups.html", page=page, display=entity_queries.display,
                           labels=entity_queries.LABEL_NAMES, cap=entity_queries.PEER_GROUP_MAX_CHILDREN)


# --- Repeat missing ---------------------------------------------------------------------------------

@bp.route("/repeat-missing")
@allow(*COORDINATORS)
def repeat_missing():
    settings = get_settings()
    windows = settings["repeat_missing_windows"]
    raw = request.args.get("window", "")
    window = int(raw) if raw.isdigit() and int(raw) < len(windows) else None
    sort = _choice("sort", coordinator_queries.REPEAT_SORTS, "recent")
    now = utcnow()
    page = coordinator_queries.repeat_missing_page(current_user.organisation_id, now, windows, window, sort, _page())
    flags = coordinator_queries.repeat_flags_for([row[0].id for row in page.items], now, windows)
    args = {k: v for k, v in {"window": "" if window is None else str(window), "sort": sort}.items() if v}
    html = render_template("review/repeat_missing.html", page=page, flags=flags, windows=windows, window=window,
                           sort=sort, sorts=coordinator_queries.REPEAT_SORTS, args=args)
    audit.record("repeat_missing_viewed", children=[row[0].id for row in page.items])
    db.session.commit()
    return html


# --- The daily missing report -----------------------------------------------------------------------

def _report(all_rows: bool):
    settings = get_settings()
    now = utcnow()
    since = rules.daily_report_since(now.astimezone(LONDON), settings["daily_report_lookback_hours"],
                                     settings["daily_report_monday_lookback_hours"])
    query = coordinator_queries.daily_report_query(current_user.organisation_id, since)
    if all_rows:
        from ..queries.paging import Page

        episodes = list(db.session.execute(query).scalars())
        page = Page(episodes, 1, 1, len(episodes))
    else:
        from ..queries.paging import paginate

        page = paginate(query, _page(), per_page=50)
    rows = coordinator_queries.report_rows(page.items, now, settings["escalation_points"], settings["repeat_missing_windows"])
    hours = round((now.astimezone(LONDON) - since).total_seconds() / 3600)
    return page, rows, since, now, hours


@bp.route("/daily-report")
@allow(*COORDINATORS)
def daily_report():
    page, rows, since, now, hours = _report(all_rows=False)
    html = render_template("review/daily_report.html", page=page, rows=rows, since=since, now=now, hours=hours,
                           display=entity_queries.display)
    audit.record("daily_report_viewed", episodes=[r.episode.id for r in rows])
    db.session.commit()
    return html


@bp.route("/daily-report.pdf")
@allow(*COORDINATORS)
def daily_report_pdf():
    from ..pdf import pdf_response

    page, rows, since, now, hours = _report(all_rows=True)
    audit.record("daily_report_exported", episodes=[r.episode.id for r in rows])
    db.session.commit()
    return pdf_response("review/daily_report.html", f"daily-missing-report-{now.astimezone(LONDON).date().isoformat()}.pdf",
                        page=page, rows=rows, since=since, now=now, hours=hours, display=entity_queries.display)


@bp.route("/daily-report.csv")
@allow(*COORDINATORS)
def daily_report_csv():
    from ..web import format_datetime

    page, rows, since, now, hours = _report(all_rows=True)
    out = [["child", "date_of_birth", "legal_status", "police_risk_grade", "reported_missing", "missing_from",
            "found", "found_where", "places_named", "repeat_missing", "action"]]
    for r in rows:
        out.append([r.child.full_name, r.child.date_of_birth.isoformat(), r.child.legal_status_label,
                    r.episode.risk_grade_label, format_datetime(r.episode.reported_missing_at), r.episode.missing_from_label,
                    format_datetime(r.episode.found_at) if r.episode.found_at else "Still missing",
                    r.episode.found_where or "", "; ".join(entity_queries.display("LOCATION", p) for p in r.places),
                    "; ".join(f.label for f in r.flags), _action_text(r, now)])
    audit.record("daily_report_exported", episodes=[r.episode.id for r in rows])
    db.session.commit()
    return _csv(out, f"daily-missing-report-{now.astimezone(LONDON).date().isoformat()}.csv")


def _action_text(row, now) -> str:
    from ..web import format_datetime

    if row.escalation is not None:
        nxt = row.escalation["next"]
        return f"Next: {nxt.action} at {format_datetime(nxt.at)}" if nxt else "Every escalation point has passed: review with the head of service"
    if row.rhi is None:
        return "Found: no RHI yet"
    return f"RHI {row.rhi.status_label.lower()}, due {format_datetime(row.rhi.due_at)}"


# --- A child's timeline -----------------------------------------------------------------------------

@bp.route("/children/<uuid:child_id>/timeline")
@allow(*COORDINATORS)
def timeline(child_id):
    child = coordinator_queries.child_or_none(child_id)
    if not child_queries.can_see_child(current_user, child):
        abort(404)
    now = utcnow()
    settings = get_settings()
    entries = coordinator_queries.child_timeline(child, now)
    flags = coordinator_queries.repeat_flags_for([child.id], now, settings["repeat_missing_windows"]).get(child.id, [])
    missing_now = [e.episode for e in entries if e.episode.found_at is None]
    escalation = coordinator_queries.escalation(missing_now[0], now, settings["escalation_points"]) if missing_now else None
    audit.record("child_timeline_viewed", child=child.id)
    db.session.commit()
    categories = sorted({c for e in entries for c in e.categories})
    return render_template("review/timeline.html", child=child, entries=entries, flags=flags, escalation=escalation,
                           categories=categories, profile_groups=coordinator_queries.profile_groups(child),
                           category_labels=review_queries.CATEGORY_LABELS, display=entity_queries.display,
                           labels=entity_queries.LABEL_NAMES, age=rules.age_on(child.date_of_birth, now.date()))


@bp.app_template_global("repeat_missing_flags")
def repeat_missing_flags_for_template(child) -> list:
    """For the include on the child's page (records/child.html), which another view renders."""
    windows = get_settings()["repeat_missing_windows"]
    return coordinator_queries.repeat_flags_for([child.id], utcnow(), windows).get(child.id, [])
