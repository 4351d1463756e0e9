"""`flask demo seed`: a demo centre, school and accounts for trying CivicLearn out; running it again changes nothing.

Staff passwords are made up at the first run and kept in instance/demo-accounts.txt (readable by
the owner only), so no password is written in the code and `make run` can show them every time.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from civiclearn import codes
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import enrol
from civiclearn.certificates import leaders, practicum
from civiclearn.certificates import services as certificates
from civiclearn.certificates.models import Certificate
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.demo_progress import seed_progress
from civiclearn.extensions import db
from civiclearn.learning import services as learning
from civiclearn.schools.models import ClassMember, School, SchoolClass

demo_cli = AppGroup("demo", help="Demo data for trying CivicLearn out.")

DEMO_PIN = "2580"
DEMO_CENTRE = "Demo Community Digital Centre"
WORDS = ("rice", "river", "mango", "temple", "market", "bicycle", "monsoon", "lantern", "garden", "orchid")


@dataclass(frozen=True)
class DemoLearner:
    code: str
    name: str
    lessons_done: int  # how many lessons of the first course this learner has finished


DEMO_LEARNERS = (
    DemoLearner("CAT347", "สมศรี (ตัวอย่าง)", 2),
    DemoLearner("FAN799", "Anan (demo)", 0),
    DemoLearner("HEW473", "บุญมี (ตัวอย่าง)", 5),
    DemoLearner("JAM934", "มาลี (ตัวอย่าง)", 1),
)
# Journey 4: a cohort at the end of the short course, ready for its certificate ceremony.
CEREMONY_COURSE = "safe-and-simple"
CEREMONY_COHORT = "รุ่นที่ 4/2569"
CEREMONY_LEARNERS = (  # code, name, modules finished (all 3: the certificate is issued on completion)
    ("CEK374", "ทองใบ แก้วมณี (ตัวอย่าง)", 3),
    ("HAM437", "คำปุน ศรีสุข (ตัวอย่าง)", 3),
    ("KET749", "จันทร์เพ็ญ ทองดี (ตัวอย่าง)", 3),
    ("MAR397", "ประยูร มีสุข (ตัวอย่าง)", 3),
    ("NAK473", "Wanida (demo)", 3),
    ("PAT934", "สายทอง บุญมา (ตัวอย่าง)", 3),
    ("RAK379", "บัวผัน ใจงาม (ตัวอย่าง)", 2),
    ("TAW794", "เสาร์ คำมา (ตัวอย่าง)", 1),
)
MISSPELT = "ทองใบ แก้วมนี (ตัวอย่าง)"  # registered with a typo: her certificate was reissued with the name corrected
REVOKED = ("PAT934", "ขอยกเลิกเพื่อเรียนใหม่พร้อมรุ่นถัดไป (ตัวอย่าง)")

# Journey 6: Preecha, a village digital volunteer, at the end of the leader pathway, with mentees he helped.
LEADER = ("PRE379", "ปรีชา อาสาดี (ตัวอย่าง)")
MENTEE_COHORT = "รุ่นที่ 2/2570"
MENTEE_CODES = ("MEA333", "MEA334", "MEA337", "MEA339", "MEA343", "MEA344", "MEA347", "MEA349", "MEA373", "MEA374")
MENTEE_NAMES = ("สมพร", "ทองดี", "บุญเรือน", "สุนทร", "มณี", "ประเสริฐ", "คำแก้ว", "สมหมาย", "บุญส่ง", "Ploy")
SESSIONS = (  # days ago, place, topic, attendees
    (40, "ศาลาอเนกประสงค์หมู่ 3", "ใช้ LINE คุยกับลูกหลานอย่างปลอดภัย", 14),
    (26, "ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง", "รู้ทันมิจฉาชีพทางโทรศัพท์", 11),
    (12, "วัดบ้านตัวอย่าง", "แจ้งปัญหาถนนและไฟฟ้าผ่านแอปของเทศบาล", 9),
)

DEMO_STAFF = (  # username, display name, role
    ("demo-admin", "ผู้ดูแลโครงการ (ตัวอย่าง)", "admin"),
    ("demo-trainer", "อนันต์ ผู้สอน (ตัวอย่าง)", "trainer"),
    ("demo-teacher", "ครูกัญญา (ตัวอย่าง)", "teacher"),
)


def _one(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def _passwords() -> dict[str, str]:
    """The demo staff passwords, made up once and kept in the instance folder."""
    path = Path(current_app.instance_path) / "demo-accounts.txt"
    if path.exists():
        return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    made = {username: " ".join(secrets.choice(WORDS) for _ in range(4)) for username, _name, _role in DEMO_STAFF}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{username} {password}\n" for username, password in made.items()))
    path.chmod(0o600)
    return made


def seed_demo() -> tuple[list[User], dict[str, str]]:
    """The demo centre with cohorts and learners (some progress made; a cohort ready for its certificates; a
    leader at the end of the pathway; a cohort part-way through a course), a school with a class and its
    assignments, a second centre, and one admin, trainer and teacher. Flushes."""
    centre = _one(Centre, name_en=DEMO_CENTRE) or Centre(
        name_th="ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง", name_en=DEMO_CENTRE, province="เชียงใหม่",
        district="อำเภอตัวอย่าง", subdistrict="ตำบลตัวอย่าง", lgo_name="เทศบาลตำบลตัวอย่าง",
        signatory_name="นายสมชาย ใจงาม (ตัวอย่าง)", signatory_title_th="นายกเทศมนตรีตำบลตัวอย่าง",
        signatory_title_en="Mayor of Tambon Tua Yang (demo)")
    db.session.add(centre)
    db.session.flush()
    school = _one(School, name_en="Demo Village School") or School(
        name_th="โรงเรียนบ้านตัวอย่าง", name_en="Demo Village School", province="เชียงใหม่", district="อำเภอตัวอย่าง")
    db.session.add(school)
    db.session.flush()
    school_class = _one(SchoolClass, join_code="KEM347") or SchoolClass(
        school_id=school.id, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
    db.session.add(school_class)
    db.session.flush()

    passwords = _passwords()
    scope = {"trainer": {"centre_id": centre.id}, "teacher": {"school_id": school.id}, "admin": {}}
    staff = {}
    for username, name, role in DEMO_STAFF:
        person = _one(User, username=username) or accounts.create_staff(None, name, username, None, passwords[username])
        accounts.grant_role(None, person, role, **scope[role])
        staff[role] = person
    db.session.flush()

    pin_hash = accounts.hash_secret(DEMO_PIN)  # every demo learner has the same PIN: one hash will do
    cohort = _cohort(centre, "รุ่นที่ 1/2570")
    learners = [_demo_learner(demo, cohort, pin_hash) for demo in DEMO_LEARNERS]
    if not _one(ClassMember, class_id=school_class.id, person_id=learners[1].id):
        db.session.add(ClassMember(class_id=school_class.id, person_id=learners[1].id))
    _seed_ceremony(centre, staff["trainer"], pin_hash)
    _seed_leader(centre, cohort, staff["trainer"], pin_hash)
    seed_progress(centre, school_class, staff["trainer"], pin_hash)
    db.session.flush()
    return learners, passwords


def _cohort(centre: Centre, name: str) -> Cohort:
    cohort = _one(Cohort, centre_id=centre.id, name=name) or Cohort(centre_id=centre.id, name=name)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def _new_learner(code: str, name: str, cohort: Cohort, pin_hash: str) -> User | None:
    """A demo learner enrolled in `cohort`; None if they exist already (the seed made them before)."""
    if _one(User, learner_code=code) is not None:
        return None
    learner = User(display_name=name, learner_code=code, pin_hash=pin_hash)
    db.session.add(learner)
    db.session.flush()
    enrol(learner, cohort)
    return learner


def _finish(learner: User, modules: list[Module]) -> None:
    """Every lesson of the modules read and each quiz answered right, as the pages record them."""
    for module in modules:
        for lesson in module.lessons:
            learning.complete_lesson(learner, lesson)
        if module.quiz is not None:
            learning.submit_quiz(learner, module.quiz, secrets.token_urlsafe(16),
                                 {question.key: question.correct_keys for question in module.quiz.questions})
    db.session.flush()


def _seed_ceremony(centre: Centre, trainer: User, pin_hash: str) -> None:
    """Journey 4: a cohort that finished the short course; their certificates were issued on completion, one
    reissued to correct a name, one revoked. The trainer prints them all from the cohort's certificates page."""
    course = catalogue().course(CEREMONY_COURSE)
    if course is None:
        return
    cohort = _cohort(centre, CEREMONY_COHORT)
    for code, name, finished in CEREMONY_LEARNERS:
        learner = _new_learner(code, MISSPELT if code == CEREMONY_LEARNERS[0][0] else name, cohort, pin_hash)
        if learner is None:
            continue
        _finish(learner, course.modules[:finished])
        certificate = certificates.issue_if_course_complete(learner, course)
        if code == CEREMONY_LEARNERS[0][0]:  # the trainer corrects the name, then reissues the certificate
            learner.display_name = name
            certificates.reissue(trainer, certificate)
        elif code == REVOKED[0]:
            certificates.revoke(trainer, certificate, REVOKED[1])


def _seed_leader(centre: Centre, cohort: Cohort, trainer: User, pin_hash: str) -> None:
    """Journey 6: Preecha passed the entry modules and the leader course, ran three sessions and helped ten
    learners through the mentee modules. The trainer confirmed all but one session and one mentee: confirming
    those and endorsing him issues his leader certificate."""
    pathway = leaders.current_pathway()
    leader = _new_learner(*LEADER, cohort, pin_hash) if pathway else None
    if leader is None:
        return
    _finish(leader, pathway.entry_modules() + list(pathway.course.modules))
    sessions = [practicum.log_session(leader, centre, leaders.today() - timedelta(days=days_ago), place, topic,
                                      attendees, pathway) for days_ago, place, topic, attendees in SESSIONS]
    mentee_cohort = _cohort(centre, MENTEE_COHORT)
    mentees = []
    for code, name in zip(MENTEE_CODES, MENTEE_NAMES, strict=True):
        mentee = _new_learner(code, f"{name} (ตัวอย่าง)", mentee_cohort, pin_hash)
        _finish(mentee, pathway.mentee_modules())
        mentees.append(practicum.add_mentee(leader, centre, code, pathway))
    for row in sessions[:-1] + mentees[:-1]:  # the last session and the last mentee wait for the trainer
        practicum.confirm(trainer, row)


def _demo_learner(demo: DemoLearner, cohort: Cohort, pin_hash: str) -> User:
    learner = _one(User, learner_code=demo.code)
    if learner is None:
        learner = User(display_name=demo.name, learner_code=demo.code, pin_hash=pin_hash)
        db.session.add(learner)
        db.session.flush()
        courses = catalogue().courses
        for lesson in (courses[0].lessons()[:demo.lessons_done] if courses else []):
            learning.complete_lesson(learner, lesson)
    enrol(learner, cohort)
    return learner


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo centre, school and accounts (idempotent) and print how to sign in."""
    learners, passwords = seed_demo()
    db.session.commit()
    click.echo("Demo learners - sign in at http://127.0.0.1:5000/sign-in with a learner code and PIN:")
    for learner in learners:
        click.echo(f"  code {codes.display(learner.learner_code)}  PIN {DEMO_PIN}  {learner.display_name}")
    click.echo("Demo staff - sign in at http://127.0.0.1:5000/staff/sign-in (passwords kept in instance/demo-accounts.txt):")
    for username, _name, role in DEMO_STAFF:
        click.echo(f"  {role:8} username {username}  password '{passwords[username]}'")
    click.echo("Students join the demo class ม.2/1 with the class code KEM-347.")
    _echo_certificates()


def _echo_certificates() -> None:
    """Where journeys 4 and 6 start, and certificate codes to check at /v (valid, replaced, revoked)."""
    cohort = _one(Cohort, name=CEREMONY_COHORT)
    if cohort is not None:
        click.echo(f"Certificates (journey 4): as demo-trainer, print cohort {CEREMONY_COHORT}'s at "
                   f"http://127.0.0.1:5000/cohorts/{cohort.id}/certificates?course={CEREMONY_COURSE}")
        learners = {code: _one(User, learner_code=code) for code in (CEREMONY_LEARNERS[1][0], CEREMONY_LEARNERS[0][0],
                                                                    REVOKED[0])}
        held = {code: db.session.scalars(select(Certificate).where(Certificate.person_id == person.id)
                                         .order_by(Certificate.id)).all() for code, person in learners.items()}
        for label, certificate in (("valid", held[CEREMONY_LEARNERS[1][0]][0]),
                                   ("replaced (name corrected)", held[CEREMONY_LEARNERS[0][0]][0]),
                                   ("revoked", held[REVOKED[0]][0])):
            click.echo(f"  check a {label} certificate: http://127.0.0.1:5000/v/{certificate.code}")
    leader = _one(User, learner_code=LEADER[0])
    if leader is not None:
        click.echo(f"Leader (journey 6): {LEADER[1]} signs in with code {codes.display(LEADER[0])} and PIN {DEMO_PIN} "
                   "(My leader pathway); demo-trainer confirms his last session and mentee and endorses him at "
                   f"http://127.0.0.1:5000/centres/{_one(Centre, name_en=DEMO_CENTRE).id}/leaders")
