"""Reports for staff: a centre's dashboard and its exports, what each quiz shows to re-teach, the raw activity
export, a learner's page (progress, timeline, notes), and a class's report against its assignments."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civiclearn import access, loaders
from civiclearn.centres.models import Cohort, Enrolment
from civiclearn.civic import services as civic
from civiclearn.courses.store import catalogue
from civiclearn.downloads import personal_file
from civiclearn.exports import table_response
from civiclearn.extensions import db
from civiclearn.forms import query_id
from civiclearn.learning.forms import choice_label
from civiclearn.learning.services import course_status, group_course
from civiclearn.paging import Page
from civiclearn.pdf import render_pdf
from civiclearn.reports import activity, classes, dashboard, notes
from civiclearn.reports.forms import NoteForm
from civiclearn.reports.tables import activity_table, class_table, dashboard_table, quiz_table
from civiclearn.reports.words import state_words, status_words, with_help

bp = Blueprint("reports", __name__)
bp.before_request(access.require_staff)

ROWS_PER_PAGE = 100


def chosen_course(centre, cohort_id: int | None):
    """The course asked for, else the one the cohort (or the centre) is studying; 404 when none is served."""
    course = group_course(catalogue(), request.args.get("course", ""), dashboard.learner_ids(centre, cohort_id))
    if course is None:
        abort(404)
    return course


def chosen_cohort(centre) -> int | None:
    cohort_id = query_id("cohort")
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    return cohort.id if cohort is not None and cohort.centre_id == centre.id else None


def chosen_filter() -> str:
    shown = request.args.get("show", "all")
    return shown if shown in dashboard.FILTERS else "all"


@bp.get("/centres/<int:centre_id>/dashboard")
def centre_dashboard(centre_id: int):
    """The cohort as a learners x modules grid, with filters; one page of rows at a time."""
    centre = loaders.find_centre(centre_id)
    cohort_id, shown = chosen_cohort(centre), chosen_filter()
    course = chosen_course(centre, cohort_id)
    grid = dashboard.grid(centre, course, cohort_id)
    rows = grid.shown(shown)
    number = min(query_id("page") or 1, max(1, -(-len(rows) // ROWS_PER_PAGE)))
    page = Page(rows[(number - 1) * ROWS_PER_PAGE:number * ROWS_PER_PAGE], number, len(rows), ROWS_PER_PAGE)
    dashboard.fill_cells(page.items, course.modules)
    return render_template("reports/dashboard.html", centre=centre, grid=grid, page=page, shown=shown,
                           cohort_id=cohort_id, courses=catalogue().courses, counts=grid.counts(),
                           state_words=state_words(), fails_for_help=dashboard.FAILS_FOR_HELP,
                           args={"centre_id": centre.id, "course": course.key, "cohort": cohort_id, "show": shown})


@bp.get("/centres/<int:centre_id>/dashboard.<file_format>")
def export_dashboard(centre_id: int, file_format: str):
    """The dashboard's rows (with the same filters) as CSV or XLSX, for the district's report."""
    centre = loaders.find_centre(centre_id)
    cohort_id, shown = chosen_cohort(centre), chosen_filter()
    course = chosen_course(centre, cohort_id)
    grid = dashboard.grid(centre, course, cohort_id)
    shown_rows = grid.shown(shown)
    dashboard.fill_cells(shown_rows, course.modules, dashboard.learner_ids(centre, cohort_id))
    header, rows = dashboard_table(grid, shown_rows)
    return table_response(file_format, f"dashboard-{course.key}", header, rows, title=course.key,
                          subject=("centre", centre.id),
                          detail={"report": "dashboard", "course": course.key, "rows": len(rows)})


@bp.get("/centres/<int:centre_id>/courses/<course_key>/<module_key>/quiz")
def quiz_report(centre_id: int, course_key: str, module_key: str):
    """A quiz's questions, hardest first: the share answered wrongly and the wrong answer chosen most often."""
    centre = loaders.find_centre(centre_id)
    module = loaders.find_quiz_module(course_key, module_key)
    cohort_id = chosen_cohort(centre)
    return render_template("reports/quiz.html", centre=centre, course=module.course, module=module, cohort_id=cohort_id,
                           stats=dashboard.quiz_stats(centre, module.quiz, cohort_id), choice_label=choice_label)


@bp.get("/centres/<int:centre_id>/courses/<course_key>/<module_key>/quiz.<file_format>")
def export_quiz_report(centre_id: int, course_key: str, module_key: str, file_format: str):
    centre = loaders.find_centre(centre_id)
    module = loaders.find_quiz_module(course_key, module_key)
    header, rows = quiz_table(dashboard.quiz_stats(centre, module.quiz, chosen_cohort(centre)))
    return table_response(file_format, f"quiz-{module.key}", header, rows, title=module.key,
                          subject=("centre", centre.id), detail={"report": "quiz", "module": module.key})


@bp.get("/centres/<int:centre_id>/activity.<file_format>")
def export_activity(centre_id: int, file_format: str):
    """Every event of the centre's learners, one row each, for analysts: streamed, whatever its size."""
    centre = loaders.find_centre(centre_id)
    header, rows = activity_table(activity.rows(centre))
    return table_response(file_format, f"activity-centre-{centre.id}", header, rows,
                          title="activity", subject=("centre", centre.id), detail={"report": "activity"})


@bp.get("/learners/<int:learner_id>")
def learner(learner_id: int):
    """A learner, as their trainer or teacher sees them: details, cohorts, where they are in each course, and (for
    the staff of their centre only) the civic actions they logged."""
    found = loaders.find_learner(learner_id)
    cohorts = db.session.scalars(select(Cohort).join(Enrolment).where(Enrolment.person_id == found.id)).all()
    courses = [(course, course_status(found, course)) for course in catalogue().courses]
    civic_actions = civic.actions_of(found) if access.may_see_civic_actions_of(current_user, found) else None
    return render_template("reports/learner.html", learner=found, cohorts=cohorts, courses=courses,
                           timeline=activity.timeline(found), notes=notes.notes_of(found), note_form=NoteForm(),
                           civic_actions=civic_actions)


@bp.post("/learners/<int:learner_id>/notes")
def add_note(learner_id: int):
    """A trainer's or teacher's note on the learner's page (it is part of the learner's own data)."""
    learner = loaders.find_learner(learner_id)
    form = NoteForm()
    if form.validate_on_submit():
        notes.add(current_user, learner, form.body.data)
        db.session.commit()
        flash(_("Note saved."), "success")
    else:
        flash(" ".join(str(error) for error in form.body.errors), "error")
    return redirect(url_for("reports.learner", learner_id=learner.id, _anchor="notes"), code=303)


def class_report_data(class_id: int) -> classes.ClassReport:
    return classes.class_report(loaders.find_class(class_id))


@bp.get("/classes/<int:class_id>/report")
def class_report(class_id: int):
    """Who is done, late, stuck or not started in each assigned module; prints on A4."""
    return render_template("reports/class.html", report=class_report_data(class_id),
                           status_words=status_words(), with_help=with_help)


@bp.get("/classes/<int:class_id>/report.pdf")
def class_report_pdf(class_id: int):
    """The class report as a PDF, with the school, the class and the date."""
    report = class_report_data(class_id)
    return personal_file(render_pdf("pdf/class_report.html", report=report, status_words=status_words(),
                                    with_help=with_help),
                         f"class-report-{report.school_class.id}.pdf", "application/pdf", inline=True,
                         action="report.export", subject=("class", report.school_class.id),
                         detail={"report": "class"})


@bp.get("/classes/<int:class_id>/report.<file_format>")
def export_class_report(class_id: int, file_format: str):
    report = class_report_data(class_id)
    header, rows = class_table(report)
    return table_response(file_format, f"class-report-{report.school_class.id}", header, rows, title="report",
                          subject=("class", report.school_class.id), detail={"report": "class"})

