"""Registering learners and checking their learner code and PIN."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.database import utcnow
from civiclearn.extensions import db

CODE_ATTEMPTS = 20
REPEAT_WINDOW = timedelta(minutes=10)  # how long a resent registration form still signs its learner in
# Checked when no account matches, so a wrong code takes as long as a wrong PIN.
_UNUSED_HASH = generate_password_hash("unused-pin")


class CodeSpaceExhausted(RuntimeError):
    """No free learner code was found; with 47 million codes this means something is broken."""


def hash_pin(pin: str) -> str:
    return generate_password_hash(pin)  # scrypt, salted


class RegistrationFormReused(ValueError):
    """The registration form was sent again long after it created an account."""


def register_learner(display_name: str, pin: str, locale: str | None = None, form_token: str | None = None) -> User:
    """Create a learner with a new unique learner code. Flushes; the caller commits.

    The same form sent again (same `form_token`) returns the learner it created, so a double
    click never makes two accounts.
    """
    repeat = _registered_with(form_token)
    if repeat:
        return repeat
    for _ in range(CODE_ATTEMPTS):
        learner = User(display_name=display_name, learner_code=codes.new_code(), pin_hash=hash_pin(pin),
                       locale=locale, registration_token=form_token)
        try:
            with db.session.begin_nested():  # a clashing code (or a racing repeat) rolls back this insert only
                db.session.add(learner)
            return learner
        except IntegrityError:
            repeat = _registered_with(form_token)
            if repeat:
                return repeat
    raise CodeSpaceExhausted


def _registered_with(form_token: str | None) -> User | None:
    if not form_token:
        return None
    learner = db.session.scalar(select(User).where(User.registration_token == form_token))
    if learner and utcnow() - learner.created_at > REPEAT_WINDOW:
        raise RegistrationFormReused(form_token)
    return learner


def authenticate(typed_code: str, pin: str) -> User | None:
    """The learner with this code and PIN, or None; records the sign-in time. Flushes."""
    code = codes.normalise(typed_code)
    learner = db.session.scalar(select(User).where(User.learner_code == code)) if code else None
    if learner is None or learner.pin_hash is None:
        check_password_hash(_UNUSED_HASH, pin)
        return None
    if not check_password_hash(learner.pin_hash, pin):
        return None
    learner.last_sign_in_at = utcnow()
    db.session.flush()
    return learner
