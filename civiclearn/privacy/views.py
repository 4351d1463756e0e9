"""What CivicLearn holds about a person: a readable page, a JSON download, correction and deletion.

The person themselves uses /me/...; their trainer or teacher (or an admin in scope) uses the same pages at
/learners/<id>/... for them (staff_views.py). Staff looking or deleting is recorded in the audit log, and so is every
download of the data (civiclearn.downloads), the person's own too.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, loaders
from civiclearn.accounts.forms import LearnerDetailsForm
from civiclearn.accounts.models import User
from civiclearn.accounts.sessions import end_session
from civiclearn.audit import actions
from civiclearn.downloads import personal_file
from civiclearn.extensions import db
from civiclearn.forms import ask_first, confirmed
from civiclearn.privacy import services

bp = Blueprint("privacy", __name__)
bp.before_request(access.require_signed_in)
bp.add_app_template_filter(actions.describe, "audit_action")


@bp.app_template_global("data_page_url")
def data_page_url(page: str, person: User, own: bool) -> str:
    """A privacy page's address: the person's own (/me/...), or the learner's as staff see it (/learners/<id>/...)."""
    return url_for(f"privacy.{page}") if own else url_for(f"privacy_staff.{page}", learner_id=person.id)


@bp.get("/me/data", defaults={"learner_id": None})
def learner_data(learner_id: int | None):
    person = loaders.find_data_subject(learner_id)
    services.record_export(current_user, person)
    db.session.commit()
    return render_template("privacy/data.html", person=person, data=services.data_of(person), own=learner_id is None)


@bp.get("/me/data.json", defaults={"learner_id": None})
def learner_data_json(learner_id: int | None):
    """Everything held about the person, as a JSON file; recorded in the audit log, whoever downloads it."""
    person = loaders.find_data_subject(learner_id)
    return personal_file(services.as_json(services.data_of(person)),
                         f"civiclearn-data-{person.id}.json", "application/json; charset=utf-8",
                         action="data.export", subject=("person", person.id))


@bp.route("/me/details", methods=["GET", "POST"], defaults={"learner_id": None})
def correct(learner_id: int | None):
    """Correct a person's details (PDPA: the right to correction): their own, or a learner's for them."""
    person = loaders.find_data_subject(learner_id)
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
        return redirect(url_for("reports.learner", learner_id=person.id), code=303)
    return render_template("privacy/correct.html", form=form, person=person, own=learner_id is None)


@bp.route("/me/delete", methods=["GET", "POST"], defaults={"learner_id": None})
def delete(learner_id: int | None):
    """Delete a person's data, once confirmed (the page opened first is the confirm page): who they are goes, the
    counts stay."""
    person = loaders.find_data_subject(learner_id)
    if not confirmed():
        own = learner_id is None
        return ask_first(
            _("Delete all your data?") if own else _("Delete all the data of %(name)s?", name=person.display_name),
            _("The name, the learner code, the PIN and the sign-in names are deleted at once, and cannot be brought "
              "back. Learning so far stays only as anonymous numbers in the centre's counts. Certificates already "
              "given stay valid, so that they can still be checked."),
            yes=_("Yes, delete it all"), back=data_page_url("learner_data", person, own))
    services.anonymise(current_user, person)
    db.session.commit()
    if learner_id is None:
        end_session()
        flash(_("Your data is deleted. Thank you for learning with CivicLearn."), "success")
        return redirect(url_for("accounts.sign_in"), code=303)
    flash(_("The learner's data is deleted."), "success")
    return redirect(url_for("accounts.staff_home"), code=303)
