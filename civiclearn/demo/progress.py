"""Demo progress for the reports (journeys 3, 5 and 7): a cohort part-way through the digital-citizen course, a
class with assignments and due dates, feedback with an answer, and a second centre in another province.

Everything is written through the learning services (lessons done, quiz answers graded), then moved back in
time where a learner stopped weeks ago. A fixed random seed makes every run the same.
"""

import random
import secrets
from datetime import date, timedelta
from itertools import product

from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.centres.services import enrol
from civiclearn.courses.schema import Course, Module
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.demo.comments import seed_comments
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.learning import services as learning
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.schools.models import Assignment, ClassMember, SchoolClass

COURSE = "digital-citizen"
FIRST_NAMES = ("สมพร", "บุญเรือน", "ประเสริฐ", "คำแก้ว", "สุนทร", "มณี", "ทองคำ", "จันทร์ดี", "สมหมาย", "บัวไข",
               "วิไล", "ประยูร", "Nok", "สายสุนีย์", "อำนวย", "ลำดวน", "ชูชาติ", "ทองพูน", "พิกุล", "สมศักดิ์",
               "บุญมา", "กาญจนา", "เสถียร", "Malee")
STUDENT_NAMES = ("ด.ญ.กมลชนก", "ด.ช.ธนากร", "ด.ญ.พิมพ์ชนก", "ด.ช.ภูมิพัฒน์", "ด.ญ.ณัฐธิดา", "ด.ช.วรเมธ",
                 "ด.ญ.ปวีณา", "ด.ช.กิตติพัฒน์")
NORTH_EAST = ("ศูนย์ดิจิทัลชุมชนตำบลหนองบัว (ตัวอย่าง)", "Nong Bua Digital Centre (demo)", "ขอนแก่น", "เมืองขอนแก่น")


def demo_codes(prefix: str, count: int) -> list[str]:
    """Learner codes like WAK-347: a fixed prefix of alphabet letters and digits a demo can be recognised by."""
    return [prefix + "".join(digits) for digits in list(product("3479", repeat=3))[:count]]


def seed_progress(centre: Centre, school_class: SchoolClass, trainer: User, pin_hash: str) -> None:
    course = catalogue().course(COURSE)
    if course is None:
        return
    chance = random.Random(2569)
    _busy_cohort(centre, course, trainer, pin_hash, chance)
    _class_with_assignments(school_class, course, pin_hash, chance)
    _second_centre(course, pin_hash, chance)
    seed_comments(centre, course, lambda count, names, cohort: demo_learners(
        (demo_codes("TAX", 64) + demo_codes("TEN", 64))[:count], names, cohort, pin_hash, chance))


def demo_learners(codes: list[str], names, cohort: Cohort | None, pin_hash: str, chance=None) -> list[User]:
    """Demo learners (marked so), enrolled in `cohort` if given; with `chance`, each with a year of birth and
    (mostly) a gender, for the reach tables."""
    people = [User(display_name=name, learner_code=code, pin_hash=pin_hash, is_demo=True,
                   **({} if chance is None else {
                       "birth_year": chance.choice((1952, 1958, 1961, 1966, 1972, 1979, 1985, 1993, 2001, 2009)),
                       "gender": chance.choice(("female", "female", "male", "male", "other", None))}))
              for code, name in zip(codes, names, strict=True)]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        if cohort is not None:
            enrol(person, cohort)
    return people


def _demo_names(names) -> list[str]:
    return [f"{name} (ตัวอย่าง)" for name in names]


def _study(person: User, modules: list[Module], chance, stumble: float = 0.4) -> None:
    """Every lesson of the modules, then each quiz: sometimes a first try with the wrong answer many choose."""
    for module in modules:
        for lesson in module.lessons:
            learning.complete_lesson(person, lesson)
        if module.quiz is None:
            continue
        if chance.random() < stumble:
            _answer(person, module, right=False)
        _answer(person, module, right=True)


def _answer(person: User, module: Module, right: bool) -> None:
    """A quiz attempt: every answer right, or every answer the question's first wrong choice (a fail)."""
    answers = {question.key: question.correct_keys if right else
               frozenset({next(choice.key for choice in question.choices if not choice.correct)})
               for question in module.quiz.questions}
    learning.submit_quiz(person, module.quiz, secrets.token_urlsafe(16), answers)


def _move_back(person: User, days: int) -> None:
    """Their whole progress happened `days` earlier (they stopped coming then)."""
    shift = timedelta(days=days)
    db.session.flush()
    for row in db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == person.id)):
        row.started_at, row.last_opened_at = row.started_at - shift, row.last_opened_at - shift
        row.completed_at = row.completed_at - shift if row.completed_at else None
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == person.id)):
        attempt.submitted_at -= shift


def _busy_cohort(centre: Centre, course: Course, trainer: User, pin_hash: str, chance) -> None:
    """Journey 3: 24 learners part-way through the course. Three failed module 2's quiz twice; four stopped
    three weeks ago; a few rated module 1, and the trainer answered one of them."""
    cohort = Cohort(centre_id=centre.id, name="รุ่นที่ 3/2569")
    db.session.add(cohort)
    db.session.flush()
    people = demo_learners(demo_codes("WAK", len(FIRST_NAMES)), _demo_names(FIRST_NAMES), cohort, pin_hash, chance)
    for number, person in enumerate(people):
        if number < 3:  # stuck on module 2's quiz
            _study(person, course.modules[:1], chance)
            for lesson in course.modules[1].lessons:
                learning.complete_lesson(person, lesson)
            _answer(person, course.modules[1], right=False)
            _answer(person, course.modules[1], right=False)
        else:
            _study(person, course.modules[:chance.randint(0, 7)], chance)
            if chance.random() < 0.5:
                learning.complete_lesson(person, course.lessons()[chance.randint(0, 20)])
        if 3 <= number < 7:
            _move_back(person, 21)
    for person, rating, comment in zip(people[3:6], (5, 4, 2), (
            "เข้าใจง่าย ได้ลองใช้แอปจริง", "", "ตัวหนังสือเล็กไป อ่านบนโทรศัพท์ยาก"), strict=True):
        db.session.add(ModuleFeedback(person_id=person.id, module_id=course.modules[0].id, rating=rating,
                                      comment=comment, language="th"))
    db.session.flush()
    answered = db.session.scalar(select(ModuleFeedback).where(ModuleFeedback.person_id == people[5].id))
    answered.reply = "ขอบคุณค่ะ บนโทรศัพท์ใช้สองนิ้วถ่างบนจอเพื่อขยายตัวอักษรได้ หรือมาใช้เครื่องที่ศูนย์ได้เลย"
    answered.replied_by_id, answered.replied_at = trainer.id, utcnow()


def _class_with_assignments(school_class: SchoolClass, course: Course, pin_hash: str, chance) -> None:
    """Journey 5: modules 1 to 4 assigned, the first due a week ago; eight students at different points."""
    today = date.today()
    db.session.add_all(Assignment(class_id=school_class.id, module_id=module.id,
                                  due_on=today + timedelta(days=7 * number - 7))
                       for number, module in enumerate(course.modules[:4]))
    students = demo_learners(demo_codes("KEM", len(STUDENT_NAMES)), _demo_names(STUDENT_NAMES), None, pin_hash,
                             chance)
    for number, student in enumerate(students):
        db.session.add(ClassMember(class_id=school_class.id, person_id=student.id))
        _study(student, course.modules[:(4, 3, 2, 2, 1, 1, 0, 0)[number]], chance)
        if number == 5:  # started module 2, failed its quiz twice: stuck
            _answer(student, course.modules[1], right=False)
            _answer(student, course.modules[1], right=False)
        student.birth_year, student.gender = 2012, ("female", "male")[number % 2]


def _second_centre(course: Course, pin_hash: str, chance) -> None:
    """Journey 7: a centre in another province, so the overview has more than one row and open data has a
    district with fewer than five learners (its counts are suppressed)."""
    name_th, name_en, province, district = NORTH_EAST
    centre = Centre(name_th=name_th, name_en=name_en, province=province, district=district, subdistrict="หนองบัว",
                    lgo_name="องค์การบริหารส่วนตำบลหนองบัว", is_demo=True)
    db.session.add(centre)
    db.session.flush()
    cohort = Cohort(centre_id=centre.id, name="รุ่นที่ 1/2569")
    db.session.add(cohort)
    db.session.flush()
    learners = demo_learners(demo_codes("NAM", 4), _demo_names(FIRST_NAMES[-4:]), cohort, pin_hash, chance)
    for number, person in enumerate(learners):
        _study(person, course.modules[:number + 1], chance)
