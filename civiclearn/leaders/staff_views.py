"""The Digital Citizen Leader pathway, the trainer's side: a centre's leaders, confirming or declining what
they logged, and endorsing a leader whose pathway is complete."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civiclearn import access, codes, loaders
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.extensions import db
from civiclearn.forms import ask_first, confirmed
from civiclearn.i18n import format_date
from civiclearn.leaders import practicum
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.leaders.views import remove_unconfirmed

bp = Blueprint("leaders_staff", __name__)
bp.before_request(access.require_staff)


# -- The trainer's page of a centre ----------------------------------------------------------------

def served_pathway() -> leaders.Pathway:
    pathway = leaders.current_pathway()
    access.authorise(pathway is not None)
    return pathway


@bp.get("/centres/<int:centre_id>/leaders")
def centre_leaders(centre_id: int):
    """A centre's leaders: sessions and mentees waiting for confirmation, then each leader's progress,
    those ready to endorse (or to renew) first."""
    centre = loaders.find_centre(centre_id)
    pathway = leaders.current_pathway()
    if pathway is None:
        return render_template("leaders/leader_unavailable.html", centre=centre)
    return render_template("leaders/centre_leaders.html", centre=centre, pathway=pathway,
                           sessions=practicum.pending_sessions(centre),
                           mentees=practicum.pending_mentees(centre, pathway),
                           leaders=leaders.leaders_of(centre, pathway))


def decision() -> str:
    chosen = request.form.get("decision")
    if chosen not in ("confirm", "decline"):
        abort(400)
    return chosen


def decide(centre: Centre, row: PracticumSession | Mentee, what: str):
    """Confirm a session or mentee logged at the centre, or decline it once that is confirmed too, then back to
    the centre's list."""
    chosen = decision()
    if chosen == "confirm":
        practicum.confirm(current_user, row)
        db.session.commit()
        flash(_("Session confirmed.") if what == "session" else _("Mentee confirmed."), "success")
    elif not confirmed():
        return ask_first(*declining(row, what), yes=_("Yes, decline it"), carry={"decision": "decline"},
                         back=url_for("leaders_staff.centre_leaders", centre_id=centre.id, _anchor=f"{what}s"))
    else:
        remove_unconfirmed(practicum.decline, row, _("Declined: it is removed from the leader's log."),
                           _("It was confirmed already, so it stays on the leader's record."))
    return redirect(url_for("leaders_staff.centre_leaders", centre_id=centre.id), code=303)


def declining(row: PracticumSession | Mentee, what: str) -> tuple[str, str]:
    """The confirm page's question and what declining does, for a session or a mentee."""
    leader = db.session.get(User, row.leader_id).display_name
    if what == "session":
        return (_("Decline the session of %(name)s on %(date)s?", name=leader, date=format_date(row.held_on)),
                _("It is removed from the leader's log and does not count for the pathway. This cannot be undone: "
                  "the leader would have to log it again."))
    return (_("Decline %(mentee)s as a mentee of %(leader)s?", mentee=row.mentee.display_name, leader=leader),
            _("The learner is removed from the leader's list and does not count for the pathway. This cannot be "
              "undone: the leader would have to add them again."))


@bp.post("/centres/<int:centre_id>/leaders/sessions/<int:session_id>")
def decide_session(centre_id: int, session_id: int):
    return decide(*loaders.find_centre_practicum(centre_id, PracticumSession, session_id), "session")


@bp.post("/centres/<int:centre_id>/leaders/mentees/<int:mentee_id>")
def decide_mentee(centre_id: int, mentee_id: int):
    return decide(*loaders.find_centre_practicum(centre_id, Mentee, mentee_id), "mentee")


@bp.post("/centres/<int:centre_id>/leaders/<int:leader_id>/endorse")
def endorse(centre_id: int, leader_id: int):
    """The trainer endorses a leader whose pathway is complete, once confirmed: the leader certificate is issued
    (or, when it is about to end or has ended, renewed). Sent twice, it issues one."""
    centre = loaders.find_centre(centre_id)
    leader = loaders.find_leader(centre, leader_id)
    served_pathway()
    if not confirmed():
        return ask_first(
            _("Endorse %(name)s as a Digital Citizen Leader?", name=leader.display_name),
            _("The leader certificate is issued in this name at once (or renewed, when it is about to end), and "
              "anyone can check it with its code. This cannot be undone: a certificate can only be revoked "
              "afterwards, and its check page then says so."),
            yes=_("Yes, endorse"), back=url_for("leaders_staff.centre_leaders", centre_id=centre.id, _anchor="leaders"))
    back = redirect(url_for("leaders_staff.centre_leaders", centre_id=centre.id), code=303)
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
