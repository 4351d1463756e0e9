"""The demo data: added only when asked, or by `make run` into a new, empty database; marked, added once, not
brought back after `flask demo remove`, which leaves nothing of it; the journeys walk on it; and no production
start adds it."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates import batches
from civiclearn.certificates.models import CertificateBatch
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue
from civiclearn.courses.store import load_courses as load
from civiclearn.demo.removal import AUDIT_SUBJECTS
from civiclearn.demo.seed import CEREMONY_COURSE, DEMO_PIN
from civiclearn.extensions import db, migrations
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.feedback.services import answer
from civiclearn.pins import broken_rules
from civiclearn.schools.models import School
from tests.helpers import decoded_qr_codes, record_finished, say_yes, submit, visible_text

MARKED = ("person", "centre", "school")  # the tables whose rows say whether they are the demo's
PUBLIC_URL = "https://learn.example.go.th"


@pytest.fixture
def demo(app, runner, tmp_path):
    """`flask demo <command> <args>`, expecting `code` as its exit code; returns what it printed. The staff
    passwords it makes are kept in the test's folder."""
    app.instance_path = str(tmp_path)

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(args=["demo", *args])
        assert result.exit_code == code, result.output
        return result.output
    return run


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order (the demo's state aside)."""
    with app.app_context():
        return {table.name: sorted(map(tuple, db.session.execute(select(table))), key=repr)
                for table in db.metadata.sorted_tables if table.name != "demo_state"}


def demo_ids(app) -> dict[str, set[int]]:
    """The ids of the rows marked as the demo's, by table."""
    with app.app_context():
        return {name: set(db.session.scalars(select(db.metadata.tables[name].c.id)
                                             .where(db.metadata.tables[name].c.is_demo))) for name in MARKED}


def references(app, ids: dict[str, set[int]]) -> set[str]:
    """Every table.column holding one of `ids` (by the table it points to): foreign keys, and audit subjects."""
    found = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for key in table.foreign_keys:
                targets = ids.get(key.column.table.name)
                counted = select(func.count()).select_from(table).where(key.parent.in_(targets or []))
                if targets and db.session.scalar(counted):
                    found.add(f"{table.name}.{key.parent.name}")
        for kind, name in AUDIT_SUBJECTS.items():
            if db.session.scalar(select(func.count(AuditEvent.id)).where(
                    AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids.get(name, set())))):
                found.add(f"audit_event.subject {kind}")
    return found


# Added when asked, once

def test_the_demo_says_it_was_added_and_its_accounts_sign_in(app, demo, sample, tmp_path, client):
    added = demo("seed")
    assert "DEMO DATA ADDED" in added and "flask --app wsgi demo remove" in added
    assert (tmp_path / "demo-accounts.txt").stat().st_mode & 0o077 == 0

    assert submit(client, "/sign-in", {"code": "CAT-347", "pin": DEMO_PIN}).status_code == 303
    assert "สมศรี (ตัวอย่าง)" in visible_text(client.get("/").get_data(as_text=True))
    submit(client, "/", {}, action="/sign-out")
    password = re.search(r"trainer\s+username demo-trainer\s+password '([^']+)'", added).group(1)
    assert submit(client, "/staff/sign-in", {"login": "demo-trainer", "password": password}).status_code == 303
    assert "ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง" in visible_text(client.get("/staff").get_data(as_text=True))


def test_seeding_again_adds_nothing_and_gives_no_removed_role_back(app, demo, sample):
    """An operator took demo-admin's role (admin of everything) away: seeding again must not give it back."""
    first = demo("seed")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "demo-admin"))
        accounts.revoke_role(None, admin.roles[0])
        db.session.commit()
    before = snapshot(app)
    again = demo("seed")
    assert "already here" in again and "DEMO DATA ADDED" not in again
    assert snapshot(app) == before
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "demo-admin")).roles == []
    accounts_of = re.compile(r"Demo learners.*", re.S)
    assert accounts_of.search(again).group(0) == accounts_of.search(first).group(0)  # same hints, same passwords


def test_after_removal_the_demo_comes_back_only_when_asked_again(app, demo, sample):
    demo("seed")
    demo("remove")
    removed = snapshot(app)
    refused = demo("seed", code=1)
    assert "was removed" in refused and "demo seed --again" in refused
    assert demo("seed", "--if-new") == ""  # `make run` does not add it again either
    assert snapshot(app) == removed
    assert "DEMO DATA ADDED" in demo("seed", "--again")
    assert demo_ids(app)["person"]


def test_make_run_adds_the_demo_to_a_new_empty_database_once(app, demo, sample):
    """Courses loaded, nobody and nothing else: `make run` adds the demo and says so; the next run only says it
    is there."""
    added = demo("seed", "--if-new")
    assert added.startswith("=" * 78 + "\nDEMO DATA ADDED")
    before = snapshot(app)
    assert demo("seed", "--if-new").startswith("This database holds the demo data")
    assert snapshot(app) == before


@pytest.mark.parametrize("real", ["learner", "centre", "school"])
def test_make_run_adds_nothing_to_a_database_with_anything_real_in_it(app, demo, sample, request, real):
    request.getfixturevalue(f"make_{real}")()
    before = snapshot(app)
    assert demo("seed", "--if-new") == ""
    assert snapshot(app) == before


def test_removing_from_a_database_that_never_had_the_demo_keeps_make_run_from_adding_it(app, demo, sample):
    assert "nothing removed" in demo("remove")
    assert demo("seed", "--if-new") == ""
    assert demo_ids(app) == {name: set() for name in MARKED}


# Removed completely

@pytest.fixture
def real_world(app, sample, make_centre, make_cohort, enrol, make_learner, make_school, make_staff):
    """Real data made before the demo: a centre with a learner who finished the course, has a certificate and
    rated a module; a school; a trainer. Returns their ids."""
    centre = make_centre()
    learner = make_learner("ผู้เรียนจริง").id
    enrol(learner, make_cohort(centre))
    record_finished(app, learner, sample.modules)
    with app.app_context():
        from civiclearn.certificates import services as certificates
        certificates.issue_if_course_complete(db.session.get(User, learner), sample)
        db.session.add(ModuleFeedback(person_id=learner, module_id=sample.modules[0].id, rating=4, comment="ดีค่ะ",
                                      language="th"))
        db.session.commit()
    trainer = make_staff("trainer", centre_id=centre).id
    return {"centre": centre, "learner": learner, "school": make_school(), "trainer": trainer}


def test_removing_the_demo_leaves_nothing_of_it_and_real_data_as_it_was(app, demo, load_courses, real_world, tmp_path):
    load_courses()
    before_demo = snapshot(app)
    demo("seed")
    ids = demo_ids(app)
    with app.app_context():  # everything the demo made is marked; the real rows are not
        assert {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name])
                                        .where(~db.metadata.tables[name].c.is_demo)) for name in MARKED} \
            == {"person": 2, "centre": 1, "school": 1}
        learners = db.session.execute(select(User.learner_code, User.birth_year)
                                      .where(User.is_demo, User.learner_code.is_not(None))).all()
    # The demo PIN is not 2580 (a keypad column) nor any other guess a thief tries first, for any demo learner.
    assert len(learners) > 50 and [code for code, born in learners if broken_rules(DEMO_PIN, born, code)] == []
    batch_files = touch_the_demo(app, real_world)
    assert {"enrolment.person_id", "lesson_progress.user_id", "quiz_attempt.user_id", "certificate.person_id",
            "certificate.centre_id", "role_assignment.person_id", "role_assignment.centre_id", "class_member.person_id",
            "module_feedback.person_id", "mentee.mentee_id", "practicum_session.centre_id", "cohort.centre_id",
            "school_class.school_id", "audit_event.actor_id", "audit_event.subject person", "civic_action.person_id",
            "civic_action.logged_by_id"} <= references(app, ids)

    removed = demo("remove")
    assert re.search(rf"person\s+{len(ids['person'])}\n", removed) and re.search(r"centre\s+2\n", removed), removed
    assert references(app, ids) == set() and demo_ids(app) == {name: set() for name in MARKED}
    assert not batch_files.exists() and not (tmp_path / "demo-accounts.txt").exists()

    after = snapshot(app)
    changed = {"role_assignment", "module_feedback", "audit_event"}
    assert {name: rows for name, rows in after.items() if name not in changed} \
        == {name: rows for name, rows in before_demo.items() if name not in changed}
    assert_real_rows_kept(app, real_world)
    assert "nothing removed" in demo("remove")
    assert snapshot(app) == after


def touch_the_demo(app, real) -> Path:
    """Real rows and demo rows meeting: the real learner also in a demo cohort, the real trainer also at the demo
    centre, demo-admin granting the real trainer a role, demo-trainer answering the real learner's feedback, and
    a certificate batch of a demo cohort with its files (returns their folder)."""
    with app.app_context():
        centre = db.session.scalar(select(Centre).where(Centre.is_demo).order_by(Centre.id))
        cohort = db.session.scalar(select(Cohort).where(Cohort.centre_id == centre.id).order_by(Cohort.id))
        db.session.add(Enrolment(person_id=real["learner"], cohort_id=cohort.id))
        trainer = db.session.get(User, real["trainer"])
        accounts.grant_role(None, trainer, "trainer", centre_id=centre.id)
        demo_admin = db.session.scalar(select(User).where(User.username == "demo-admin"))
        accounts.grant_role(demo_admin, trainer, "teacher", school_id=real["school"])
        demo_trainer = db.session.scalar(select(User).where(User.username == "demo-trainer"))
        feedback = db.session.scalar(select(ModuleFeedback).where(ModuleFeedback.person_id == real["learner"]))
        answer(demo_trainer, feedback, "ขอบคุณค่ะ")
        batch = CertificateBatch(cohort_id=cohort.id, course_id=catalogue().course("getting-started").id,
                                 requested_by_id=demo_trainer.id)
        db.session.add(batch)
        db.session.commit()
        files = batches.folder(batch)
        files.mkdir(parents=True)
        (files / "certificates.pdf").write_bytes(b"%PDF")
        return files


def assert_real_rows_kept(app, real) -> None:
    """The role demo-admin granted and the answer demo-trainer gave stay, without saying who; the real trainer's
    role at the demo centre went with it; the audit log keeps the grant and the answer about real people."""
    with app.app_context():
        trainer = db.session.get(User, real["trainer"])
        roles = sorted((role.role, role.granted_by_id) for role in trainer.roles)
        assert roles == [("teacher", None), ("trainer", None)]
        feedback = db.session.scalar(select(ModuleFeedback).where(ModuleFeedback.person_id == real["learner"]))
        assert (feedback.reply, feedback.replied_by_id) == ("ขอบคุณค่ะ", None)
        kept = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.subject_type == "person", AuditEvent.subject_id.in_([real["trainer"], real["learner"]]),
            AuditEvent.action.in_(["role.grant", "feedback.answer"]))).all()
        assert sorted(kept) == [("feedback.answer", None)] + [("role.grant", None)] * 3  # by nobody, nobody, demo-admin


# Walking the journeys

def english(client):
    submit(client, "/", {"lang": "en"}, action="/language")
    return client


def address(app, output: str, pattern: str) -> str:
    """The path of the address printed that matches `pattern`, after the public URL."""
    return re.search(re.escape(app.config["PUBLIC_URL"]) + f"({pattern})", output).group(1)


def test_the_demo_data_walks_through_journeys_4_and_6(app, demo, load_courses, client):
    """With the shipped courses: the ceremony cohort's certificates print from one PDF and their codes check as
    valid, replaced and revoked; the trainer confirms Preecha's last session and mentee and endorses him."""
    load_courses()
    seeded = demo("seed")

    for status, words in (("valid", "This certificate is valid"), ("replaced", "This certificate was replaced"),
                          ("revoked", "This certificate was revoked")):
        code = re.search(rf"check a {status}.*?/v/(\w+)", seeded).group(1)
        assert words in visible_text(english(app.test_client()).get(f"/v/{code}").get_data(as_text=True))

    password = re.search(r"demo-trainer\s+password '([^']+)'", seeded).group(1)
    assert submit(client, "/staff/sign-in", {"login": "demo-trainer", "password": password}).status_code == 303
    english(client)
    ceremony = address(app, seeded, r"/cohorts/\d+/certificates\?course=[\w-]+")
    for page in (ceremony, ceremony.split("?")[0]):  # without ?course=, the course the cohort studied: the same
        assert "Finished every module, so they get a certificate: 5 of 8." in visible_text(
            client.get(page).get_data(as_text=True))
    batch = submit(client, ceremony, {}, form_id="issue-form").headers["Location"]
    assert "5 certificates are ready." in visible_text(client.get(batch).get_data(as_text=True))
    with client.get(f"{batch}/certificates.pdf") as printed:
        assert printed.status_code == 200 and printed.data.startswith(b"%PDF")

    leaders_page = address(app, seeded, r"/centres/\d+/leaders")
    for kind in ("sessions", "mentees"):
        [action] = re.findall(rf'action="({leaders_page}/{kind}/\d+)"', client.get(leaders_page).get_data(as_text=True))
        assert submit(client, leaders_page, {"decision": "confirm"}, action=action).status_code == 303
    [endorse] = re.findall(rf'action="({leaders_page}/\d+/endorse)"', client.get(leaders_page).get_data(as_text=True))
    asked = submit(client, leaders_page, {}, action=endorse)
    done = say_yes(client, asked, "as a Digital Citizen Leader?", "Yes, endorse", f"{leaders_page}#leaders")
    assert "is a Digital Citizen Leader" in visible_text(client.get(done.headers["Location"]).get_data(as_text=True))

    leader = app.test_client()
    assert submit(leader, "/sign-in", {"code": "PRE-379", "pin": DEMO_PIN}).status_code == 303
    english(leader)
    assert "Digital Citizen Leader" in visible_text(leader.get("/me/leader").get_data(as_text=True))


def test_the_demo_data_shows_a_cohort_a_class_and_the_programme_in_the_reports(app, demo, load_courses):
    """Journeys 3, 5 and 7 on the seeded data: learners who need help and the civic actions some logged, a class with
    late and stuck students, and the programme overview, which leaves all of it out (journey 7 needs real centres)."""
    load_courses()
    seeded = demo("seed")
    passwords = dict(re.findall(r"username (demo-\w+)\s+password '([^']+)'", seeded))

    def staff(username):
        browser = app.test_client()
        signed_in = submit(browser, "/staff/sign-in", {"login": username, "password": passwords[username]})
        assert signed_in.status_code == 303
        return english(browser)

    trainer = staff("demo-trainer")
    centre = re.search(r"/centres/(\d+)/leaders", seeded).group(1)
    text = visible_text(trainer.get(f"/centres/{centre}/dashboard?show=needs-help").get_data(as_text=True))
    assert "Dashboard: Digital citizen" in text  # the course the centre's learners studied last
    assert text.count("Failed the M2 quiz 2 times") >= 3 and "No activity for 21 days" in text
    themes = trainer.get("/staff/themes").get_data(as_text=True)  # run once by the seeding, no job needed
    assert "Done" in visible_text(themes) and themes.count('class="card theme"') >= 4
    assert "ผู้ให้ความเห็น" not in themes and "Commenter" not in themes  # comments, never their writers

    teacher = staff("demo-teacher")
    with app.app_context():
        from civiclearn.schools.models import SchoolClass
        class_id = db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == "KEM347"))
    report = visible_text(teacher.get(f"/classes/{class_id}/report").get_data(as_text=True))
    assert "Late" in report and "Stuck" in report and "Done" in report

    actions = visible_text(trainer.get(f"/centres/{centre}/actions").get_data(as_text=True))
    assert "3 actions" in actions and "It was fixed or answered" in actions and "2569-DEMO01" in actions
    assert actions.count("Logged by a leader who helped them, with their agreement") == 1
    waiting = app.test_client()  # บุญมี logged hers 33 days ago: her home page asks what happened
    assert submit(waiting, "/sign-in", {"code": "HEW-473", "pin": DEMO_PIN}).status_code == 303
    assert 'id="what-happened"' in english(waiting).get("/").get_data(as_text=True)

    overview = visible_text(staff("demo-admin").get("/overview?by=province").get_data(as_text=True))
    assert "Learners registered" in overview and "เชียงใหม่" not in overview and "ขอนแก่น" not in overview


# Addresses

def test_printed_addresses_and_qr_codes_use_the_public_url(make_app, tmp_path):
    """Served at another address than 127.0.0.1:5000: every address the demo prints, and the QR code of a
    certificate, carry it."""
    app = make_app(PUBLIC_URL="http://192.168.1.20:8080")
    app.instance_path = str(tmp_path)
    with app.app_context():
        load(ROOT / "courses" / CEREMONY_COURSE)  # only the ceremony's course: quicker
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"]).output
    printed = re.findall(r"https?://\S+", seeded)
    assert len(printed) >= 5 and all(found.startswith("http://192.168.1.20:8080/") for found in printed), printed

    code = re.search(r"check a valid certificate: \S+/v/(\w+)", seeded).group(1)
    password = re.search(r"demo-trainer\s+password '([^']+)'", seeded).group(1)
    client = app.test_client()
    assert submit(client, "/staff/sign-in", {"login": "demo-trainer", "password": password}).status_code == 303
    with client.get(f"/certificates/{code}.pdf") as pdf:
        assert decoded_qr_codes(pdf.data, tmp_path) == [f"http://192.168.1.20:8080/v/{code}"]


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """make in the repository, with the environment given instead of the Makefile's own settings'."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("CIVICLEARN_PUBLIC_URL", "HOST", "PORT", "WORKERS")}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=environment | (env or {}),
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("given", "expected"), [({}, "http://127.0.0.1:8080"),
                                                 ({"CIVICLEARN_PUBLIC_URL": PUBLIC_URL}, PUBLIC_URL)])
def test_make_run_gives_the_app_its_own_address_unless_given_one_and_warns(given, expected):
    # FLASK stands in for the app's command line: it prints the address the app is given, and stops make there.
    run = make("-s", "-o", "database", "run", "PORT=8080", "FLASK=printenv CIVICLEARN_PUBLIC_URL; exit 3;", env=given)
    assert run.stdout.splitlines() == [expected]
    planned = make("-n", "run", "PORT=8080", env=given).stdout
    warning = "WARNING: certificates' QR codes and printed links point to http://127.0.0.1:8080"
    assert (warning in planned) is (not given)


# Production never adds the demo

def test_the_production_starts_run_only_prepare_and_serve():
    """The systemd unit, the Procfile and `make production` all start with deploy/prepare and deploy/serve (the
    Procfile and the jobs unit also run deploy/jobs), and no script adds demo data; `make run` and `make demo` are
    the only targets that do."""
    unit = (ROOT / "deploy" / "civiclearn.service").read_text()
    assert re.findall(r"^ExecStart(?:Pre)?=(\S+)", unit, re.M) == ["/opt/civiclearn/deploy/prepare",
                                                                   "/opt/civiclearn/deploy/serve"]
    procfile = dict(line.split(": ", 1) for line in (ROOT / "deploy" / "Procfile").read_text().splitlines())
    assert procfile == {"release": "deploy/prepare", "web": "BIND=0.0.0.0:${PORT:-8000} deploy/serve",
                        "jobs": "deploy/jobs"}
    jobs_unit = (ROOT / "deploy" / "civiclearn-jobs.service").read_text()
    assert re.findall(r"^ExecStart(?:Pre)?=(\S+)", jobs_unit, re.M) == ["/opt/civiclearn/deploy/jobs"]
    for script in ("prepare", "serve", "jobs"):
        commands = [line for line in (ROOT / "deploy" / script).read_text().splitlines() if not line.startswith("#")]
        assert not any("demo" in line for line in commands)
    plans = {target: make("-n", target, env={"CIVICLEARN_PUBLIC_URL": PUBLIC_URL}).stdout.splitlines()
             for target in ("production", "setup", "run", "demo")}
    assert plans["production"][-2:] == ["deploy/prepare", "BIND=127.0.0.1:5000 WORKERS=2 deploy/serve"]
    assert [target for target, plan in plans.items() if any("demo seed" in line for line in plan)] == ["run", "demo"]
    assert ".venv/bin/flask --app wsgi demo seed --if-new" in plans["run"]


def test_a_production_start_on_a_new_database_loads_the_courses_and_adds_no_one(tmp_path):
    """deploy/prepare, then deploy/serve as far as gunicorn loading the app, on a new, empty SQLite database."""
    database = tmp_path / "production.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "a-production-secret-key",
           "CIVICLEARN_PUBLIC_URL": PUBLIC_URL}
    subprocess.run([ROOT / "deploy" / "prepare"], env=env, check=True, capture_output=True)
    subprocess.run([ROOT / "deploy" / "serve", "--check-config"], env=env, check=True, capture_output=True)
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        count = {name: connection.scalar(sa.text(f"SELECT count(*) FROM {name}"))
                 for name in ("course", "person", "centre", "school", "demo_state")}
    engine.dispose()
    assert count["course"] > 0 and count == {**count, "person": 0, "centre": 0, "school": 0, "demo_state": 0}


def test_a_production_start_refuses_without_its_public_url(tmp_path):
    env = {name: value for name, value in os.environ.items() if name != "CIVICLEARN_PUBLIC_URL"}
    started = subprocess.run([ROOT / "deploy" / "serve", "--check-config"], env=env, capture_output=True, text=True)
    assert started.returncode != 0 and "CIVICLEARN_PUBLIC_URL" in started.stderr


def test_an_earlier_demo_is_marked_when_the_database_is_upgraded(make_app, tmp_path):
    """A centre PC that ran an earlier `make run` has the demo unmarked: the upgrade marks it (and only it), so
    it stops counting and `flask demo remove` finds it, and `make run` does not add a second one."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}")
    with app.app_context():
        migrations().upgrade(revision="5e55105a1a10")
        for values in ("(1, 'สมศรี (ตัวอย่าง)', 'CAT347', NULL)", "(2, 'ผู้ดูแล (ตัวอย่าง)', NULL, 'demo-admin')",
                       "(3, 'สมศรี จริงใจ', 'WAK347', NULL)", "(4, 'Somsri', 'CAT349', NULL)"):
            db.session.execute(sa.text(f"INSERT INTO person (id, display_name, learner_code, username, created_at) "
                                       f"VALUES {values[:-1]}, '2026-01-01')"))
        for name_en in ("Demo Community Digital Centre", "Rim Tai Centre"):
            db.session.execute(sa.text(
                "INSERT INTO centre (name_th, name_en, province, district, subdistrict, lgo_name, idle_minutes,"
                " sign_in_by_name, created_at) VALUES ('ศูนย์', :name, 'p', 'd', 's', 'l', 5, false, '2026-01-01')"),
                {"name": name_en})
        db.session.execute(sa.text("INSERT INTO school (name_th, name_en, province, district, created_at)"
                                   " VALUES ('โรงเรียน', 'Demo Village School', 'p', 'd', '2026-01-01')"))
        db.session.commit()
        migrations().upgrade()
        assert set(db.session.scalars(select(User.id).where(User.is_demo))) == {1, 2}
        marked = db.session.scalars(select(Centre.name_en).where(Centre.is_demo)).all()
        assert marked == ["Demo Community Digital Centre"]
        assert db.session.scalar(select(School.is_demo))
    app.instance_path = str(tmp_path)
    assert app.test_cli_runner().invoke(args=["demo", "seed", "--if-new"]).output.startswith(
        "This database holds the demo data")
    with app.app_context():
        db.engine.dispose()
