"""The Digital Citizen Leader pathway: the leader's practicum log, the mentee's answer to a leader who says
they helped them, the trainer's confirmations and endorsement."""


from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from civiclearn import access, codes
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.centres.views import find_centre
from civiclearn.certificates import leaders, practicum
from civiclearn.certificates.leader_forms import MenteeForm, SessionForm
from civiclearn.certificates.models import Mentee, PracticumSession
from civiclearn.certificates.views import bp
from civiclearn.extensions import db, limiter
from civiclearn.forms import bind
from civiclearn.i18n import format_date, language, take_draft

# -- Shown on other features' pages ----------------------------------------------------------------

@bp.app_template_global("leader_standing")
def leader_standing(person: User) -> leaders.Standing | None:
    """A person's leader certificate and its state, for the badge on their home and on staff pages."""
    if not getattr(person, "is_authenticated", False):
        return None
    return leaders.standing(person)


@bp.app_template_global("leader_pathway_open")
def leader_pathway_open(person: User) -> bool:
    """Whether to point a learner to their leader page: the pathway is served and they passed its entry."""
    pathway = leaders.current_pathway()
    return pathway is not None and person.is_authenticated and practicum.practicum_open(person, pathway)


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
@login_required
@limiter.limit(mentee_limit, key_func=person_key, exempt_when=not_adding_mentee)
def leader():
    """The leader's pathway: each part with what is missing, their practicum log, and their certificate
    (when it ends, and from when to renew it). Its two forms log a session and add a mentee."""
    pathway = leaders.current_pathway()
    if pathway is None:
        if request.method == "POST":
            abort(404)
        return render_template("certificates/leader_unavailable.html")
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
        "certificates/leader.html", pathway=pathway, progress=progress,
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
    return redirect(url_for("certificates.leader", _anchor="sessions"), code=303)


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
    return redirect(url_for("certificates.leader", _anchor="mentees"), code=303)


def not_open_yet():
    flash(_("You can log sessions and mentees once you have passed the entry modules."), "error")
    return redirect(url_for("certificates.leader"), code=303)


def own_row(model, row_id: int):
    row = db.session.get(model, row_id)
    access.authorise(row is not None and access.may_change_practicum(current_user, row))
    return row


@bp.post("/me/leader/sessions/<int:session_id>/withdraw")
@login_required
def withdraw_session(session_id: int):
    """The leader takes back a session logged by mistake (before a trainer confirms it)."""
    return withdraw(own_row(PracticumSession, session_id), "sessions")


@bp.post("/me/leader/mentees/<int:mentee_id>/withdraw")
@login_required
def withdraw_mentee(mentee_id: int):
    """The leader takes a learner off their list (before a trainer confirms them)."""
    return withdraw(own_row(Mentee, mentee_id), "mentees")


def withdraw(row: PracticumSession | Mentee, anchor: str):
    try:
        practicum.withdraw(current_user, row)
    except practicum.AlreadyConfirmed:
        flash(_("A trainer has confirmed it already, so it stays on your record."), "error")
    else:
        db.session.commit()
        flash(_("Removed from your log."), "success")
    return redirect(url_for("certificates.leader", _anchor=anchor), code=303)


# -- The mentee's answer ----------------------------------------------------------------------------

@bp.post("/me/mentor-requests/<int:request_id>")
@login_required
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


# -- The trainer's page of a centre ----------------------------------------------------------------

def served_pathway() -> leaders.Pathway:
    pathway = leaders.current_pathway()
    access.authorise(pathway is not None)
    return pathway


@bp.get("/centres/<int:centre_id>/leaders")
@access.staff_only
def centre_leaders(centre_id: int):
    """A centre's leaders: sessions and mentees waiting for confirmation, then each leader's progress,
    those ready to endorse (or to renew) first."""
    centre = find_centre(centre_id)
    pathway = leaders.current_pathway()
    if pathway is None:
        return render_template("certificates/leader_unavailable.html", centre=centre)
    return render_template("certificates/centre_leaders.html", centre=centre, pathway=pathway,
                           sessions=practicum.pending_sessions(centre),
                           mentees=practicum.pending_mentees(centre, pathway),
                           leaders=leaders.leaders_of(centre, pathway))


def decision() -> str:
    chosen = request.form.get("decision")
    if chosen not in ("confirm", "decline"):
        abort(400)
    return chosen


def decide(centre: Centre, row: PracticumSession | Mentee, what: str):
    """Confirm or decline a session or mentee logged at the centre, then back to the centre's list."""
    chosen = decision()
    if chosen == "confirm":
        practicum.confirm(current_user, row)
        db.session.commit()
        flash(_("Session confirmed.") if what == "session" else _("Mentee confirmed."), "success")
    else:
        try:
            practicum.decline(current_user, row)
        except practicum.AlreadyConfirmed:
            flash(_("It was confirmed already, so it stays on the leader's record."), "error")
        else:
            db.session.commit()
            flash(_("Declined: it is removed from the leader's log."), "success")
    return redirect(url_for("certificates.centre_leaders", centre_id=centre.id), code=303)


def centre_row(centre_id: int, model, row_id: int):
    centre = find_centre(centre_id)
    row = db.session.get(model, row_id)
    access.authorise(row is not None and row.centre_id == centre.id
                     and access.may_confirm_practicum(current_user, centre, row.leader_id))
    return centre, row


@bp.post("/centres/<int:centre_id>/leaders/sessions/<int:session_id>")
@access.staff_only
def decide_session(centre_id: int, session_id: int):
    return decide(*centre_row(centre_id, PracticumSession, session_id), "session")


@bp.post("/centres/<int:centre_id>/leaders/mentees/<int:mentee_id>")
@access.staff_only
def decide_mentee(centre_id: int, mentee_id: int):
    return decide(*centre_row(centre_id, Mentee, mentee_id), "mentee")


@bp.post("/centres/<int:centre_id>/leaders/<int:leader_id>/endorse")
@access.staff_only
def endorse(centre_id: int, leader_id: int):
    """The trainer endorses a leader whose pathway is complete: the leader certificate is issued (or,
    when it is about to end or has ended, renewed). Sent twice, it issues one."""
    centre = find_centre(centre_id)
    leader = db.session.get(User, leader_id)
    access.authorise(leader is not None and leader.anonymised_at is None
                     and access.may_endorse_leader(current_user, leader, centre))
    served_pathway()
    back = redirect(url_for("certificates.centre_leaders", centre_id=centre.id), code=303)
    try:
        done = leaders.endorse(current_user, leader, centre)
    except leaders.NotReady:
        flash(_("%(name)s has not finished the pathway yet: the list shows what is missing.",
                name=leader.display_name), "error")
        return back
    except leaders.Revoked:
        flash(_("%(name)s's leader certificate was revoked. Open it to reissue it, if that is right now.",
                name=leader.display_name), "error")
        return back
    db.session.commit()
    certificate = done.certificate
    messages = {
        "issued": _("%(name)s is a Digital Citizen Leader: certificate %(code)s, valid until %(date)s.",
                    name=leader.display_name, code=codes.display(certificate.code), date=format_day(certificate)),
        "renewed": _("%(name)s's leader certificate is renewed: certificate %(code)s, valid until %(date)s.",
                     name=leader.display_name, code=codes.display(certificate.code), date=format_day(certificate)),
        "held": _("%(name)s already holds a leader certificate, valid until %(date)s.",
                  name=leader.display_name, date=format_day(certificate)),
    }
    flash(messages[done.outcome], "success" if done.outcome != "held" else "info")
    return back


def format_day(certificate) -> str:
    return format_date(certificate.expires_on, "long")
