"""Kiosk mode: a shared computer of a centre, for many learners one after another.

A trainer turns a browser into a kiosk of their centre: it gets a signed, long-lived cookie that
names the kiosk. On a kiosk the sign-in screen shows the centre (and, if the centre wants, its
learners' names to pick from), "Finish" is always on screen, and an idle session ends after the
centre's idle time: a script warns for 60 seconds first, and without the script the next request
after the limit signs out (civiclearn.accounts.views.sign_out_when_idle reads the limit from here).
"""

from flask import Blueprint, current_app, flash, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from civiclearn import access, loaders
from civiclearn.accounts import services as accounts
from civiclearn.accounts.attempts import address_failures_limit, paused_message, try_sign_in
from civiclearn.accounts.models import User
from civiclearn.accounts.sessions import end_session, start_session
from civiclearn.centres import services
from civiclearn.centres.forms import KioskForm, PickedNameSignInForm
from civiclearn.centres.models import Cohort, Enrolment, Kiosk
from civiclearn.centres.views import bp
from civiclearn.extensions import db
from civiclearn.forms import ask_first, confirmed, query_id

# The learner-facing kiosk pages; the trainer's kiosk pages are on the centres blueprint (staff only).
kiosk_bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

COOKIE = "civiclearn_kiosk"
COOKIE_MAX_AGE = 365 * 24 * 3600
WARN_SECONDS = 60


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="civiclearn-kiosk")


def load_kiosk() -> None:
    """Before every request: the kiosk this browser is, if its cookie is genuine and not retired."""
    request.kiosk = None
    token = request.cookies.get(COOKIE)
    if not token:
        return
    try:
        kiosk_id = _serializer().loads(token)
    except BadSignature:
        return
    kiosk = db.session.get(Kiosk, kiosk_id) if isinstance(kiosk_id, int) else None
    if kiosk and kiosk.revoked_at is None:
        request.kiosk = kiosk


@kiosk_bp.app_context_processor
def kiosk_context() -> dict:
    kiosk = getattr(request, "kiosk", None) if has_request_context() else None
    if kiosk is None:
        return {"kiosk": None}
    return {"kiosk": kiosk, "kiosk_idle_seconds": idle_seconds(kiosk), "kiosk_warn_seconds": WARN_SECONDS}


def idle_seconds(kiosk: Kiosk) -> int:
    """The centre's idle time (IDLE_MINUTE_SECONDS is 60, except in tests that cannot wait minutes)."""
    return kiosk.centre.idle_minutes * current_app.config["IDLE_MINUTE_SECONDS"]


@bp.route("/centres/<int:centre_id>/kiosk", methods=["GET", "POST"])
def kiosk(centre_id: int):
    """A trainer turns this browser into a kiosk of the centre; they are signed out at once."""
    found = loaders.find_centre(centre_id)
    form = KioskForm()
    if form.validate_on_submit():
        made = services.make_kiosk(current_user, found, form.name.data)
        db.session.commit()
        end_session()
        flash(_("This computer is now a kiosk of %(centre)s.", centre=found.name_th), "success")
        response = redirect(url_for("accounts.sign_in"), code=303)
        response.set_cookie(COOKIE, _serializer().dumps(made.id), max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return response
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.centre_id == found.id, Kiosk.revoked_at.is_(None))).all()
    return render_template("centres/kiosk.html", centre=found, form=form, kiosks=kiosks)


@bp.post("/centres/<int:centre_id>/kiosks/<int:kiosk_id>/retire")
def retire_kiosk(centre_id: int, kiosk_id: int):
    """Stop a computer being a kiosk (from that computer or any other), once confirmed: its cookie no longer
    counts."""
    found = loaders.find_centre(centre_id)
    retired = loaders.find_kiosk(found, kiosk_id)
    if not confirmed():
        return ask_first(
            _("Stop %(name)s being a kiosk?", name=retired.name),
            _("Its sign-in screen no longer shows this centre, and sessions on it no longer end by themselves when "
              "nobody uses it. This cannot be undone: to use it as a kiosk again, make it a new kiosk from that "
              "computer."),
            yes=_("Yes, stop it being a kiosk"), back=url_for("centres.kiosk", centre_id=found.id))
    services.retire_kiosk(current_user, retired)
    db.session.commit()
    flash(_("The computer %(name)s is no longer a kiosk.", name=retired.name), "success")
    response = redirect(url_for("centres.kiosk", centre_id=found.id), code=303)
    if getattr(request, "kiosk", None) and request.kiosk.id == retired.id:
        response.delete_cookie(COOKIE)
    return response


def _kiosk_or_404() -> Kiosk:
    kiosk = getattr(request, "kiosk", None)
    access.authorise(kiosk is not None and kiosk.centre.sign_in_by_name)
    return kiosk


@kiosk_bp.get("/names")
def names():
    """On a kiosk whose centre allows it: pick your cohort, then your name, instead of typing a code."""
    kiosk = _kiosk_or_404()
    cohort = db.session.get(Cohort, query_id("cohort") or 0)
    if cohort is None or cohort.centre_id != kiosk.centre_id:
        return render_template("centres/kiosk_cohorts.html", kiosk=kiosk, cohorts=kiosk.centre.cohorts)
    return render_template("centres/kiosk_names.html", kiosk=kiosk, cohort=cohort,
                           learners=services.cohort_learners(cohort))


@kiosk_bp.route("/names/<int:learner_id>", methods=["GET", "POST"])
@address_failures_limit()
def name_sign_in(learner_id: int):
    """The PIN of the learner whose name was picked; the same lock-out as with a learner code."""
    kiosk = _kiosk_or_404()
    learner = db.session.get(User, learner_id)
    enrolled = learner is not None and db.session.scalar(
        select(Enrolment.id).join(Cohort).where(Enrolment.person_id == learner_id, Cohort.centre_id == kiosk.centre_id))
    access.authorise(bool(enrolled) and learner.anonymised_at is None)
    form = PickedNameSignInForm()
    if form.validate_on_submit():
        signed_in, error = try_sign_in(
            f"person:{learner.id}", lambda: learner if accounts.authenticate_learner(learner, form.pin.data) else None,
            _("The PIN is not right. Try again, or ask the trainer."),
            paused_message(_("Ask the trainer if you need help now.")))
        if signed_in:
            start_session(learner)
            return redirect(url_for("learning.home"), code=303)
        form.pin.errors.append(error)
    return render_template("centres/kiosk_pin.html", kiosk=kiosk, learner=learner, form=form)


@kiosk_bp.get("/still-here")
def still_here():
    """The kiosk script's "I am still here": the request itself keeps the session alive."""
    return ("", 204) if current_user.is_authenticated else ("", 401)
