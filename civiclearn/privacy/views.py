"""What CivicLearn holds about a person: a readable page, a JSON download, correction and deletion.

The person themselves uses /me/...; their trainer or teacher (or an admin in scope) uses
/learners/<id>/... for them. Staff looking or deleting is recorded in the audit log, and so is every
download of the data (civiclearn.downloads), the person's own too.
"""

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access
from civiclearn.accounts.forms import LearnerDetailsForm
from civiclearn.accounts.models import User
from civiclearn.accounts.sessions import end_session
from civiclearn.downloads import personal_file
from civiclearn.extensions import db, login_manager
from civiclearn.privacy import services

bp = Blueprint("privacy", __name__)


@bp.before_request
def sign_in_first():
    """One's own data needs one signed in; a learner's data, seen for them, is for staff."""
    if (request.view_args or {}).get("learner_id") is not None:
        return access.require_staff()
    return None if current_user.is_authenticated else login_manager.unauthorized()


def subject(learner_id: int | None) -> User:
    """Whose data: the signed-in person's own, or a learner the signed-in staff member may see."""
    if learner_id is None:
        return current_user._get_current_object()
    person = db.session.get(User, learner_id)
    access.authorise(person is not None and person.anonymised_at is None and person.id != current_user.id
                     and access.may_view_learner(current_user, person))
    return person


@bp.get("/me/data", defaults={"learner_id": None})
@bp.get("/learners/<int:learner_id>/data")
def learner_data(learner_id: int | None):
    person = subject(learner_id)
    services.record_export(current_user, person)
    db.session.commit()
    return render_template("privacy/data.html", person=person, data=services.data_of(person), own=learner_id is None)


@bp.get("/me/data.json", defaults={"learner_id": None})
@bp.get("/learners/<int:learner_id>/data.json")
def learner_data_json(learner_id: int | None):
    """Everything held about the person, as a JSON file; recorded in the audit log, whoever downloads it."""
    person = subject(learner_id)
    return personal_file(json.dumps(services.data_of(person), ensure_ascii=False, indent=2),
                         f"civiclearn-data-{person.id}.json", "application/json; charset=utf-8",
                         action="data.export", subject=("person", person.id))


@bp.route("/me/details", methods=["GET", "POST"], defaults={"learner_id": None})
@bp.route("/learners/<int:learner_id>/edit", methods=["GET", "POST"])
def correct(learner_id: int | None):
    """Correct a person's details (PDPA: the right to correction): their own, or a learner's for them."""
    person = subject(learner_id)
    form = LearnerDetailsForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.gender.data = person.gender or ""
    if form.validate_on_submit():
        services.correct(current_user, person, form.display_name.data, form.birth_year.data, form.gender.data)
        db.session.commit()
        if learner_id is None:
            flash(_("Your details are saved."), "success")
            return redirect(url_for("privacy.learner_data"), code=303)
        flash(_("The details are saved."), "success")
        return redirect(url_for("centres.learner", learner_id=person.id), code=303)
    return render_template("privacy/correct.html", form=form, person=person, own=learner_id is None)


@bp.route("/me/delete", methods=["GET", "POST"], defaults={"learner_id": None})
@bp.route("/learners/<int:learner_id>/delete", methods=["GET", "POST"])
def delete(learner_id: int | None):
    """Delete a person's data (after a confirmation page): who they are goes, the counts stay."""
    person = subject(learner_id)
    if request.method == "GET":
        return render_template("privacy/delete.html", person=person, own=learner_id is None)
    services.anonymise(current_user, person)
    db.session.commit()
    if learner_id is None:
        end_session()
        flash(_("Your data is deleted. Thank you for learning with CivicLearn."), "success")
        return redirect(url_for("accounts.sign_in"), code=303)
    flash(_("The learner's data is deleted."), "success")
    return redirect(url_for("accounts.staff_home"), code=303)
