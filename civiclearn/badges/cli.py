"""`flask badges ...`: the digital credentials' chores from the command line."""

import click
from flask.cli import with_appcontext

from civiclearn.audit.services import record
from civiclearn.badges import keys
from civiclearn.extensions import db


@click.group("badges", help="Digital credentials (Open Badges 3.0): the programme's signing key.")
def badges_cli() -> None:
    pass


@badges_cli.command("rotate-key")
@with_appcontext
def rotate_key_command() -> None:
    """Sign new credentials with a new key from now on; every older key stays published, so what it signed checks."""
    made = keys.rotate()
    record(None, "badges.key.rotate", "issuer_key", made.id, kid=made.kid)
    db.session.commit()
    click.echo(f"New signing key {made.kid}; {len(keys.public_keys())} keys published")
