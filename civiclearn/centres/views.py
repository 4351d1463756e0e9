"""A centre's staff pages: its cohorts and learners, adding a learner, a learner's page, PIN resets."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civiclearn import access
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.centres import services
from civiclearn.centres.forms import AddLearnerForm, CohortForm
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.forms import query_id
from civiclearn.i18n import language
from civiclearn.learning.services import course_status
from civiclearn.reports import activity, notes
from civiclearn.reports.forms import NoteForm

bp = Blueprint("centres", __name__)
bp.before_request(access.require_staff)


def find_centre(centre_id: int) -> Centre:
    """The centre, if the signed-in staff member may manage it; 404 otherwise."""
    centre = db.session.get(Centre, centre_id)
    access.authorise(centre is not None and access.may_manage_centre(current_user, centre))
    return centre


def find_learner(learner_id: int) -> User:
    learner = db.session.get(User, learner_id)
    access.authorise(learner is not None and learner.anonymised_at is None
                     and access.may_view_learner(current_user, learner))
    return learner


def page_number() -> int:
    return query_id("page") or 1


@bp.get("/centres/<int:centre_id>")
def centre(centre_id: int):
    """The centre: its cohorts, and its learners, searchable and one page at a time."""
    found = find_centre(centre_id)
    search = request.args.get("q", "")
    cohort_id = query_id("cohort")
    learners = services.learners_of(found, search, cohort_id, page_number())
    return render_template("centres/centre.html", centre=found, learners=learners, search=search,
                           cohort_id=cohort_id, cohort_form=CohortForm())


@bp.post("/centres/<int:centre_id>/cohorts")
def add_cohort(centre_id: int):
    found = find_centre(centre_id)
    form = CohortForm()
    if form.validate_on_submit():
        if db.session.scalar(select(Cohort).where(Cohort.centre_id == found.id, Cohort.name == form.name.data)):
            form.name.errors.append(_("This centre already has a cohort with this name."))
        else:
            services.create_cohort(current_user, found, form.name.data, form.starts_on.data, form.ends_on.data)
            db.session.commit()
            flash(_("Cohort %(name)s added.", name=form.name.data), "success")
            return redirect(url_for("centres.centre", centre_id=found.id), code=303)
    learners = services.learners_of(found)
    return render_template("centres/centre.html", centre=found, learners=learners, search="", cohort_id=None,
                           cohort_form=form), 400


@bp.route("/centres/<int:centre_id>/learners/new", methods=["GET", "POST"])
def add_learner(centre_id: int):
    """Register one learner: they get a learner code and a starting PIN, shown once on the next page."""
    found = find_centre(centre_id)
    form = AddLearnerForm()
    form.cohort.choices = [(cohort.id, cohort.name) for cohort in found.cohorts]
    if request.method == "GET" and query_id("cohort"):
        form.cohort.data = query_id("cohort")
    if form.validate_on_submit():
        cohort = db.session.get(Cohort, form.cohort.data)
        [(learner, pin)] = services.add_learners(current_user, [(cohort, {
            "display_name": form.display_name.data, "birth_year": form.birth_year.data,
            "gender": form.gender.data or None})])
        db.session.commit()
        return render_template("centres/learner_added.html", centre=found, learner=learner, pin=pin, cohort=cohort)
    return render_template("centres/add_learner.html", centre=found, form=form)


@bp.get("/learners/<int:learner_id>")
def learner(learner_id: int):
    """A learner, as their trainer or teacher sees them: details, cohorts and where they are in each course."""
    found = find_learner(learner_id)
    cohorts = db.session.scalars(select(Cohort).join(Enrolment).where(Enrolment.person_id == found.id)).all()
    courses = [(course, course_status(found, course)) for course in catalogue().courses]
    return render_template("centres/learner.html", learner=found, cohorts=cohorts, courses=courses,
                           timeline=activity.timeline(found), notes=notes.notes_of(found), note_form=NoteForm())


@bp.post("/learners/<int:learner_id>/pin")
def reset_pin(learner_id: int):
    """A new starting PIN (the learner forgot theirs, or is locked out), shown to the trainer once."""
    found = find_learner(learner_id)
    pin = accounts.reset_pin(current_user, found)
    db.session.commit()
    return render_template("centres/pin_reset.html", learner=found, pin=pin)


@bp.app_template_filter("centre_name")
def centre_name(centre: Centre) -> str:
    return centre.name(language())
