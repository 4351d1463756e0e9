"""A centre's staff pages: its cohorts and learners, adding a learner, PIN resets."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from civiclearn import access, loaders
from civiclearn.accounts import services as accounts
from civiclearn.centres import services, slips
from civiclearn.centres.forms import AddLearnerForm, CohortForm
from civiclearn.centres.models import Centre, Cohort
from civiclearn.extensions import db
from civiclearn.forms import query_id
from civiclearn.i18n import language

bp = Blueprint("centres", __name__)
bp.before_request(access.require_staff)


def page_number() -> int:
    return query_id("page") or 1


@bp.get("/centres/<int:centre_id>")
def centre(centre_id: int):
    """The centre: its cohorts, and its learners, searchable and one page at a time."""
    found = loaders.find_centre(centre_id)
    search = request.args.get("q", "")
    cohort_id = query_id("cohort")
    learners = services.learners_of(found, search, cohort_id, page_number())
    return render_template("centres/centre.html", centre=found, learners=learners, search=search,
                           cohort_id=cohort_id, cohort_form=CohortForm())


@bp.post("/centres/<int:centre_id>/cohorts")
def add_cohort(centre_id: int):
    found = loaders.find_centre(centre_id)
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
    found = loaders.find_centre(centre_id)
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
        return render_template("centres/learner_added.html", centre=found, learner=learner, pin=pin, cohort=cohort,
                               slips=slips.seal(current_user, found, [(learner, pin)]),
                               slip_minutes=slips.SLIP_MINUTES)
    return render_template("centres/add_learner.html", centre=found, form=form)


@bp.post("/learners/<int:learner_id>/pin")
def reset_pin(learner_id: int):
    """A new starting PIN (the learner forgot theirs, or is locked out), shown to the trainer once."""
    found = loaders.find_learner(learner_id)
    pin = accounts.reset_pin(current_user, found)
    db.session.commit()
    return render_template("centres/pin_reset.html", learner=found, pin=pin)


@bp.app_template_filter("centre_name")
def centre_name(centre: Centre) -> str:
    return centre.name(language())
