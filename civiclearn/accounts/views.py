"""Register, sign in (learners with code and PIN, staff with a password), change PIN, sign out; sign out
by itself after a time without use."""

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from civiclearn import access, codes
from civiclearn.accounts import attempts, services
from civiclearn.accounts.forms import ChangePasswordForm, ChangePinForm, RegisterForm, SignInForm, StaffSignInForm
from civiclearn.accounts.sessions import (
    end_all_sessions,
    end_session,
    keep_this_session,
    page_to_come_back_to,
    sign_out_stale_session,
    start_session,
)
from civiclearn.extensions import db, limiter, login_manager
from civiclearn.forms import bind
from civiclearn.i18n import safe_next, take_draft

bp = Blueprint("accounts", __name__)
bp.add_app_template_filter(codes.display, "learner_code")

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
# Flask-Login's session protection ("basic") only marks a session "not fresh" when its address or browser changes,
# for views that ask for a fresh sign-in; none does here (a copied or stale cookie is ended by the session
# generation: accounts.sessions). Left on, it wrote a visitor's cookie anew on their second page, and a learner's
# whenever their phone changed networks.
login_manager.session_protection = None

# "Last seen" is written into the session cookie at most this many times per idle limit, not on every page (a new
# cookie costs every answer signing and sending it): a session ends at most a 20th of the limit early, never late.
SEEN_AT_STEPS = 20

# Pages a learner who must choose a new PIN may still open.
WHILE_CHANGING_PIN = frozenset({"accounts.change_pin", "accounts.sign_out", "i18n.switch", "static"})


def idle_limit_seconds() -> int:
    """How long a session may go unused: the kiosk's centre decides on a kiosk (see centres.kiosk)."""
    kiosk = getattr(request, "kiosk", None)
    minutes = kiosk.centre.idle_minutes if kiosk else current_app.config["IDLE_SIGN_OUT_MINUTES"]
    return minutes * current_app.config["IDLE_MINUTE_SECONDS"]


@bp.before_app_request
def sign_out_when_idle():
    """Sign out a session ended elsewhere (see accounts.sessions) or left unused too long (on a shared computer
    nobody must find it signed in), and keep a learner with a starting PIN on the page where they choose their own."""
    stale = sign_out_stale_session()
    if stale or request.endpoint == "static" or not current_user.is_authenticated:
        return stale
    now, limit = time.time(), idle_limit_seconds()
    if now - session.get("seen_at", now) > limit:
        end_session()
        flash(_("You were signed out because the computer was not used for a while."), "info")
        return redirect(url_for("accounts.sign_in", next=page_to_come_back_to()), code=303)
    if now - session.get("seen_at", 0) >= limit / SEEN_AT_STEPS:
        session["seen_at"] = now
    if current_user.must_change_pin and request.endpoint not in WHILE_CHANGING_PIN:
        return redirect(url_for("accounts.change_pin"), code=303)
    return None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register():
    form = bind(RegisterForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            learner = services.register_learner(form.display_name.data, form.pin.data, session.get("lang"),
                                                 form.token.data, form.birth_year.data, form.guardian_consent.data)
        except services.RegistrationFormReused:
            flash(_("This form was already used to create an account. Sign in with that learner code."), "info")
            return redirect(url_for("accounts.sign_in"), code=303)
        db.session.commit()
        start_session(learner)
        return redirect(url_for("accounts.card"), code=303)
    if form.token.errors:
        abort(400)
    return render_template("accounts/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@attempts.address_failures_limit()
def sign_in():
    form = bind(SignInForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        signed_in = _sign_in(
            "code:" + codes.normalise(form.code.data), lambda: services.authenticate(form.code.data, form.pin.data),
            _("The learner code or the PIN is not right. Check both and try again."),
            _("Ask the trainer if you need help now."), form.pin, "learning.home")
        if signed_in:
            return signed_in
    return render_template("accounts/sign_in.html", form=form, code_only=only_the_code_sent(form))


def _sign_in(typed: str, check, wrong: str, help_from: str, field, home: str):
    """One try (see accounts.attempts): on to the page asked for, or the error under `field` (None)."""
    person, error = attempts.try_sign_in(typed, check, wrong, attempts.paused_message(help_from))
    if person is None:
        field.errors.append(error)
        return None
    start_session(person)
    return redirect(safe_next(request.args.get("next"), url_for(home)), code=303)


def only_the_code_sent(form: SignInForm) -> bool:
    """A card scanner types the code and then Enter, which sends the form before the PIN is typed: that
    is the first step, not a mistake. The page then asks for the PIN without an error."""
    if request.method != "POST" or request.form.get("pin") or not form.code.data or form.code.errors:
        return False
    form.pin.errors = []
    return True


@bp.route("/staff/sign-in", methods=["GET", "POST"])
@attempts.address_failures_limit(get_remote_address)
def staff_sign_in():
    form = StaffSignInForm()
    if form.validate_on_submit():
        signed_in = _sign_in(
            "staff:" + form.login.data.strip().lower(),
            lambda: services.authenticate_staff(form.login.data, form.password.data),
            _("The username, email or password is not right."),
            _("Ask an admin of the programme if you need help now."), form.password, "accounts.staff_home")
        if signed_in:
            return signed_in
    return render_template("accounts/staff_sign_in.html", form=form)


@bp.get("/staff")
@login_required
def staff_home():
    """Where staff start: their centres, schools and, for admins, the admin pages."""
    access.authorise(access.roles(current_user).staff)
    centres = db.session.scalars(access.centres_managed(current_user).order_by("name_th")).all()
    schools = db.session.scalars(access.schools_managed(current_user).order_by("name_th")).all()
    return render_template("accounts/staff_home.html", centres=centres, schools=schools,
                           admin=access.is_admin(current_user))


@bp.route("/pin", methods=["GET", "POST"])
@login_required
def change_pin():
    """A learner chooses their own PIN (required after a trainer set a starting one)."""
    access.authorise(current_user.learner_code is not None)  # staff sign in with a password, not a PIN
    form = ChangePinForm(current_user)
    if form.validate_on_submit():
        services.change_pin(current_user, form.pin.data)
        db.session.commit()
        keep_this_session(current_user)
        flash(_("Your new PIN is saved. Use it from now on, and tell nobody."), "success")
        return redirect(url_for("learning.home"), code=303)
    return render_template("accounts/change_pin.html", form=form)


@bp.route("/staff/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Staff choose a new password; every other session of theirs ends."""
    access.authorise(current_user.is_staff)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            changed = services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountLocked:  # too many wrong ones: locked, and every session ends (this one too)
            db.session.commit()
            form.current.errors.append(attempts.paused_message(_("Ask an admin of the programme if you need help now.")))
        else:
            db.session.commit()
            if changed:
                keep_this_session(current_user)
                flash(_("Your new password is saved. You were signed out on every other computer."), "success")
                return redirect(url_for("accounts.staff_home"), code=303)
            form.current.errors.append(_("This is not your current password."))
    return render_template("accounts/change_password.html", form=form)


@bp.post("/sign-out")
def sign_out():
    """End the person's sessions (here and on every other screen) and go back to the sign-in screen."""
    if current_user.is_authenticated:
        end_all_sessions(current_user)
        db.session.commit()
    end_session()
    flash(_("You have signed out. Thank you for learning today!"), "success")
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.get("/card")
@login_required
def card():
    """The learner's code, shown large after registering and whenever they need it again."""
    access.authorise(current_user.learner_code is not None)
    return render_template("accounts/card.html")
