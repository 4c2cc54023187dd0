"""flask commands: demo-data, create-user, audit verify."""
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


@click.command("demo-data")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load when there are no users yet (for make run).")
def demo_data(if_empty: bool):
    """Load fictional organisations, one user per role, children and episodes."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("demo data is refused when RHI_ENV=production")
    if if_empty and db.session.execute(select(func.count(User.id))).scalar_one():
        click.echo("Demo data already loaded.")
        return
    from .demo import load

    result = load()
    click.echo(f"Demo data loaded: {result['users']} users, {result['children']} new children.")


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
