"""`flask people create-admin`, as an operator runs it on the server."""

import pytest
from sqlalchemy import select

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.extensions import db
from tests.admin.conftest import CHIANG_MAI
from tests.helpers import submit

PASSWORD = "rice field morning bicycle"


def scopes(app, username: str) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(RoleAssignment.scope).join(User, User.id == RoleAssignment.person_id)
                                  .where(User.username == username, RoleAssignment.role == "admin")).all()


def test_an_admin_of_everything_is_created_and_signs_in(app, runner, client):
    result = runner.invoke(args=["people", "create-admin", "Somchai", "--name", "  Somchai   Admin ",
                                 "--email", "Somchai@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Admin account somchai created; it administers everything." in result.stdout
    assert "/staff/sign-in" in result.stdout and PASSWORD not in result.output
    assert scopes(app, "somchai") == ["all"]
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "somchai"))
        assert (person.display_name, person.email) == ("Somchai Admin", "somchai@example.org")
    assert submit(client, "/staff/sign-in", {"login": "somchai", "password": PASSWORD}).status_code == 303
    assert client.get("/admin/centres").status_code == 200


@pytest.mark.parametrize(("options", "scope"), [
    (["--province", CHIANG_MAI], f"province:{CHIANG_MAI}"),
    (["--province", CHIANG_MAI, "--district", "แม่ริม"], f"district:{CHIANG_MAI}/แม่ริม"),
])
def test_an_admin_of_a_province_or_district(app, runner, options, scope):
    result = runner.invoke(args=["people", "create-admin", "kanya", "--name", "Kanya", *options],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert scopes(app, "kanya") == [scope]


def test_the_password_is_typed_twice(app, runner):
    result = runner.invoke(args=["people", "create-admin", "kanya", "--name", "Kanya"],
                           input=f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert scopes(app, "kanya") == ["all"]


@pytest.mark.parametrize(("args", "password", "message"), [
    (["kanya"], "short", "Password: Use at least 12 characters, not a common password."),
    (["Kanya Admin"], PASSWORD, "Username: 3 to 60 letters a-z, digits, dots, dashes or underscores."),
    (["kanya", "--email", "kanya"], PASSWORD, "Email (optional): Check the email address."),
])
def test_details_are_checked_like_the_staff_account_form(app, runner, args, password, message):
    result = runner.invoke(args=["people", "create-admin", *args, "--name", "Kanya"], input=f"{password}\n{password}\n")
    assert result.exit_code == 1
    assert message in result.stderr
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_taken_username_is_refused(app, runner, make_staff):
    make_staff(None, username="kanya")
    result = runner.invoke(args=["people", "create-admin", "KANYA", "--name", "Kanya"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 1
    assert "Another account already uses this username." in result.stderr
    assert scopes(app, "kanya") == []


def test_a_district_needs_its_province(runner):
    result = runner.invoke(args=["people", "create-admin", "kanya", "--name", "Kanya", "--district", "แม่ริม"])
    assert result.exit_code == 2
    assert "--district needs --province" in result.stderr
