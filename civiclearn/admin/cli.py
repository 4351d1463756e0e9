"""`flask people create-admin`: the first admin account (or any other), made on the server."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from civiclearn.accounts.forms import StaffAccountForm
from civiclearn.accounts.services import grant_role
from civiclearn.admin import services
from civiclearn.extensions import db

people_cli = AppGroup("people", help="Staff accounts.")


def checked_account(name: str, username: str, email: str | None, password: str) -> tuple[dict, list[str]]:
    """The details as the staff account form tidies them, and what it says is wrong, in English (an
    operator's tool)."""
    with current_app.test_request_context(), force_locale("en"):
        form = StaffAccountForm(formdata=MultiDict({"display_name": name, "username": username, "email": email or "",
                                                    "password": password}), meta={"csrf": False})
        form.validate()
        return form.data, [f"{form[field].label.text}: {error}" for field, errors in form.errors.items()
                           for error in errors]


@people_cli.command("create-admin")
@click.argument("username")
@click.option("--name", required=True, help="The name pages show for this person.")
@click.option("--email", help="Another way to sign in (optional).")
@click.option("--province", help="Admin of this province only (default: of everything).")
@click.option("--district", help="Admin of this district of --province only.")
def create_admin(username: str, name: str, email: str | None, province: str | None, district: str | None) -> None:
    """Create a staff account USERNAME that administers everything, or a province or a district of it."""
    if district and not province:
        raise click.UsageError("--district needs --province: the same district name exists in several provinces.")
    password = click.prompt("Password (at least 12 characters)", hide_input=True, confirmation_prompt=True)
    account, problems = checked_account(name, username, email, password)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    try:
        person = services.create_staff(None, account["display_name"], account["username"], account["email"],
                                       password)
    except services.AccountTaken as error:
        click.echo(f"Another account already uses this {error.field}.", err=True)
        sys.exit(1)
    province, district = (" ".join(place.split()) if place else None for place in (province, district))
    grant_role(None, person, "admin", province=province, district=district)
    db.session.commit()
    area = (f"the district {district} of {province}" if district else f"the province {province}" if province
            else "everything")
    click.echo(f"Admin account {person.username} created; it administers {area}.")
    click.echo(f"Sign in at /staff/sign-in (for example http://127.0.0.1:5000/staff/sign-in) "
               f"with the username {person.username} and the password you typed.")
