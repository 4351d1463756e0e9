"""`flask demo seed` and `flask demo remove`, and what they print.

When the demo is added it says so loudly (a banner), with where to sign in and how to remove it. Every
address printed starts with PUBLIC_URL, the address the certificates' QR codes carry too (`make run` sets it to
the address it serves on when CIVICLEARN_PUBLIC_URL is not given).
"""

import shutil

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import exists, or_, select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.certificates.models import Certificate
from civiclearn.demo.comments import run_themes
from civiclearn.demo.models import STATE_ID, DemoState
from civiclearn.demo.removal import remove_demo
from civiclearn.demo.seed import (
    CEREMONY_COHORT,
    CEREMONY_COURSE,
    CEREMONY_LEARNERS,
    CLASS_CODE,
    DEMO_CENTRE,
    DEMO_LEARNERS,
    DEMO_PIN,
    DEMO_STAFF,
    LEADER,
    REVOKED,
    add_demo,
    stored_passwords,
)
from civiclearn.extensions import db
from civiclearn.schools.models import School

demo_cli = AppGroup("demo", help="Demo data for trying CivicLearn out (never counted; `remove` takes it all out).")

FLASK = ".venv/bin/flask --app wsgi"
RULE = "=" * 78


def is_new_database() -> bool:
    """A new, empty database: no person, centre or school, and the demo never added (nor removed) before.
    Loaded courses do not count: `make run` loads them first."""
    return db.session.get(DemoState, STATE_ID) is None and not db.session.scalar(select(or_(
        exists(select(User.id)), exists(select(Centre.id)), exists(select(School.id)))))


@demo_cli.command("seed")
@click.option("--if-new", is_flag=True,
              help="Only into a new, empty database (no people, centres or schools; what `make run` does).")
@click.option("--again", is_flag=True, help="Add the demo again although it was removed before.")
def seed(if_new: bool, again: bool) -> None:
    """Add the demo centre, school and accounts (once per database) and print how to sign in."""
    state = db.session.get(DemoState, STATE_ID)
    if if_new and not is_new_database():
        if state is not None and state.present:
            click.echo(f"This database holds the demo data (added {state.seeded_at:%Y-%m-%d}): `make demo` prints "
                       f"its accounts; `{FLASK} demo remove` removes it.")
        return
    if state is not None and state.present:
        click.echo(f"The demo data is already here (added {state.seeded_at:%Y-%m-%d}): nothing added.")
    elif state is not None and not again:
        raise click.ClickException(
            f"The demo data was removed from this database on {state.removed_at:%Y-%m-%d}, so it is not added "
            f"again. To add it anyway: {FLASK} demo seed --again")
    else:
        add_demo()
        db.session.commit()
        run_themes()
        _banner()
    _echo_accounts()


def _banner() -> None:
    click.echo("\n".join((
        RULE,
        "DEMO DATA ADDED: a demo centre, school, learners (PIN " + DEMO_PIN + ") and staff accounts, one of them",
        "an admin of everything, for trying CivicLearn out. It is never counted in the overview or the open",
        f"data. Before real use, remove it all with `{FLASK} demo remove`:",
        "it is not added again after that (`make run` adds it only to a new, empty database).",
        RULE,
    )))


def _echo_accounts() -> None:
    """Where to sign in and with what, then where journeys 4 and 6 start."""
    url = current_app.config["PUBLIC_URL"]
    demo = {person.learner_code: person for person in db.session.scalars(
        select(User).where(User.is_demo, User.learner_code.in_([learner.code for learner in DEMO_LEARNERS])))}
    click.echo(f"Demo learners - sign in at {url}/sign-in with a learner code and PIN:")
    for learner in DEMO_LEARNERS:
        if learner.code in demo:
            click.echo(f"  code {codes.display(learner.code)}  PIN {DEMO_PIN}  {demo[learner.code].display_name}")
    passwords = stored_passwords()
    click.echo(f"Demo staff - sign in at {url}/staff/sign-in (passwords kept in instance/demo-accounts.txt):")
    for username, _name, role in DEMO_STAFF:
        click.echo(f"  {role:8} username {username}  password '{passwords.get(username, '?')}'")
    click.echo(f"Students join the demo class ม.2/1 with the class code {codes.display(CLASS_CODE)}.")
    _echo_certificates(url)


def _demo_learner(code: str) -> User | None:
    return db.session.scalar(select(User).where(User.learner_code == code, User.is_demo))


def _echo_certificates(url: str) -> None:
    """Where journeys 4 and 6 start, and certificate codes to check at /v (valid, replaced, revoked)."""
    centre = db.session.scalar(select(Centre).where(Centre.name_en == DEMO_CENTRE, Centre.is_demo))
    if centre is None:
        return
    cohort = db.session.scalar(select(Cohort).where(Cohort.centre_id == centre.id, Cohort.name == CEREMONY_COHORT))
    if cohort is not None:
        click.echo(f"Certificates (journey 4): as demo-trainer, print cohort {CEREMONY_COHORT}'s at "
                   f"{url}/cohorts/{cohort.id}/certificates?course={CEREMONY_COURSE}")
        for label, code in (("valid", CEREMONY_LEARNERS[1][0]), ("replaced (name corrected)", CEREMONY_LEARNERS[0][0]),
                            ("revoked", REVOKED[0])):
            person = _demo_learner(code)
            first = person and db.session.scalar(select(Certificate.code).where(Certificate.person_id == person.id)
                                                 .order_by(Certificate.id).limit(1))
            if first:
                click.echo(f"  check a {label} certificate: {url}/v/{first}")
    if _demo_learner(LEADER[0]) is not None:
        click.echo(f"Leader (journey 6): {LEADER[1]} signs in with code {codes.display(LEADER[0])} and PIN {DEMO_PIN} "
                   "(My leader pathway); demo-trainer confirms his last session and mentee and endorses him at "
                   f"{url}/centres/{centre.id}/leaders")


@demo_cli.command("remove")
def remove() -> None:
    """Remove every demo person, centre and school and everything that hangs on them, in one transaction."""
    removal = remove_demo()
    db.session.commit()
    for path in removal.files:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if not removal.rows:
        click.echo("No demo data in this database: nothing removed. `make run` will not add it.")
        return
    click.echo("Demo data removed (rows by table); `make run` will not add it again:")
    for table, count in sorted(removal.rows.items()):
        click.echo(f"  {table:20} {count}")
