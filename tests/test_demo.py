"""`flask demo seed`: the demo accounts work, and seeding again changes nothing."""

import re

from sqlalchemy import func, select

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.centres.models import Enrolment
from civiclearn.extensions import db
from tests.helpers import submit, visible_text


def counts(app) -> tuple:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (User, RoleAssignment, Enrolment))


def test_the_demo_can_be_seeded_twice_and_its_accounts_sign_in(app, runner, sample, tmp_path, client):
    app.instance_path = str(tmp_path)  # the made-up passwords are kept here
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    before = counts(app)
    second = runner.invoke(args=["demo", "seed"])
    assert counts(app) == before == (7, 3, 4)
    assert first.output == second.output  # the same passwords, read back from the instance folder
    assert (tmp_path / "demo-accounts.txt").stat().st_mode & 0o077 == 0

    assert submit(client, "/sign-in", {"code": "CAT-347", "pin": "2580"}).status_code == 303
    assert "สมศรี (ตัวอย่าง)" in visible_text(client.get("/").get_data(as_text=True))
    submit(client, "/", {}, action="/sign-out")
    password = re.search(r"trainer\s+username demo-trainer\s+password '([^']+)'", first.output).group(1)
    assert submit(client, "/staff/sign-in", {"login": "demo-trainer", "password": password}).status_code == 303
    assert "ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง" in visible_text(client.get("/staff").get_data(as_text=True))
