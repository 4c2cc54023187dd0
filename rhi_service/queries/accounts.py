from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models.organisations import Organisation, User
from .paging import Page, paginate


def organisations() -> list[Organisation]:
    return list(db.session.execute(select(Organisation).order_by(Organisation.is_home.desc(), Organisation.name)).scalars())


def home_organisation() -> Organisation | None:
    return db.session.execute(select(Organisation).where(Organisation.is_home.is_(True))).scalar_one_or_none()


def users_page(role: str | None, page: int) -> Page:
    query = select(User).join(User.organisation).order_by(User.active.desc(), User.full_name)
    if role:
        query = query.where(User.role == role)
    return paginate(query, page)


def username_taken(username: str) -> bool:
    return db.session.execute(select(User.id).where(User.username == username)).first() is not None
