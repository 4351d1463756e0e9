"""The Digital Citizen Leader pathway, the learner's side: the leader's practicum log, and the mentee's answer to
a leader who says they helped them. What other features' pages show of it are template globals here."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from civiclearn import access, codes, loaders
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.extensions import db, limiter
from civiclearn.forms import bind
from civiclearn.i18n import language, take_draft
from civiclearn.leaders import practicum
from civiclearn.leaders import services as leaders
from civiclearn.leaders.forms import MenteeForm, SessionForm
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.services import CourseStatuses

bp = Blueprint("leaders", __name__)
bp.before_request(access.require_signed_in)


# -- Shown on other features' pages ----------------------------------------------------------------

@bp.app_template_global("leader_standing")
def leader_standing(person: User) -> leaders.Standing | None:
    """A person's leader certificate and its state, for the badge on their home and on staff pages."""
    if not getattr(person, "is_authenticated", False):
        return None
    return leaders.standing(person)


@bp.app_template_global("leader_pathway_open")
def leader_pathway_open(person: User, known: CourseStatuses | None = None) -> bool:
    """Whether to point a learner to their leader page: the pathway is served and they passed its entry.
    `known`: the person's course statuses, when the page has them (the home page), read again otherwise."""
    pathway = leaders.current_pathway()
    return pathway is not None and person.is_authenticated and practicum.practicum_open(person, pathway, known)


@bp.app_template_global("mentee_requests")
def mentee_requests(person: User) -> list[practicum.MenteeRequest]:
    """Leaders who say they helped the person, not answered yet: asked first thing on the person's home page."""
    if not getattr(person, "is_authenticated", False):
        return []
    return practicum.requests_to(person)


# -- The leader's own page -------------------------------------------------------------------------

def mentee_limit() -> str:
    return current_app.config["MENTEE_LIMIT"]


def person_key() -> str:
    return f"person:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def not_adding_mentee() -> bool:
    return request.method != "POST" or "mentee_code" not in request.form


def centre_choices(form, field_name: str, centres: list[Centre]) -> None:
    form[field_name].choices = [(centre.id, centre.name(language())) for centre in centres]
    if len(centres) == 1 and form[field_name].data is None:
        form[field_name].data = centres[0].id


@bp.route("/me/leader", methods=["GET", "POST"])
@limiter.limit(mentee_limit, key_func=person_key, exempt_when=not_adding_mentee)
def leader():
    """The leader's pathway: each part with what is missing, their practicum log, and their certificate
    (when it ends, and from when to renew it). Its two forms log a session and add a mentee."""
    pathway = leaders.current_pathway()
    if pathway is None:
        if request.method == "POST":
            abort(404)
        return render_template("leaders/leader_unavailable.html")
    draft = take_draft() if request.method == "GET" else None
    adding_mentee = "mentee_code" in (draft if draft is not None else request.form)
    session_form = bind(SessionForm, draft) if not adding_mentee else SessionForm(formdata=None)
    mentee_form = bind(MenteeForm, draft) if adding_mentee else MenteeForm(formdata=None)
    centres = practicum.centres_of(current_user)
    centre_choices(session_form, "centre", centres)
    centre_choices(mentee_form, "mentee_centre", centres)
    if request.method == "POST":
        done = add_mentee(mentee_form, pathway) if adding_mentee else log_session(session_form, pathway)
        if done:
            return done
    return leader_page(pathway, session_form, mentee_form, centres, 400 if request.method == "POST" else 200)


def leader_page(pathway: leaders.Pathway, session_form: SessionForm, mentee_form: MenteeForm,
                centres: list[Centre], status: int = 200):
    progress = leaders.pathway_status(current_user, pathway)
    return render_template(
        "leaders/leader.html", pathway=pathway, progress=progress,
        standing=leaders.standing(current_user), practicum_open=progress.entry.met,
        sessions=practicum.sessions_of(current_user), mentees=practicum.mentees_of(current_user, pathway),
        centres=centres, session_form=session_form, mentee_form=mentee_form), status


def log_session(form: SessionForm, pathway: leaders.Pathway):
    """A redirect once the session is logged; None when the form has errors to show."""
    if not form.validate_on_submit():
        return None
    centre = db.session.get(Centre, form.centre.data)
    try:
        practicum.log_session(current_user, centre, form.held_on.data, form.place.data, form.topic.data,
                              int(form.attendees.data), pathway)
    except practicum.NotOnPathway:
        return not_open_yet()
    except practicum.FutureDate:
        form.held_on.errors.append(_("The date cannot be after today."))
        return None
    except practicum.NotEnrolledThere:
        form.centre.errors.append(_("Choose a centre where you are a learner."))
        return None
    except practicum.DuplicateSession:
        form.held_on.errors.append(_("You already logged this session (same date, place and topic)."))
        return None
    db.session.commit()
    flash(_("Session logged. A trainer of %(centre)s will confirm it.", centre=centre.name(language())), "success")
    return redirect(url_for("leaders.leader", _anchor="sessions"), code=303)


def add_mentee(form: MenteeForm, pathway: leaders.Pathway):
    """A redirect once the mentee is added; None when the form has errors to show."""
    if not form.validate_on_submit():
        return None
    centre = db.session.get(Centre, form.mentee_centre.data)
    try:
        practicum.add_mentee(current_user, centre, form.mentee_code.data, pathway)
    except practicum.NotOnPathway:
        return not_open_yet()
    except practicum.NotEnrolledThere:
        form.mentee_centre.errors.append(_("Choose a centre where you are a learner."))
        return None
    except practicum.UnknownLearner:
        form.mentee_code.errors.append(_("No learner of this centre has this code. Check it on their card, or ask "
                                         "the trainer to add them to a cohort of the centre first."))
        return None
    except practicum.SelfMentee:
        form.mentee_code.errors.append(_("This is your own code. Add the people you help."))
        return None
    except practicum.AlreadyMentee:  # without their name: they may not have agreed yet
        form.mentee_code.errors.append(_("This learner is already on your list."))
        return None
    db.session.commit()
    flash(_("Added: %(code)s. At their next sign-in, the learner is asked whether you helped them. You will see "
            "their name and progress once they say yes, or once a trainer of %(centre)s confirms.",
            code=practicum.masked(codes.normalise(form.mentee_code.data)), centre=centre.name(language())),
          "success")
    return redirect(url_for("leaders.leader", _anchor="mentees"), code=303)


def not_open_yet():
    flash(_("You can log sessions and mentees once you have passed the entry modules."), "error")
    return redirect(url_for("leaders.leader"), code=303)


@bp.post("/me/leader/sessions/<int:session_id>/withdraw")
def withdraw_session(session_id: int):
    """The leader takes back a session logged by mistake (before a trainer confirms it)."""
    return withdraw(loaders.find_own_practicum(PracticumSession, session_id), "sessions")


@bp.post("/me/leader/mentees/<int:mentee_id>/withdraw")
def withdraw_mentee(mentee_id: int):
    """The leader takes a learner off their list (before a trainer confirms them)."""
    return withdraw(loaders.find_own_practicum(Mentee, mentee_id), "mentees")


def withdraw(row: PracticumSession | Mentee, anchor: str):
    remove_unconfirmed(practicum.withdraw, row, _("Removed from your log."),
                       _("A trainer has confirmed it already, so it stays on your record."))
    return redirect(url_for("leaders.leader", _anchor=anchor), code=303)


def remove_unconfirmed(remove, row: PracticumSession | Mentee, removed: str, kept: str) -> None:
    """Withdraw (the leader) or decline (a trainer) a row of the practicum log, and say so; a row confirmed
    meanwhile stays, and the message `kept` says why."""
    try:
        remove(current_user, row)
    except practicum.AlreadyConfirmed:
        flash(kept, "error")
    else:
        db.session.commit()
        flash(removed, "success")


# -- The mentee's answer ----------------------------------------------------------------------------

@bp.post("/me/mentor-requests/<int:request_id>")
def answer_request(request_id: int):
    """The learner answers a leader who says they helped them (the question on their home page): "yes" shows
    them to the leader, "no" removes the request. Sent twice, or after the request is gone, it ends the same."""
    row = db.session.get(Mentee, request_id)
    access.authorise(row is None or access.may_answer_mentee_request(current_user, row))
    said = request.form.get("answer")
    if said not in ("yes", "no"):
        abort(400)
    outcome = practicum.answer(current_user, row, said == "yes")
    db.session.commit()
    messages = {
        "agreed": _("Thank you. The leader can now see your name and how many of the modules you have finished."),
        "refused": _("Thank you. The leader will not see your name or your progress."),
        "gone": _("There is nothing to answer any more: this request was taken off the list."),
        "confirmed": _("A trainer has already confirmed it. If it is not right, please tell a trainer of your "
                       "centre."),
    }
    flash(messages[outcome], {"gone": "info", "confirmed": "error"}.get(outcome, "success"))
    return redirect(url_for("learning.home"), code=303)
