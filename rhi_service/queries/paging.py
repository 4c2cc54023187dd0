from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from ..extensions import db

PAGE_SIZE = 25


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, page: int, per_page: int = PAGE_SIZE) -> Page:
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars())
    return Page(items=items, page=page, pages=pages, total=total)
