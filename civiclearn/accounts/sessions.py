"""Sessions: starting one, ending one, and ending all of a person's sessions on every device.

The session cookie is signed, not stored on the server, so a copy of it (taken from a shared
computer, or before a PIN was reset) would stay valid as long as the person exists. To end every
copy at once, each person has a session generation, kept in the cookie beside their id
(User.get_id): raising it in the database makes every cookie signed in before it stale. It is
raised when the person signs out, chooses a new PIN or password, has their PIN reset, is locked
out, loses a role, or is deleted. A stale cookie is signed out with a plain message, never an error.
"""

import time

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update
from werkzeug.local import LocalProxy

from civiclearn.accounts.models import User
from civiclearn.extensions import db, login_manager

# Answered without a redirect when stale: the kiosk script's keep-alive expects a plain "no" (401).
ANSWERED_IN_PLACE = frozenset({"static", "kiosk.still_here"})


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The person a session cookie names, if it was signed in with their current session generation."""
    person_id, _dot, generation = session_id.partition(".")
    if not (person_id.isdigit() and generation.isdigit()):
        return None
    person = db.session.get(User, int(person_id))
    if person is None or person.anonymised_at is not None or person.session_generation != int(generation):
        return None
    return person


def start_session(user: User) -> None:
    """A fresh session for the person signing in: nothing of the previous one carries over but the language."""
    language = session.get("lang") or user.locale
    session.clear()
    if language:
        session["lang"] = language
    session["seen_at"] = time.time()
    login_user(user)


def end_session() -> None:
    """End this browser's session only (an idle kiosk, a trainer turning a computer into a kiosk)."""
    logout_user()
    session.clear()


def end_all_sessions(person: User) -> None:
    """Make every session of `person` stale, on every device. In SQL, so two at once both count. Flushes."""
    db.session.execute(update(User).where(User.id == person.id)
                       .values(session_generation=User.session_generation + 1)
                       .execution_options(synchronize_session=False))
    person.session_generation = db.session.scalar(select(User.session_generation).where(User.id == person.id))


def keep_this_session(person: User) -> None:
    """After the person changed their own PIN or password here (which ended all their sessions, see
    accounts.services): this one goes on, under the new generation. Call it after the commit."""
    if isinstance(person, LocalProxy):  # current_user: Flask-Login must keep the person, not the proxy to them
        person = person._get_current_object()
    login_user(person)


def sign_out_stale_session():
    """before_request: a cookie that names a person it no longer signs in (ended elsewhere, PIN reset, role
    removed, account deleted) is cleared, and the person is told why on the sign-in page."""
    if "_user_id" not in session or current_user.is_authenticated:
        return None
    was_staff = _was_staff(session["_user_id"])
    end_session()
    if request.endpoint in ANSWERED_IN_PLACE:
        return None
    flash(_("You were signed out: this account was signed out on another screen, or its PIN or password "
            "changed. Please sign in again."), "info")
    return redirect(url_for("accounts.staff_sign_in" if was_staff else "accounts.sign_in",
                        next=page_to_come_back_to()), code=303)


def page_to_come_back_to() -> str | None:
    """The page a person signed out of returns to after signing in again; never on a kiosk, where the next
    person to sign in is someone else (the last learner's page would be theirs, or "not found")."""
    if request.method != "GET" or getattr(request, "kiosk", None):
        return None
    return request.full_path.rstrip("?")


def _was_staff(session_id: str) -> bool:
    person_id = session_id.partition(".")[0]
    person = db.session.get(User, int(person_id)) if person_id.isdigit() else None
    return person is not None and person.is_staff
