"""`flask lti ...`: the LMS plugin's chores from the command line (or a timer)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from civiclearn.config import LANGUAGES
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.lti import cartridge as cartridges
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


@lti_cli.command("cartridge")
@click.argument("course_key")
@click.option("--language", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True,
              help="The language of the titles and descriptions.")
@click.option("--flavour", type=click.Choice(list(cartridges.FLAVOURS)), default="1.1", show_default=True,
              help="1.1 for Moodle and Blackboard, thin-1.3 for Canvas.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: <course>-<language>-<flavour>.imscc here).")
@with_appcontext
def cartridge_command(course_key: str, language: str, flavour: str, output: Path | None) -> None:
    """Write the course COURSE_KEY as a Common Cartridge: one LTI link per module, for an LMS to import."""
    course = catalogue().course(course_key)
    if course is None:
        click.echo(f"no course {course_key!r} is being served", err=True)
        sys.exit(1)
    with current_app.test_request_context():  # our URLs come from CIVICLEARN_PUBLIC_URL, not from a request
        data = cartridges.cartridge(course, language, flavour)
    path = output or Path(cartridges.filename(course, language, flavour))
    path.write_bytes(data)
    click.echo(f"{path}: {len(course.modules)} modules as LTI links ({flavour}, {language})")
