"""People: registering learners, staff accounts, signing in (with lock-out), PINs and roles.

Functions flush and never commit; the request (or the CLI command) that calls them commits once.
"""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from civiclearn import codes
from civiclearn.accounts import pauses
from civiclearn.accounts.hashing import hash_secret, secret_matches
from civiclearn.accounts.models import ROLES, ExternalIdentity, RoleAssignment, User
from civiclearn.accounts.sessions import end_all_sessions
from civiclearn.audit.services import record, record_each
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.pins import broken_rules, learner_code_for

CODE_ATTEMPTS = 20
REPEAT_WINDOW = timedelta(minutes=10)  # how long a resent registration form still signs its learner in
STARTING_PIN_DIGITS = 6
# A starting PIN is handed over on paper and works only until the first sign-in, when the learner must
# choose their own; it is hashed at a lower scrypt cost (about 4 ms instead of 65 ms) so that a trainer
# registers a roster of 1,000 learners in seconds. Every PIN a learner chooses gets the full cost.
STARTING_PIN_HASH = "scrypt:2048:8:1"
# Checked when no account matches, so a wrong code takes as long as a wrong PIN.
_UNUSED_HASH = hash_secret("unused-pin")


class CodeSpaceExhausted(RuntimeError):
    """No free learner code was found; with 47 million codes this means something is broken."""


class RegistrationFormReused(ValueError):
    """The registration form was sent again long after it created an account."""


class AccountLocked(Exception):
    """Too many wrong PINs or passwords: the account waits until `until`."""

    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


def birth_year_from(typed: str | int | None, today: datetime | None = None) -> int | None:
    """A birth year as people write it in Thailand (Buddhist Era, 2510) or abroad (1967), as a
    Christian Era year; None if not given. ValueError if no living person could have been born then."""
    if typed is None or str(typed).strip() == "":
        return None
    text = codes.from_thai_keyboard(str(typed).strip())
    if not text.isascii() or not text.isdigit():
        raise ValueError(typed)
    year = int(text)
    year = year - 543 if year > 2400 else year  # Buddhist Era
    this_year = (today or utcnow()).year
    if not this_year - 120 <= year <= this_year:
        raise ValueError(typed)
    return year


def new_starting_pin(birth_year: int | None = None, learner_code: str | None = None) -> str:
    """A random PIN for a trainer to hand over; the learner replaces it at the first sign-in. Never one that
    civiclearn.pins refuses (about 1 random PIN in 400): it must be no easier to guess than a chosen one."""
    while True:
        pin = f"{secrets.randbelow(10 ** STARTING_PIN_DIGITS):0{STARTING_PIN_DIGITS}d}"
        if not broken_rules(pin, birth_year, learner_code):
            return pin


def _new_learner(display_name: str, pin: str, **fields) -> User:
    """Insert a learner with a fresh learner code, trying again if the code is taken. Flushes."""
    for _ in range(CODE_ATTEMPTS):
        learner = User(display_name=display_name, learner_code=learner_code_for(pin), pin_hash=hash_secret(pin),
                       **fields)
        try:
            with db.session.begin_nested():  # a clashing code (or a racing repeat) rolls back this insert only
                db.session.add(learner)
            return learner
        except IntegrityError:
            repeat = _registered_with(fields.get("registration_token"))
            if repeat:
                return repeat
    raise CodeSpaceExhausted


def register_learner(display_name: str, pin: str, locale: str | None = None, form_token: str | None = None,
                     birth_year: int | None = None, guardian_consented: bool = False) -> User:
    """A learner registering themselves, having agreed to what we keep. Flushes; the caller commits.

    The same form sent again (same `form_token`) returns the learner it created, so a double
    click never makes two accounts.
    """
    return _registered_with(form_token) or _new_learner(
        display_name, pin, locale=locale, registration_token=form_token, birth_year=birth_year,
        consented_at=utcnow(), guardian_consented=guardian_consented)


def _registered_with(form_token: str | None) -> User | None:
    if not form_token:
        return None
    learner = db.session.scalar(select(User).where(User.registration_token == form_token))
    if learner and utcnow() - learner.created_at > REPEAT_WINDOW:
        raise RegistrationFormReused(form_token)
    return learner


def add_learners(actor: User, people: list[dict]) -> list[tuple[User, str]]:
    """Learners a trainer registers, one or a whole roster, with their consent: each with a starting PIN
    to hand over (shown once, never stored). Each of `people` holds display_name, birth_year and gender.
    Flushes; the caller commits, so either all are registered or none."""
    pins = [new_starting_pin(person.get("birth_year")) for person in people]
    hashes = hash_starting_pins(pins)  # before writing: a short transaction
    now = utcnow()
    for _ in range(CODE_ATTEMPTS):
        learners = [User(learner_code=code, pin_hash=hashed, must_change_pin=True, consented_at=now, **person)
                    for person, code, hashed in zip(people, unused_codes(len(people)), hashes, strict=True)]
        try:
            with db.session.begin_nested():  # a code taken meanwhile by another request: try others
                db.session.add_all(learners)
            break
        except IntegrityError:
            continue
    else:
        raise CodeSpaceExhausted
    record_each(actor, "learner.add", "person", [learner.id for learner in learners])
    return list(zip(learners, pins, strict=True))


def hash_starting_pins(pins: list[str]) -> list[str]:
    """In threads, one per core: the hash lets them run at once (it releases the GIL)."""
    hash_one = partial(hash_secret, method=STARTING_PIN_HASH)
    if len(pins) < 2:
        return [hash_one(pin) for pin in pins]
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(hash_one, pins))


def unused_codes(count: int) -> list[str]:
    """`count` different learner codes that nobody has (one taken meanwhile fails the unique index)."""
    found: set[str] = set()
    for _ in range(CODE_ATTEMPTS):
        candidates = {codes.new_code() for _ in range(count - len(found))} - found
        taken = db.session.scalars(select(User.learner_code).where(User.learner_code.in_(candidates)))
        found |= candidates - set(taken)
        if len(found) == count:
            return list(found)
    raise CodeSpaceExhausted


def _check_secret(person: User | None, secret: str, hashed: str | None) -> bool:
    """Check a PIN or password; count failures, lock after SIGN_IN_LOCK_AFTER in a row. Flushes."""
    if person is None or hashed is None:
        secret_matches(_UNUSED_HASH, secret)
        return False
    now = utcnow()
    if person.locked_until and person.locked_until > now:
        raise AccountLocked(person.locked_until)
    if secret_matches(hashed, secret):
        person.failed_sign_ins, person.locked_until, person.last_sign_in_at = 0, None, now
        db.session.flush()
        return True
    # In SQL, so two wrong tries at the same moment both count.
    db.session.execute(update(User).where(User.id == person.id)
                       .values(failed_sign_ins=User.failed_sign_ins + 1).execution_options(synchronize_session=False))
    db.session.refresh(person)
    if person.failed_sign_ins >= current_app.config["SIGN_IN_LOCK_AFTER"]:
        lock(person, now)
        raise AccountLocked(person.locked_until)
    return False


def lock(person: User, now: datetime) -> None:
    """Too many wrong tries: nobody signs in for a while, and whoever is signed in as the person is signed out
    (a thief guessing on one screen must not keep a session opened on another). Flushes."""
    person.locked_until = now + timedelta(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"])
    person.failed_sign_ins = 0
    end_all_sessions(person)
    db.session.flush()


def authenticate(typed_code: str, pin: str) -> User | None:
    """The learner with this code and PIN, or None. Raises AccountLocked. Flushes (failures count)."""
    code = codes.normalise(typed_code)
    learner = db.session.scalar(select(User).where(User.learner_code == code)) if code else None
    return learner if _check_secret(learner, pin, learner.pin_hash if learner else None) else None


def authenticate_learner(learner: User, pin: str) -> bool:
    """A learner picked from a kiosk's name list, with their PIN. Raises AccountLocked. Flushes."""
    return _check_secret(learner, pin, learner.pin_hash)


def authenticate_staff(login: str, password: str) -> User | None:
    """The staff member with this username or email and password, or None. Raises AccountLocked."""
    login = (login or "").strip().lower()
    person = db.session.scalar(select(User).where((func.lower(User.username) == login) | (User.email == login))) \
        if login else None
    return person if _check_secret(person, password, person.password_hash if person else None) else None


def change_pin(learner: User, pin: str) -> None:
    """The learner's own new PIN; every session signed in with the old one ends. Flushes."""
    learner.pin_hash, learner.must_change_pin = hash_secret(pin), False
    end_all_sessions(learner)
    db.session.flush()


def change_password(person: User, current: str, password: str) -> bool:
    """A staff member's own new password, if `current` is their password (wrong ones count towards the lock);
    every session signed in with the old one ends. Raises AccountLocked. Flushes."""
    if not _check_secret(person, current, person.password_hash):
        return False
    person.password_hash = hash_secret(password)
    end_all_sessions(person)
    record(person, "password.change", "person", person.id)
    db.session.flush()
    return True


def reset_pin(actor: User, learner: User) -> str:
    """A trainer's reset: a new starting PIN (returned once, never stored), the lock lifted. Flushes."""
    pin = new_starting_pin(learner.birth_year, learner.learner_code)
    learner.pin_hash, learner.must_change_pin = hash_starting_pins([pin])[0], True
    learner.failed_sign_ins, learner.locked_until = 0, None
    pauses.lift(learner)
    end_all_sessions(learner)  # whoever holds an old session must not get to choose the new PIN
    record(actor, "pin.reset", "person", learner.id)
    return pin


def create_staff(actor: User | None, display_name: str, username: str, email: str | None, password: str) -> User:
    """A staff account (signs in with username or email and password). Flushes; IntegrityError if taken."""
    person = User(display_name=display_name, username=username.strip().lower(),
                  email=email.strip().lower() if email else None, password_hash=hash_secret(password),
                  consented_at=utcnow())
    db.session.add(person)
    db.session.flush()
    record(actor, "staff.create", "person", person.id, username=person.username)
    return person


def scope_of(role: str, centre_id: int | None = None, school_id: int | None = None,
             province: str | None = None, district: str | None = None) -> str:
    """The scope a role is held in, spelled out: what makes a role assignment unique."""
    if role == "trainer" and centre_id:
        return f"centre:{centre_id}"
    if role == "teacher" and school_id:
        return f"school:{school_id}"
    if role == "admin":
        if district and province:
            return f"district:{province}/{district}"
        return f"province:{province}" if province else "all"
    raise ValueError(f"a {role} needs a {'centre' if role == 'trainer' else 'school'}")


def grant_role(actor: User | None, person: User, role: str, centre_id: int | None = None,
               school_id: int | None = None, province: str | None = None, district: str | None = None) -> RoleAssignment:
    """Give `person` a role in a scope; giving it again changes nothing. Flushes."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    scope = scope_of(role, centre_id, school_id, province, district)
    existing = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.person_id == person.id, RoleAssignment.role == role, RoleAssignment.scope == scope))
    if existing:
        return existing
    assignment = RoleAssignment(person_id=person.id, role=role, scope=scope, centre_id=centre_id,
                                school_id=school_id, province=province if role == "admin" else None,
                                district=district if role == "admin" and province else None,
                                granted_by_id=getattr(actor, "id", None))
    db.session.add(assignment)
    db.session.flush()
    record(actor, "role.grant", "person", person.id, role=role, scope=scope)
    return assignment


def revoke_role(actor: User, assignment: RoleAssignment) -> None:
    """Take a role away; the person's sessions end, so no page opened with the role stays usable. Flushes."""
    record(actor, "role.revoke", "person", assignment.person_id, role=assignment.role, scope=assignment.scope)
    end_all_sessions(assignment.person)
    db.session.delete(assignment)
    db.session.flush()


def person_of_platform(issuer: str, subject: str, display_name: str, locale: str | None) -> User:
    """The person a learning platform (LMS) vouches for, found by its id for them, or added with no PIN, password
    or email: they sign in through their LMS only. Their name follows the LMS's. Flushes."""
    found = db.session.scalar(select(User).join(ExternalIdentity, ExternalIdentity.person_id == User.id)
                              .where(ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject))
    if found is None:
        try:
            with db.session.begin_nested():  # two first launches at once: the second finds the first's row
                found = User(display_name=display_name, locale=locale)
                db.session.add(found)
                db.session.flush()
                db.session.add(ExternalIdentity(person_id=found.id, issuer=issuer, subject=subject))
        except IntegrityError:
            return person_of_platform(issuer, subject, display_name, locale)
    elif found.display_name != display_name and found.anonymised_at is None:
        found.display_name = display_name
    return found
