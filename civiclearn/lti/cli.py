"""`flask lti ...`: the LMS plugin's chores from the command line (or a timer)."""

import click
from flask.cli import with_appcontext

from civiclearn.extensions import db
from civiclearn.lti import grades, platforms


@click.group("lti", help="The LMS plugin (LTI 1.3): grade sends and our signing key.")
def lti_cli() -> None:
    pass


@lti_cli.command("send-grades")
@with_appcontext
def send_grades_command() -> None:
    """Send the scores whose retry time has come (run it from a timer: a restart may lose a pending retry)."""
    click.echo(f"{grades.send_due()} scores tried")


@lti_cli.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Sign with a new key from now on; the old one stays published for an hour."""
    kid = platforms.rotate_key(None)
    db.session.commit()
    click.echo(f"New signing key {kid}")
