"""The programme overview of an admin's scope: the four measures by province, district, centre or month,
who the learners are (age band, gender), beside them the school students by school and class, and the civic
actions the learners logged. What each measure counts is in `civiclearn.overview.measures`.

An admin of a province sees its centres and schools only, of a district that district's: every query is limited
by `access.admin_areas`. A place, school or class with nothing to count yet still has its row (of zeros).
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from babel.dates import format_date, get_month_names
from sqlalchemy import ColumnElement, select

from civiclearn import access
from civiclearn.accounts.models import GENDERS, User
from civiclearn.centres.models import Centre
from civiclearn.civic.models import CHANNELS, KINDS
from civiclearn.extensions import db
from civiclearn.i18n import BUDDHIST_ERA_OFFSET
from civiclearn.overview import measures
from civiclearn.overview.measures import AGE_BANDS, Counts, Grouping
from civiclearn.schools.models import School, SchoolClass

GROUPINGS = ("province", "district", "centre", "month")
DEFAULT_GROUPING = "district"
PLACE_COLUMNS = {"province": (Centre.province,), "district": (Centre.province, Centre.district),
                 "centre": (Centre.id,)}


@dataclass(frozen=True)
class Row:
    """One row of the table: what it is of (a place's province, district and centre name, or a month
    "YYYY-MM"), then the four measures."""

    cells: tuple[str, ...]
    learners: int
    active: int
    modules: int
    certificates: int

    def values(self) -> list[int]:
        return [self.learners, self.active, self.modules, self.certificates]


@dataclass(frozen=True)
class Reach:
    """The learners in scope, each once, by age band and by gender (None: not recorded)."""

    ages: list[tuple[str | None, int]]
    genders: list[tuple[str | None, int]]


@dataclass(frozen=True)
class SchoolRow:
    """One row of the school students' table: a school with its students each once (`school_class` None), or
    one of its classes (its name and academic year, Buddhist Era) with its students."""

    province: str
    district: str
    school: str
    school_class: str | None
    year: int | None
    students: int


def in_scope(user: User) -> ColumnElement:
    """SQL on Centre: the centres inside the admin's scopes."""
    return access.admin_areas(user, Centre.province, Centre.district)


def schools_in_scope(user: User) -> ColumnElement:
    """SQL on School: the schools inside the admin's scopes."""
    return access.admin_areas(user, School.province, School.district)


def _row(cells: tuple[str, ...], key: tuple, counted: Counts) -> Row:
    return Row(cells, *(getattr(counted, measure)[key] for measure in measures.MEASURES))


def totals(user: User) -> Row:
    """Everything in scope: learners, active in the last 30 days, modules completed, certificates issued."""
    return _row((), (), measures.counts(Grouping(in_scope(user))))


def _places(user: User, by: str, language: str) -> dict[tuple, tuple[str, ...]]:
    """Every place of the scope at the level `by`, in order: its key and the cells that name it."""
    centres = db.session.execute(
        select(Centre.id, Centre.province, Centre.district, Centre.name_th, Centre.name_en)
        .where(measures.counted_centres(in_scope(user)))
        .order_by(Centre.province, Centre.district, Centre.name_th, Centre.id))
    places = {}
    for centre_id, province, district, name_th, name_en in centres:
        if by == "province":
            places.setdefault((province,), (province,))
        elif by == "district":
            places.setdefault((province, district), (province, district))
        else:
            places[(centre_id,)] = (province, district, name_en if language == "en" else name_th)
    return places


def table(user: User, by: str, language: str) -> list[Row]:
    """The four measures by province, district or centre (every place in scope, all time; active: in the
    last 30 days), or by month (the months with something to count, oldest first; active: in that month)."""
    if by == "month":
        counted = measures.counts(Grouping(in_scope(user), by_month=True))
        return [_row(key, key, counted) for key in sorted(counted.keys())]
    counted = measures.counts(Grouping(in_scope(user), PLACE_COLUMNS[by]))
    return [_row(cells, key, counted) for key, cells in _places(user, by, language).items()]


def reach(user: User) -> Reach:
    """Who the learners in scope are: by age band (under 18, 18-39, 40-59, 60+) and by gender."""
    counted = measures.reach(in_scope(user))
    ages, genders = Counter(), Counter()
    for (band, gender), number in counted.items():
        ages[band] += number
        genders[gender] += number
    return Reach([(band, ages[band]) for band in (*AGE_BANDS, None)],
                 [(gender, genders[gender]) for gender in (*GENDERS, None)])


def school_table(user: User, language: str) -> list[SchoolRow]:
    """Every school of the scope with its students, then each of its classes (newest year first) with its
    students: three queries, however many schools, classes or students."""
    where = schools_in_scope(user)
    by_school, by_class = measures.students_by_school(where), measures.students_by_class(where)
    classes = db.session.execute(
        select(School.id, School.province, School.district, School.name_th, School.name_en, SchoolClass.id,
               SchoolClass.name, SchoolClass.year)
        .outerjoin(SchoolClass, SchoolClass.school_id == School.id).where(measures.counted_schools(where))
        .order_by(School.province, School.district, School.name_th, School.id, SchoolClass.year.desc(),
                  SchoolClass.name, SchoolClass.id))
    rows, school_seen = [], None
    for school_id, province, district, name_th, name_en, class_id, class_name, year in classes:
        name = name_en if language == "en" else name_th
        if school_id != school_seen:
            rows.append(SchoolRow(province, district, name, None, None, by_school[school_id]))
            school_seen = school_id
        if class_id is not None:
            rows.append(SchoolRow(province, district, name, class_name, year, by_class[class_id]))
    return rows


def school_students(user: User) -> int:
    """The students of the scope's schools, each once."""
    return measures.school_students(schools_in_scope(user))


def people_reached(user: User) -> int:
    """Everyone the scope reached, each person once: its centres' learners and its schools' students."""
    return measures.people_reached(in_scope(user), schools_in_scope(user))


def month_label(month: str, language: str) -> str:
    """A month "YYYY-MM" as its readers write it: ม.ค. 2569 in Thai (Buddhist Era), Jan 2026 in English."""
    year, number = (int(part) for part in month.split("-"))
    if language == "th":
        return f"{get_month_names('abbreviated', locale='th')[number]} {year + BUDDHIST_ERA_OFFSET}"
    return format_date(date(year, number, 1), "MMM y", locale=language)


# -- Civic actions -----------------------------------------------------------------------------------------

ACTION_GROUPINGS = ("kind", "channel", "district", "month")


@dataclass(frozen=True)
class ActionRow:
    """Civic actions of one kind, channel, district (its province, district) or month ("YYYY-MM"): how many, how
    many were logged at least 30 days ago (`due`: the learner has been asked what happened), and how many of those
    the learner said were fixed or answered."""

    cells: tuple[str, ...]
    actions: int
    due: int
    fixed: int

    @property
    def share_fixed(self) -> float | None:
        """Of the actions due, the share fixed or answered (None when none is due)."""
        return self.fixed / self.due if self.due else None


def _action_rows(counted: Counter, key_of) -> dict[tuple, ActionRow]:
    """Sum the counts of `measures.civic_actions` into rows keyed by `key_of(key)`."""
    sums: dict[tuple, Counter] = {}
    for key, count in counted.items():
        sums.setdefault(key_of(key), Counter())[key[-1]] += count
    return {key: ActionRow(key, sum(states.values()), states["fixed"] + states["open"], states["fixed"])
            for key, states in sums.items()}


def action_tables(user: User) -> dict[str, list[ActionRow]]:
    """The civic actions of the scope's centres by kind, channel, district and month (each action once in a table,
    but in two districts for a learner enrolled in both), and their total (key "all", one row): two queries.
    Every kind and channel has its row; districts and months those with an action."""
    counted = measures.civic_actions(in_scope(user))
    by_place = measures.civic_actions(in_scope(user), PLACE_COLUMNS["district"])
    kinds, channels = _action_rows(counted, lambda key: (key[1],)), _action_rows(counted, lambda key: (key[2],))
    empty = ActionRow((), 0, 0, 0)
    return {
        "all": list(_action_rows(counted, lambda key: ()).values()) or [empty],
        "kind": [kinds.get((kind,), replace(empty, cells=(kind,))) for kind in KINDS],
        "channel": [channels.get((channel,), replace(empty, cells=(channel,))) for channel in CHANNELS],
        "district": sorted(_action_rows(by_place, lambda key: key[:2]).values(), key=lambda row: row.cells),
        "month": sorted(_action_rows(counted, lambda key: (key[0],)).values(), key=lambda row: row.cells),
    }
