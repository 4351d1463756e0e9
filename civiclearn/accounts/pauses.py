"""Pauses after wrong sign-in tries, per what was typed: `code:<learner code>`, `staff:<login>`, `person:<id>`
(a name picked on a kiosk). Kept in the rate-limit storage every worker shares; see accounts.attempts."""

from flask import current_app

from civiclearn.accounts.models import User
from civiclearn.extensions import limiter

FAILURES_KEPT_SECONDS = 24 * 3600  # wrong tries in a row are forgotten after a day without one


def paused(typed: str) -> bool:
    """Whether signing in with `typed` (kind:value) waits after too many wrong tries."""
    return limiter.storage.get(f"sign-in-paused:{typed}") > 0


def count_failure(typed: str) -> bool:
    """One more wrong try with `typed`; True if this one pauses it."""
    if limiter.storage.incr(f"sign-in-failures:{typed}", FAILURES_KEPT_SECONDS) < current_app.config["SIGN_IN_LOCK_AFTER"]:
        return False
    pause(typed)
    return True


def pause(typed: str) -> None:
    """Pause signing in with `typed` (its account locked itself at the same try)."""
    limiter.storage.incr(f"sign-in-paused:{typed}", current_app.config["SIGN_IN_LOCK_MINUTES"] * 60)
    limiter.storage.clear(f"sign-in-failures:{typed}")


def forget_failures(typed: str) -> None:
    """A right PIN or password: the wrong tries before it no longer count."""
    limiter.storage.clear(f"sign-in-failures:{typed}")


def lift(person: User) -> None:
    """A trainer reset the PIN (the account's lock is lifted): the person's own ways in are no longer paused."""
    for typed in (f"code:{person.learner_code}", f"person:{person.id}", f"staff:{person.username}", f"staff:{person.email}"):
        forget_failures(typed)
        limiter.storage.clear(f"sign-in-paused:{typed}")
