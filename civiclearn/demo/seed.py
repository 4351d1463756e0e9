"""The demo data: a demo centre with cohorts and learners (a few of whom logged civic actions), a school with a
class, a second centre, and one admin, trainer and teacher. Every person, centre and school it makes is marked
`is_demo` (the rest, their civic actions too, hangs on those and goes with them: `removal.py`).

Added once per database (`DemoState` says when): nothing here looks for rows a previous run made, so a role
or a learner someone removed is never made again behind their back. Staff passwords are made up when the
demo is added and kept in instance/demo-accounts.txt (readable by the owner only), so no password is written
in the code.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask import current_app

from civiclearn.accounts import services as accounts
from civiclearn.accounts.hashing import hash_secret
from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.certificates import services as certificates
from civiclearn.civic import services as civic
from civiclearn.courses.schema import Module
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.demo.models import STATE_ID, DemoState
from civiclearn.demo.progress import demo_learners, seed_progress
from civiclearn.extensions import db
from civiclearn.leaders import practicum
from civiclearn.leaders import services as leaders
from civiclearn.learning import services as learning
from civiclearn.schools.models import ClassMember, School, SchoolClass

# Not an obvious PIN (no run, repeat, keypad line, year or common choice), so it passes the PIN rules, and
# its digits are not those of any learner code (codes use 3, 4, 7 and 9 only).
DEMO_PIN = "6153"
DEMO_CENTRE = "Demo Community Digital Centre"
CLASS_CODE = "KEM347"
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
ALL_MODULES = None  # as a slice end: every module of the course, however many it has
CEREMONY_LEARNERS = (  # code, name, modules finished (all of them: the certificate is issued on completion)
    ("CEK374", "ทองใบ แก้วมณี (ตัวอย่าง)", ALL_MODULES),
    ("HAM437", "คำปุน ศรีสุข (ตัวอย่าง)", ALL_MODULES),
    ("KET749", "จันทร์เพ็ญ ทองดี (ตัวอย่าง)", ALL_MODULES),
    ("MAR397", "ประยูร มีสุข (ตัวอย่าง)", ALL_MODULES),
    ("NAK473", "Wanida (demo)", ALL_MODULES),
    ("PAT934", "สายทอง บุญมา (ตัวอย่าง)", ALL_MODULES),
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

# Civic actions (learner code or None for Preecha's mentee, kind, channel, days ago, case number, note, outcome): one
# fixed, one waiting for its 30-day "what happened?" (asked on the learner's home page), and one Preecha logged for a
# mentee he helped, with her consent.
ACTIONS = (
    ("CAT347", "reported_problem", "traffy_fondue", 45, "2569-DEMO01", "ไฟถนนหน้าวัดดับ (ตัวอย่าง)", "fixed"),
    ("HEW473", "commented_on_plan", "in_person", 33, "", "เสนอทำทางเท้าหน้าโรงเรียน (ตัวอย่าง)", None),
)
ACTION_FOR_MENTEE = ("asked_for_information", "lgo_line_or_page", 5, "", "ถามตารางเก็บขยะ (ตัวอย่าง)")

DEMO_STAFF = (  # username, display name, role
    ("demo-admin", "ผู้ดูแลโครงการ (ตัวอย่าง)", "admin"),
    ("demo-trainer", "อนันต์ ผู้สอน (ตัวอย่าง)", "trainer"),
    ("demo-teacher", "ครูกัญญา (ตัวอย่าง)", "teacher"),
)


def passwords_file() -> Path:
    """Where the demo staff passwords are kept: the instance folder, readable by the owner only."""
    return Path(current_app.instance_path) / "demo-accounts.txt"


def stored_passwords() -> dict[str, str]:
    """The demo staff passwords made when the demo was added (none if the file is gone)."""
    path = passwords_file()
    if not path.exists():
        return {}
    return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)


def _passwords() -> dict[str, str]:
    """The demo staff passwords: the stored ones, else new ones, stored for the owner's eyes only."""
    if stored := stored_passwords():
        return stored
    made = {username: " ".join(secrets.choice(WORDS) for _ in range(4)) for username, _name, _role in DEMO_STAFF}
    path = passwords_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by the owner only (not written, then restricted): no moment when others may read it.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as kept:
        kept.write("".join(f"{username} {password}\n" for username, password in made.items()))
    path.chmod(0o600)  # if an empty file was there before
    return made


def add_demo() -> None:
    """Add the demo data and remember when (claiming the state row first, so two runs at once add it once).
    Flushes."""
    state = db.session.get(DemoState, STATE_ID)
    if state is None:
        state = DemoState(id=STATE_ID)
        db.session.add(state)
    state.seeded_at, state.removed_at = utcnow(), None
    db.session.flush()
    _seed_demo()


def _added(row):
    """The row, added and flushed (so it has its id)."""
    db.session.add(row)
    db.session.flush()
    return row


def _seed_demo() -> None:
    """The demo centre with cohorts and learners (some progress made; a cohort ready for its certificates; a
    leader at the end of the pathway; a cohort part-way through a course), a school with a class and its
    assignments, a second centre, and one admin, trainer and teacher. Flushes."""
    centre = _added(Centre(
        name_th="ศูนย์ดิจิทัลชุมชนบ้านตัวอย่าง", name_en=DEMO_CENTRE, province="เชียงใหม่",
        district="อำเภอตัวอย่าง", subdistrict="ตำบลตัวอย่าง", lgo_name="เทศบาลตำบลตัวอย่าง",
        signatory_name="นายสมชาย ใจงาม (ตัวอย่าง)", signatory_title_th="นายกเทศมนตรีตำบลตัวอย่าง",
        signatory_title_en="Mayor of Tambon Tua Yang (demo)", is_demo=True))
    school = _added(School(name_th="โรงเรียนบ้านตัวอย่าง", name_en="Demo Village School", province="เชียงใหม่",
                           district="อำเภอตัวอย่าง", is_demo=True))
    school_class = _added(SchoolClass(school_id=school.id, name="ม.2/1", grade="ม.2", year=2569,
                                      join_code=CLASS_CODE))

    passwords = _passwords()
    scope = {"trainer": {"centre_id": centre.id}, "teacher": {"school_id": school.id}, "admin": {}}
    staff = {}
    for username, name, role in DEMO_STAFF:
        person = accounts.create_staff(None, name, username, None, passwords[username])
        person.is_demo = True
        accounts.grant_role(None, person, role, **scope[role])
        staff[role] = person
    db.session.flush()

    pin_hash = hash_secret(DEMO_PIN)  # every demo learner has the same PIN: one hash will do
    cohort = _cohort(centre, "รุ่นที่ 1/2570")
    learners = [_demo_learner(demo, cohort, pin_hash) for demo in DEMO_LEARNERS]
    db.session.add(ClassMember(class_id=school_class.id, person_id=learners[1].id))
    _seed_actions({learner.learner_code: learner for learner in learners})
    _seed_ceremony(centre, staff["trainer"], pin_hash)
    _seed_leader(centre, cohort, staff["trainer"], pin_hash)
    seed_progress(centre, school_class, staff["trainer"], pin_hash)
    db.session.flush()


def _cohort(centre: Centre, name: str) -> Cohort:
    return _added(Cohort(centre_id=centre.id, name=name))


def _new_learner(code: str, name: str, cohort: Cohort, pin_hash: str) -> User:
    """A demo learner enrolled in `cohort`."""
    [learner] = demo_learners([code], [name], cohort, pin_hash)
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
        _finish(learner, course.modules[:finished])
        certificate = certificates.issue_if_course_complete(learner, course)
        if code == CEREMONY_LEARNERS[0][0]:  # the trainer corrects the name, then reissues the certificate
            learner.display_name = name
            certificates.reissue(trainer, certificate)
        elif code == REVOKED[0]:
            certificates.revoke(trainer, certificate, REVOKED[1])


def _seed_leader(centre: Centre, cohort: Cohort, trainer: User, pin_hash: str) -> None:
    """Journey 6: Preecha passed the entry modules and the leader course, ran three sessions and helped ten
    learners through the mentee modules, and logged an action for one of them, with their consent. The trainer
    confirmed all but one session and one mentee: confirming those and endorsing him issues his leader certificate."""
    pathway = leaders.current_pathway()
    if pathway is None:
        return
    leader = _new_learner(*LEADER, cohort, pin_hash)
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
    kind, channel, days_ago, case_number, note = ACTION_FOR_MENTEE
    civic.log(db.session.get(User, mentees[0].mentee_id), civic.Details(kind, channel, _days_ago(days_ago),
              case_number, note), "demo-for-mentee", logged_by=leader, consent_how="in_person")


def _days_ago(days: int) -> date:
    return leaders.today() - timedelta(days=days)


def _seed_actions(learners: dict[str, User]) -> None:
    """Two learners' civic actions, logged on the day they did them: one fixed since, one 30 days old and more,
    whose "what happened?" the learner's home page asks."""
    for code, kind, channel, days_ago, case_number, note, outcome in ACTIONS:
        action = civic.log(learners[code], civic.Details(kind, channel, _days_ago(days_ago), case_number, note),
                           f"demo-{code}")
        action.created_at = action.updated_at = utcnow() - timedelta(days=days_ago)  # logged on the day
        if outcome:
            civic.answer_question(action, outcome)


def _demo_learner(demo: DemoLearner, cohort: Cohort, pin_hash: str) -> User:
    learner = _new_learner(demo.code, demo.name, cohort, pin_hash)
    courses = catalogue().courses
    for lesson in (courses[0].lessons()[:demo.lessons_done] if courses else []):
        learning.complete_lesson(learner, lesson)
    return learner
