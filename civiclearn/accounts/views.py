"""Register, sign in and sign out; signing out by itself after a long time without use."""

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from civiclearn import codes
from civiclearn.accounts import services
from civiclearn.accounts.forms import RegisterForm, SignInForm
from civiclearn.accounts.models import User
from civiclearn.extensions import db, limiter, login_manager
from civiclearn.i18n import safe_next, take_draft

bp = Blueprint("accounts", __name__)
bp.add_app_template_filter(codes.display, "learner_code")

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _typed_code() -> str:
    """Rate-limit key: the learner code being tried, so one kiosk's many learners do not share a limit."""
    return "code:" + codes.normalise(request.form.get("code", ""))


def _start_session(user: User) -> None:
    """A fresh session for the person signing in: nothing of the previous one carries over but the language."""
    language = session.get("lang") or user.locale
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)


@bp.before_app_request
def sign_out_when_idle():
    """Sign out a session left unused for IDLE_SIGN_OUT_MINUTES: a shared computer must not stay signed in."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    if now - session.get("seen_at", now) > current_app.config["IDLE_SIGN_OUT_MINUTES"] * 60:
        logout_user()
        session.clear()
        flash(_("You were signed out because the computer was not used for a while."), "info")
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.sign_in", next=back), code=303)
    session["seen_at"] = now
    return None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register():
    form = RegisterForm(formdata=take_draft()) if request.method == "GET" else RegisterForm()
    if form.validate_on_submit():
        try:
            learner = services.register_learner(form.display_name.data, form.pin.data, session.get("lang"),
                                                 form.token.data)
        except services.RegistrationFormReused:
            flash(_("This form was already used to create an account. Sign in with that learner code."), "info")
            return redirect(url_for("accounts.sign_in"), code=303)
        db.session.commit()
        _start_session(learner)
        return redirect(url_for("accounts.card"), code=303)
    if form.token.errors:
        abort(400)
    return render_template("accounts/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], key_func=_typed_code, methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_IP_LIMIT"], methods=["POST"])
def sign_in():
    form = SignInForm(formdata=take_draft()) if request.method == "GET" else SignInForm()
    if form.validate_on_submit():
        learner = services.authenticate(form.code.data, form.pin.data)
        if learner:
            db.session.commit()
            _start_session(learner)
            return redirect(safe_next(request.args.get("next"), url_for("learning.home")), code=303)
        form.pin.errors.append(_("The learner code or the PIN is not right. Check both and try again."))
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    """End the session and go back to the sign-in screen, ready for the next person."""
    logout_user()
    session.clear()
    flash(_("You have signed out. Thank you for learning today!"), "success")
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.get("/card")
@login_required
def card():
    """The learner's code, shown large after registering and whenever they need it again."""
    return render_template("accounts/card.html")
