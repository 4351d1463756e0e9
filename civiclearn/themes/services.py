"""Comment themes, the rules: where comments come from (SOURCES: module feedback, civic action notes), asking for
a run (never twice at once), and the run itself, a background job (civiclearn.jobs) that reads only what the staff
member who asked may read.

Functions flush and never commit, except `run`, which is a job and commits its own work.
"""

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, select, true, update

from civiclearn import access, jobs
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.themes.comment import MIN_THEME_SIZE, TYPICAL, Comment
from civiclearn.themes.models import ThemeRun

WAITING = ("queued", "running")


@dataclass(frozen=True)
class Said:
    """A comment as the page shows it: its text, what it is about (a module id, or a channel), when it was written.
    Never who wrote it."""

    id: int
    text: str
    about: Hashable
    written: datetime


def _in_places(person_id, filters: dict) -> ColumnElement:
    """SQL: `person_id` is a learner of the centre and/or district of `filters` (true when they name neither)."""
    if not (filters.get("centre") or filters.get("district")):
        return true()
    learners = select(Enrolment.person_id).join(Cohort).join(Centre)
    if filters.get("centre"):
        learners = learners.where(Centre.id == filters["centre"])
    if filters.get("district"):
        learners = learners.where(Centre.district == filters["district"])
    return person_id.in_(learners)


def _recent(written, filters: dict) -> ColumnElement:
    """SQL: `written` falls in the last `filters["months"]` months (true when no period is chosen)."""
    return written >= utcnow() - timedelta(days=31 * filters["months"]) if filters.get("months") else true()


def feedback_comments(viewer: User, filters: dict) -> Select:
    """Module feedback comments `viewer` may read (id, text, module id, written), narrowed by `filters`: "modules"
    (ids), "centre" (id), "district", "months" (the last so many)."""
    query = select(ModuleFeedback.id, ModuleFeedback.comment, ModuleFeedback.module_id, ModuleFeedback.updated_at) \
        .where(ModuleFeedback.comment != "", access.feedback_in_reach(viewer),
               _in_places(ModuleFeedback.person_id, filters), _recent(ModuleFeedback.updated_at, filters))
    if filters.get("modules"):
        query = query.where(ModuleFeedback.module_id.in_(filters["modules"]))
    return query


def action_notes(viewer: User, filters: dict) -> Select:
    """The notes learners wrote on their civic actions that `viewer` may read (id, text, channel, written), narrowed
    as `feedback_comments` (a module filter keeps the actions logged from those modules' pages)."""
    query = select(CivicAction.id, CivicAction.note, CivicAction.channel, CivicAction.updated_at) \
        .where(CivicAction.note != "", access.civic_actions_in_reach(viewer),
               _in_places(CivicAction.person_id, filters), _recent(CivicAction.updated_at, filters))
    if filters.get("modules"):
        query = query.where(CivicAction.module_id.in_(filters["modules"]))
    return query


# Where comments come from: a source is the SQL of the comments a viewer may read, narrowed by filters, as rows of
# (id, text, about, written). Everything else (the job, the page, deletion) is the same for each.
SOURCES: dict[str, Callable[[User, dict], Select]] = {"feedback": feedback_comments, "actions": action_notes}


def comments(viewer: User, source: str, filters: dict) -> list[Comment]:
    """The comments of `source` that `viewer` may read now, narrowed by `filters`, oldest first."""
    query = SOURCES[source](viewer, filters)
    rows = db.session.execute(query.order_by(query.selected_columns[0]))
    return [Comment(row_id, said, about, f"{written:%Y-%m}") for row_id, said, about, written in rows]


def latest(viewer: User, source: str, filters: dict) -> ThemeRun | None:
    """The viewer's newest run of this source with these filters."""
    runs = db.session.scalars(select(ThemeRun).where(ThemeRun.requester_id == viewer.id, ThemeRun.source == source)
                              .order_by(ThemeRun.id.desc()))
    return next((found for found in runs if found.filters == filters), None)


def request_run(viewer: User, source: str, filters: dict, language: str) -> tuple[ThemeRun, bool]:
    """A new run, or the one already waiting or running for the same viewer, source and filters (pressing
    "Run again" twice starts one run). Returns the run and whether it is new. Flushes."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    newest = latest(viewer, source, filters)
    if newest is not None and newest.status in WAITING:
        return newest, False
    found = ThemeRun(requester_id=viewer.id, source=source, filters=filters, language=language, status="queued",
                     created_at=utcnow(), themes=[])
    db.session.add(found)
    db.session.flush()
    return found, True


def start(theme_run: ThemeRun) -> None:
    """Hand the run to a background job; commit it first (the job reads it in its own transaction)."""
    jobs.enqueue("civiclearn.themes.services.run", theme_run.id, job_id=f"theme-run-{theme_run.id}")


def claim(run_id: int) -> bool:
    """Take a queued run: one conditional UPDATE, so a job enqueued twice runs once."""
    claimed = db.session.execute(
        update(ThemeRun).where(ThemeRun.id == run_id, ThemeRun.status == "queued")
        .values(status="running", started_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def run(run_id: int) -> None:
    """The job: read the comments the requester may read now, find their themes, keep them (or the error)."""
    from civiclearn.themes.analysis import find_themes  # scikit-learn and PyThaiNLP: in the job, not in web workers
    if not claim(run_id):
        return
    theme_run = db.session.get(ThemeRun, run_id, populate_existing=True)  # as the UPDATE left it
    try:
        viewer = db.session.get(User, theme_run.requester_id)
        found = comments(viewer, theme_run.source, theme_run.filters)
        themes = find_themes(found, theme_run.language)
    except Exception as error:  # kept on the run, for the page to say it failed
        db.session.rollback()
        theme_run = db.session.get(ThemeRun, run_id)
        theme_run.status, theme_run.error, theme_run.finished_at = "failed", repr(error)[:2000], utcnow()
        db.session.commit()
        raise
    theme_run.comment_count, theme_run.themes = len(found), [theme.as_dict() for theme in themes]
    theme_run.status, theme_run.finished_at = "done", utcnow()
    db.session.commit()


def readable_comments(viewer: User, theme_run: ThemeRun) -> dict[int, Said]:
    """The run's comments that `viewer` may still read, by id (a comment deleted, emptied or out of reach since is
    not shown)."""
    ids = [number for theme in theme_run.themes for number in theme["comment_ids"]]
    query = SOURCES[theme_run.source](viewer, {})
    rows = db.session.execute(query.where(query.selected_columns[0].in_(ids)))
    return {row_id: Said(row_id, said, about, written) for row_id, said, about, written in rows}


@dataclass
class ShownTheme:
    """A theme as the page shows it: only comments the viewer may still read, never who wrote them."""

    words: list[str]
    comments: list[Said]  # the most typical first
    about: dict[Hashable, int]  # module id or channel -> comments, the most first
    months: dict[str, int]  # YYYY-MM -> comments, in order

    @property
    def typical(self) -> list[Said]:
        return self.comments[:TYPICAL]


def shown_themes(viewer: User, theme_run: ThemeRun) -> list[ShownTheme]:
    """The run's themes over the comments `viewer` may read now (a learner who deleted their data took their
    comment away); counted again from those, and a theme left with fewer than MIN_THEME_SIZE is not shown."""
    readable = readable_comments(viewer, theme_run)
    shown = []
    for theme in theme_run.themes:
        said = [readable[number] for number in theme["comment_ids"] if number in readable]
        if len(said) < MIN_THEME_SIZE:
            continue
        shown.append(ShownTheme(
            theme["words"], said, dict(Counter(row.about for row in said).most_common()),
            dict(sorted(Counter(f"{row.written:%Y-%m}" for row in said).items()))))
    return shown


def forget_requester(person: User) -> None:
    """A deleted person's own runs go with them (their filters say what they looked at). Flushes."""
    db.session.execute(delete(ThemeRun).where(ThemeRun.requester_id == person.id))
