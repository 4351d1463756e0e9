"""Long lists shown a page at a time (centres, schools, staff, a centre's learners, the dashboard), and the
search box above them. The pager the pages show is templates/_macros/pager.html."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from civiclearn.extensions import db

PAGE_SIZE = 25


@dataclass
class Page:
    """One page of a list, and what the pager needs."""

    items: list
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def paginate(query, number: int, size: int = PAGE_SIZE) -> Page:
    """Page `number` (1-based, clamped) of `query`, and how many rows the whole query has."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(number, 1), max(1, -(-total // size)))
    items = db.session.execute(query.limit(size).offset((number - 1) * size)).all()
    return Page(items, number, total, size)


def matching(query, search: str, *columns):
    """`query` narrowed to rows where any of `columns` contains `search` (any case; % and _ match themselves)."""
    search = " ".join(search.split())
    if not search:
        return query
    return query.where(or_(*(column.icontains(search, autoescape=True) for column in columns)))
