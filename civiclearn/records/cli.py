"""`flask records send`: forward the waiting xAPI statements now (a centre back online, a timer)."""

import click
from flask.cli import with_appcontext

from civiclearn.records import services


@click.group("records", help="Learning records (xAPI) for a Learning Record Store.")
def records_cli() -> None:
    pass


@records_cli.command("send")
@with_appcontext
def send_command() -> None:
    """Send the statements whose time has come to the LRS (CIVICLEARN_XAPI_LRS_URL)."""
    if not services.enabled():
        raise click.UsageError("CIVICLEARN_XAPI_LRS_URL is not set: no learning records are kept.")
    click.echo(f"{services.send_waiting()} statements sent")
