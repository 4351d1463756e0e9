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


def test_the_demo_data_walks_through_journeys_4_and_6(app, runner, load_courses, tmp_path, client):
    """With the shipped courses: the ceremony cohort's certificates print from one PDF and their codes check as
    valid, replaced and revoked; the trainer confirms Preecha's last session and mentee and endorses him."""
    load_courses()
    app.instance_path = str(tmp_path)
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    before = counts(app)
    assert runner.invoke(args=["demo", "seed"]).output == seeded.output and counts(app) == before

    for status, words in (("valid", "This certificate is valid"), ("replaced", "This certificate was replaced"),
                          ("revoked", "This certificate was revoked")):
        code = re.search(rf"check a {status}.*?/v/(\w+)", seeded.output).group(1)
        assert words in visible_text(english(app.test_client()).get(f"/v/{code}").get_data(as_text=True))

    password = re.search(r"demo-trainer\s+password '([^']+)'", seeded.output).group(1)
    assert submit(client, "/staff/sign-in", {"login": "demo-trainer", "password": password}).status_code == 303
    english(client)
    ceremony = re.search(r"http://127\.0\.0\.1:5000(/cohorts/\d+/certificates\?course=[\w-]+)", seeded.output).group(1)
    assert "Finished every module, so they get a certificate: 5 of 8." in visible_text(
        client.get(ceremony).get_data(as_text=True))
    batch = submit(client, ceremony, {}, form_id="issue-form").headers["Location"]
    assert "5 certificates are ready." in visible_text(client.get(batch).get_data(as_text=True))
    with client.get(f"{batch}/certificates.pdf") as printed:
        assert printed.status_code == 200 and printed.data.startswith(b"%PDF")

    leaders_page = re.search(r"http://127\.0\.0\.1:5000(/centres/\d+/leaders)", seeded.output).group(1)
    for kind in ("sessions", "mentees"):
        [action] = re.findall(rf'action="({leaders_page}/{kind}/\d+)"', client.get(leaders_page).get_data(as_text=True))
        assert submit(client, leaders_page, {"decision": "confirm"}, action=action).status_code == 303
    [endorse] = re.findall(rf'action="({leaders_page}/\d+/endorse)"', client.get(leaders_page).get_data(as_text=True))
    done = submit(client, leaders_page, {}, action=endorse)
    assert "is a Digital Citizen Leader" in visible_text(client.get(done.headers["Location"]).get_data(as_text=True))

    leader = app.test_client()
    assert submit(leader, "/sign-in", {"code": "PRE-379", "pin": "2580"}).status_code == 303
    english(leader)
    assert "Digital Citizen Leader" in visible_text(leader.get("/me/leader").get_data(as_text=True))


def english(client):
    submit(client, "/", {"lang": "en"}, action="/language")
    return client


def test_the_demo_data_shows_a_cohort_a_class_and_the_programme_in_the_reports(app, runner, load_courses, tmp_path,
                                                                              client):
    """Journeys 3, 5 and 7 on the seeded data: learners who need help, a class with late and stuck students,
    and a programme overview with two provinces."""
    load_courses()
    app.instance_path = str(tmp_path)
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    passwords = dict(re.findall(r"username (demo-\w+)\s+password '([^']+)'", seeded.output))

    def staff(username):
        browser = app.test_client()
        assert submit(browser, "/staff/sign-in", {"login": username, "password": passwords[username]}).status_code == 303
        return english(browser)

    trainer = staff("demo-trainer")
    centre = re.search(r"/centres/(\d+)/leaders", seeded.output).group(1)
    text = visible_text(trainer.get(f"/centres/{centre}/dashboard?course=digital-citizen&show=needs-help")
                        .get_data(as_text=True))
    assert text.count("Failed the quiz of") >= 3 and "No activity for 21 days" in text

    teacher = staff("demo-teacher")
    with app.app_context():
        from civiclearn.schools.models import SchoolClass
        class_id = db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == "KEM347"))
    report = visible_text(teacher.get(f"/classes/{class_id}/report").get_data(as_text=True))
    assert "Late" in report and "Stuck" in report and "Done" in report

    overview = visible_text(staff("demo-admin").get("/overview?by=province").get_data(as_text=True))
    assert "เชียงใหม่" in overview and "ขอนแก่น" in overview
