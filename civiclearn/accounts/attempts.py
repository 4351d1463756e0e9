"""Wrong sign-in tries: what they pause, and what they count against.

Two rules, both counted in the rate-limit storage that every worker shares (the database, or Redis):

- Per what was typed (a learner code, a staff login, a name picked on a kiosk): after
  SIGN_IN_LOCK_AFTER wrong tries, signing in with it pauses for SIGN_IN_LOCK_MINUTES, whether or not
  an account has that code. So "paused" tells a stranger no more than "wrong code or PIN" does. The
  account itself locks at the same try (accounts.services), so every other way in is closed too.
- Per address or kiosk: SIGN_IN_ADDRESS_LIMIT wrong tries (300 in 5 minutes and 2,000 a day unless set).
  Only wrong tries count, so a lab of 150 learners behind one address signs in all morning.
"""

from collections.abc import Callable

from flask import current_app, g, request
from flask_babel import gettext as _

from civiclearn.accounts.models import User
from civiclearn.accounts.pauses import count_failure, forget_failures, pause, paused
from civiclearn.accounts.services import AccountLocked
from civiclearn.extensions import db, limiter


def try_sign_in(typed: str, check: Callable[[], User | None], wrong: str, paused_words: str) -> tuple[User | None, str]:
    """One try at signing in with `typed` (kind:value), checked by `check` unless paused: the person, or the
    message to show. Wrong tries count (pausing `typed` at the lock's count) and use up the address's allowance.

    Commits what `check` wrote (the account's count of wrong tries, its lock), before counting here: a wrong try
    must count even if the page fails later, and SQLite lets one connection write at a time."""
    if paused(typed):
        mark_failed()
        return None, paused_words
    try:
        person = check()
    except AccountLocked:  # locked another way in (a name picked on a kiosk), or at this very try
        person, locked = None, True
    else:
        locked = False
    db.session.commit()
    if person is not None:
        forget_failures(typed)
        return person, ""
    mark_failed()
    if locked:
        pause(typed)
        return None, paused_words
    return None, paused_words if count_failure(typed) else wrong


def mark_failed() -> None:
    """This request was a wrong try: it counts against the address's allowance (see failed_only)."""
    g.sign_in_failed = True


def failed_only(_response) -> bool:
    """Flask-Limiter's deduct_when: only wrong tries use up the address's allowance."""
    return g.get("sign_in_failed", False)


def address_limit() -> str:
    return current_app.config["SIGN_IN_ADDRESS_LIMIT"]


def kiosk_or_address() -> str:
    """Rate-limit key: the kiosk (a signed cookie) if this is one, else the address."""
    kiosk = getattr(request, "kiosk", None)
    return f"kiosk:{kiosk.id}" if kiosk else f"address:{request.remote_addr}"


def paused_message(help_from: str) -> str:
    """The same words whether or not an account has the code, and without a time that would tell them apart."""
    return _("Too many wrong tries: signing in this way is paused for %(minutes)d minutes. %(help)s",
             minutes=current_app.config["SIGN_IN_LOCK_MINUTES"], help=help_from)


def address_failures_limit(key_func=kiosk_or_address):
    """The per-address limit on wrong tries, for a sign-in view (POSTs only)."""
    return limiter.limit(address_limit, key_func=key_func, methods=["POST"], deduct_when=failed_only)
