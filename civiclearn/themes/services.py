"""Comment themes, the rules: where comments come from (SOURCES), asking for a run (never twice at once), and
the run itself, a background job (civiclearn.jobs) that reads only what the staff member who asked may read.

Functions flush and never commit, except `run`, which is a job and commits its own work.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update

from civiclearn import access, jobs
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.themes.analysis import MIN_THEME_SIZE, TYPICAL, Comment, find_themes
from civiclearn.themes.models import ThemeRun

WAITING = ("queued", "running")


def feedback_comments(viewer: User, filters: dict) -> list[Comment]:
    """Module feedback comments `viewer` may read, narrowed by `filters`: "modules" (ids), "centre" (id),
    "district", "months" (the last so many)."""
    query = select(ModuleFeedback.id, ModuleFeedback.comment, ModuleFeedback.module_id, ModuleFeedback.updated_at) \
        .where(ModuleFeedback.comment != "", access.feedback_in_reach(viewer))
    if filters.get("modules"):
        query = query.where(ModuleFeedback.module_id.in_(filters["modules"]))
    if filters.get("centre") or filters.get("district"):
        learners = select(Enrolment.person_id).join(Cohort).join(Centre)
        if filters.get("centre"):
            learners = learners.where(Centre.id == filters["centre"])
        if filters.get("district"):
            learners = learners.where(Centre.district == filters["district"])
        query = query.where(ModuleFeedback.person_id.in_(learners))
    if filters.get("months"):
        query = query.where(ModuleFeedback.updated_at >= utcnow() - timedelta(days=31 * filters["months"]))
    return [Comment(row_id, text, module_id, f"{written:%Y-%m}")
            for row_id, text, module_id, written in db.session.execute(query.order_by(ModuleFeedback.id))]


# Where comments come from: a source reads the comments a viewer may read, as Comment rows. Civic action notes
# join with one function of the same shape.
SOURCES: dict[str, Callable[[User, dict], list[Comment]]] = {"feedback": feedback_comments}


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
    if not claim(run_id):
        return
    theme_run = db.session.get(ThemeRun, run_id, populate_existing=True)  # as the UPDATE left it
    try:
        viewer = db.session.get(User, theme_run.requester_id)
        comments = SOURCES[theme_run.source](viewer, theme_run.filters)
        themes = find_themes(comments, theme_run.language)
    except Exception as error:  # kept on the run, for the page to say it failed
        db.session.rollback()
        theme_run = db.session.get(ThemeRun, run_id)
        theme_run.status, theme_run.error, theme_run.finished_at = "failed", repr(error)[:2000], utcnow()
        db.session.commit()
        raise
    theme_run.comment_count, theme_run.themes = len(comments), [theme.as_dict() for theme in themes]
    theme_run.status, theme_run.finished_at = "done", utcnow()
    db.session.commit()


def readable_comments(viewer: User, theme_run: ThemeRun) -> dict[int, ModuleFeedback]:
    """The run's comments that `viewer` may still read, by id (a comment deleted or out of reach since is not
    shown). Only module feedback for now: each source will need its own."""
    ids = [number for theme in theme_run.themes for number in theme["comment_ids"]]
    rows = db.session.scalars(select(ModuleFeedback).where(ModuleFeedback.id.in_(ids), ModuleFeedback.comment != "",
                                                           access.feedback_in_reach(viewer)))
    return {row.id: row for row in rows}


@dataclass
class ShownTheme:
    """A theme as the page shows it: only comments the viewer may still read, never who wrote them."""

    words: list[str]
    comments: list[ModuleFeedback]  # the most typical first
    modules: dict[int, int]  # module id -> comments, the most first
    months: dict[str, int]  # YYYY-MM -> comments, in order

    @property
    def typical(self) -> list[ModuleFeedback]:
        return self.comments[:TYPICAL]


def shown_themes(viewer: User, theme_run: ThemeRun) -> list[ShownTheme]:
    """The run's themes over the comments `viewer` may read now (a learner who deleted their data took their
    comment away); counted again from those, and a theme left with fewer than MIN_THEME_SIZE is not shown."""
    readable = readable_comments(viewer, theme_run)
    shown = []
    for theme in theme_run.themes:
        comments = [readable[number] for number in theme["comment_ids"] if number in readable]
        if len(comments) < MIN_THEME_SIZE:
            continue
        shown.append(ShownTheme(
            theme["words"], comments, dict(Counter(row.module_id for row in comments).most_common()),
            dict(sorted(Counter(f"{row.updated_at:%Y-%m}" for row in comments).items()))))
    return shown


def forget_requester(person: User) -> None:
    """A deleted person's own runs go with them (their filters say what they looked at). Flushes."""
    db.session.execute(delete(ThemeRun).where(ThemeRun.requester_id == person.id))
