"""flask commands: demo-data, create-user, audit verify, retag, recount."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from . import audit
from .extensions import db
from .models.organisations import LOCAL_AUTHORITY, ROLE_ORGANISATION_KIND, ROLES, Organisation, User
from .passwords import hash_password, strength_problem


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(create_user)
    app.cli.add_command(audit_group)
    app.cli.add_command(rotate_keys)
    app.cli.add_command(backup)
    app.cli.add_command(retention)
    app.cli.add_command(retag)
    app.cli.add_command(recount)


@click.command("demo-data")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load when there are no users yet (for make run).")
@click.option("--scale", type=click.Choice(["small", "large", "tenth"]), default="small", show_default=True,
              help="large: 20,000 children, 60,000 episodes, 50,000 RHIs over three years, for benchmarks; "
                   "tenth: a tenth of that over the same years.")
def demo_data(if_empty: bool, scale: str):
    """Load fictional organisations, one user per role, children and episodes."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("demo data is refused when RHI_ENV=production")
    if if_empty and db.session.execute(select(func.count(User.id))).scalar_one():
        click.echo("Demo data already loaded.")
        return
    from .demo import load

    result = load()
    click.echo(f"Demo data loaded: {result['users']} users, {result['children']} new children.")
    if scale != "small":
        from .demo_large import load as load_large

        click.echo(f"Adding the {scale} caseload:")
        counts = load_large(scale, echo=click.echo)
        audit.record("demo_data_loaded", actor=None)
        db.session.commit()
        click.echo(f"Loaded {counts['children']} children, {counts['episodes']} episodes, {counts['rhis']} RHIs.")


@click.command("create-user")
@with_appcontext
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--role", required=True, type=click.Choice(sorted(ROLES)))
@click.option("--organisation", "organisation_name", required=True, help="The organisation's name, exactly.")
@click.option("--create-organisation", is_flag=True, help="Create the organisation if it does not exist yet.")
@click.password_option()
def create_user(username: str, full_name: str, role: str, organisation_name: str, create_organisation: bool, password: str):
    """Create a real account (the first administrator, say)."""
    organisation = db.session.execute(select(Organisation).where(Organisation.name == organisation_name)).scalar_one_or_none()
    if organisation is None and not create_organisation:
        raise click.ClickException(f"No organisation named '{organisation_name}' (add --create-organisation to create it)")
    if organisation is None:
        kind = ROLE_ORGANISATION_KIND[role]
        has_home = db.session.execute(select(Organisation.id).where(Organisation.is_home.is_(True))).first() is not None
        # The first local authority created this way is ours: the one whose children the service holds.
        organisation = Organisation(name=organisation_name, kind=kind, is_home=kind == LOCAL_AUTHORITY and not has_home)
        db.session.add(organisation)
        audit.record("organisation_created", actor=None, organisation=organisation.id)
    username = username.strip().lower()
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise click.ClickException(f"The username '{username}' is already used")
    problem = strength_problem(password, [username, full_name])
    if problem:
        raise click.ClickException(problem)
    user = User(username=username, full_name=full_name, role=role, organisation_id=organisation.id,
                password_hash=hash_password(password))
    db.session.add(user)
    audit.record("account_created", actor=None, user=user.id, organisation=organisation.id)
    db.session.commit()
    click.echo(f"Created {role} account '{username}'.")


@click.group("audit")
def audit_group():
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify():
    """Check the audit log's hash chain."""
    ok, count, message = audit.verify()
    click.echo(message)
    if not ok:
        raise SystemExit(1)


@click.command("rotate-keys")
@with_appcontext
def rotate_keys():
    """Re-encrypt every encrypted value with the first key in RHI_ENCRYPTION_KEY.

    Put the new key first and keep the old ones after it while this runs; then remove the old ones.
    """
    from .maintenance import rotate_encryption

    def progress(table, column, count):
        click.echo(f"  {table}.{column}: {count} re-encrypted")

    total = rotate_encryption(progress=progress)
    audit.record("encryption_keys_rotated", actor=None)
    db.session.commit()
    click.echo(f"Re-encrypted {total} values with the newest key.")


@click.command("backup")
@click.argument("target")
@with_appcontext
def backup(target: str):
    """Copy the SQLite database to TARGET (PostgreSQL: use pg_dump, see the README)."""
    from .maintenance import backup_sqlite

    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException("backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)")
    path = backup_sqlite(engine.url.database, target)
    click.echo(f"Backed up to {path}")


@click.command("retention")
@click.option("--delete", "do_delete", is_flag=True, help="Delete the records listed, after confirming.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scheduled runs).")
@with_appcontext
def retention(do_delete: bool, yes: bool):
    """List, and on confirmation delete, children's records past the retention period."""
    from . import retention as retention_rules
    from .models.base import utcnow
    from .settings import get as get_settings

    settings = get_settings()
    children = retention_rules.past_retention(utcnow().date(), settings["retention_until_age"], settings["retention_extra_years"])
    if not children:
        click.echo("No records are past the retention period.")
        return
    click.echo(f"{len(children)} child record(s) past the retention period "
               f"(age {settings['retention_until_age']} plus {settings['retention_extra_years']} years):")
    for child in children:
        rows = sum(len(keys) for keys in retention_rules.collect(child.id).values())
        click.echo(f"  {child.id}  born {child.date_of_birth.isoformat()}  {rows} rows")
    if not do_delete:
        click.echo("Nothing deleted. Run again with --delete to delete them.")
        return
    if not yes and not click.confirm(f"Delete these {len(children)} records and everything linked to them?"):
        click.echo("Nothing deleted.")
        return
    for child in children:
        child_id = child.id
        counts = retention_rules.delete_child(child_id)
        audit.record("child_deleted_retention", actor=None, child=child_id)
        db.session.commit()
        click.echo(f"  deleted {child_id}: {sum(counts.values())} rows")


@click.command("retag")
@click.option("--batch-size", default=50, show_default=True, help="Interviews tagged per transaction.")
@with_appcontext
def retag(batch_size: int):
    """Tag every stored interview's free-text answers again (after a lexicon change).

    Machine tags are replaced; coordinators' decisions are kept (they are keyed by what was found)."""
    from .analysis_store import retag_rhi
    from .database import lock_all_counts
    from .models.interviews import ReturnInterview

    ids = db.session.execute(select(ReturnInterview.id).order_by(ReturnInterview.id)).scalars().all()
    done = texts = 0
    with click.progressbar(length=len(ids), label="Re-tagging interviews") as bar:
        for at in range(0, len(ids), batch_size):
            batch = ids[at:at + batch_size]
            # many RHIs in one transaction: hold their organisations' counts whole, not piece by piece
            for organisation_id in sorted(db.session.execute(select(ReturnInterview.organisation_id).distinct().where(
                    ReturnInterview.id.in_(batch))).scalars(), key=str):
                lock_all_counts(db.session, organisation_id)
            for rhi in db.session.execute(select(ReturnInterview).where(ReturnInterview.id.in_(batch))).scalars():
                texts += retag_rhi(rhi)
                done += 1
            db.session.commit()
            # keep memory flat over a large database
            db.session.expire_all()
            bar.update(len(batch))
    audit.record("analysis_retagged")
    db.session.commit()
    click.echo(f"Re-tagged {texts} answers in {done} interviews.")


@click.command("recount")
@with_appcontext
def recount():
    """Work out the coordinator's kept counts again from the stored rows: people and places, peer
    links and groups, themes, 72-hour figures, review queue totals, children's latest missing reports. Run once after upgrading to a release that adds such counts; the
    writes keep them up to date from then on."""
    from . import compliance_counts, entity_groups, repeat_marks, theme_counts
    from .models.organisations import Organisation

    groups = entity_groups.rebuild()
    marks = rhis = 0
    for organisation_id in db.session.execute(select(Organisation.id)).scalars():
        marks += theme_counts.rebuild(organisation_id)
        rhis += compliance_counts.rebuild(db.session, organisation_id)
        repeat_marks.rebuild(db.session, organisation_id)
    audit.record("coordinator_counts_rebuilt", actor=None)
    db.session.commit()
    click.echo(f"Counted {groups} people and places, {marks} themes marks and {rhis} RHIs' 72-hour figures.")
