"""Register, sign in (learners with code and PIN, staff with a password), change PIN, sign out; sign out
by itself after a time without use."""

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from civiclearn import access, codes
from civiclearn.accounts import services
from civiclearn.accounts.forms import ChangePinForm, RegisterForm, SignInForm, StaffSignInForm
from civiclearn.accounts.models import User
from civiclearn.extensions import db, limiter, login_manager
from civiclearn.forms import bind
from civiclearn.i18n import safe_next, take_draft

bp = Blueprint("accounts", __name__)
bp.add_app_template_filter(codes.display, "learner_code")

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"

# Pages a learner who must choose a new PIN may still open.
WHILE_CHANGING_PIN = frozenset({"accounts.change_pin", "accounts.sign_out", "i18n.switch", "static"})


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    person = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return person if person and person.anonymised_at is None else None


def _typed_code() -> str:
    """Rate-limit key: the learner code being tried, so one kiosk's many learners do not share a limit."""
    return "code:" + codes.normalise(request.form.get("code", ""))


def _typed_login() -> str:
    return "staff:" + request.form.get("login", "").strip().lower()


def start_session(user: User) -> None:
    """A fresh session for the person signing in: nothing of the previous one carries over but the language."""
    language = session.get("lang") or user.locale
    session.clear()
    if language:
        session["lang"] = language
    session["seen_at"] = time.time()
    login_user(user)


def end_session() -> None:
    logout_user()
    session.clear()


def idle_limit_seconds() -> int:
    """How long a session may go unused: the kiosk's centre decides on a kiosk (see centres.kiosk)."""
    kiosk = getattr(request, "kiosk", None)
    minutes = kiosk.centre.idle_minutes if kiosk else current_app.config["IDLE_SIGN_OUT_MINUTES"]
    return minutes * current_app.config["IDLE_MINUTE_SECONDS"]


@bp.before_app_request
def sign_out_when_idle():
    """Sign out a session left unused too long (on a shared computer nobody must find it signed in),
    and keep a learner with a starting PIN on the page where they choose their own."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    if now - session.get("seen_at", now) > idle_limit_seconds():
        end_session()
        flash(_("You were signed out because the computer was not used for a while."), "info")
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.sign_in", next=back), code=303)
    session["seen_at"] = now
    if current_user.must_change_pin and request.endpoint not in WHILE_CHANGING_PIN:
        return redirect(url_for("accounts.change_pin"), code=303)
    return None


def locked_message(error: services.AccountLocked) -> str:
    return _("Too many wrong tries: this account is locked until %(time)s. Ask the trainer if you need help now.",
             time=format_time(error.until, "HH:mm"))


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


def kiosk_or_address() -> str:
    """Rate-limit key: the kiosk (a signed cookie) if this is one, else the address."""
    kiosk = getattr(request, "kiosk", None)
    return f"kiosk:{kiosk.id}" if kiosk else f"address:{request.remote_addr}"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], key_func=_typed_code, methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_IP_LIMIT"], key_func=kiosk_or_address, methods=["POST"])
def sign_in():
    form = bind(SignInForm, take_draft() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            learner = services.authenticate(form.code.data, form.pin.data)
        except services.AccountLocked as error:
            db.session.commit()
            form.pin.errors.append(locked_message(error))
        else:
            db.session.commit()  # a wrong PIN counts towards the lock
            if learner:
                start_session(learner)
                return redirect(safe_next(request.args.get("next"), url_for("learning.home")), code=303)
            form.pin.errors.append(_("The learner code or the PIN is not right. Check both and try again."))
    return render_template("accounts/sign_in.html", form=form, code_only=only_the_code_sent(form))


def only_the_code_sent(form: SignInForm) -> bool:
    """A card scanner types the code and then Enter, which sends the form before the PIN is typed: that
    is the first step, not a mistake. The page then asks for the PIN without an error."""
    if request.method != "POST" or request.form.get("pin") or not form.code.data or form.code.errors:
        return False
    form.pin.errors = []
    return True


@bp.route("/staff/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], key_func=_typed_login, methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_IP_LIMIT"], methods=["POST"])
def staff_sign_in():
    form = StaffSignInForm()
    if form.validate_on_submit():
        try:
            person = services.authenticate_staff(form.login.data, form.password.data)
        except services.AccountLocked as error:
            db.session.commit()
            form.password.errors.append(locked_message(error))
        else:
            db.session.commit()
            if person:
                start_session(person)
                return redirect(safe_next(request.args.get("next"), url_for("accounts.staff_home")), code=303)
            form.password.errors.append(_("The username, email or password is not right."))
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
    form = ChangePinForm()
    if form.validate_on_submit():
        services.change_pin(current_user, form.pin.data)
        db.session.commit()
        flash(_("Your new PIN is saved. Use it from now on, and tell nobody."), "success")
        return redirect(url_for("learning.home"), code=303)
    return render_template("accounts/change_pin.html", form=form)


@bp.post("/sign-out")
def sign_out():
    """End the session and go back to the sign-in screen, ready for the next person."""
    end_session()
    flash(_("You have signed out. Thank you for learning today!"), "success")
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.get("/card")
@login_required
def card():
    """The learner's code, shown large after registering and whenever they need it again."""
    access.authorise(current_user.learner_code is not None)
    return render_template("accounts/card.html")
