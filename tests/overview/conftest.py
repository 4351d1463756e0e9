"""A small programme to count by hand: four centres in Chiang Mai and one in Bangkok, six learners of them
(one at two centres, one who deleted their data), one learner of no centre, progress written directly.

Hand count (now = the test's time; modules of the sample course: how-it-works, take-part):
    learner  centres          born     gender  modules done             active (30 days)  certificate
    L1       Rim Tai          Y-17     female  both, now                yes               Rim Tai
    L2       Rim Tai+Rim Nuea  -       male    how-it-works, now        yes               -
    L3       Rim Nuea         Y-60     -       lessons of 1, quiz failed yes              -
    L4       Mae Taeng        Y-18     other   -                        no                -
    L5       Bang Rak         Y-40     female  how-it-works, 60 days ago no               Bang Rak, reissued
    L6       Rim Tai          Y-39     female  take-part, 40 days ago   no (anonymised)   -
    L7       (none)           Y-30     male    both, now                (not counted)     -
San Sai (Chiang Mai) has no learners. Y is this year in Bangkok.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.certificates import services as certificates
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.forms import new_token
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.overview.measures import zone
from civiclearn.privacy.services import anonymise
from tests.helpers import visible_text

CHIANG_MAI, BANGKOK = "เชียงใหม่", "กรุงเทพมหานคร"


def this_year(app) -> int:
    with app.app_context():
        return datetime.now(zone()).year


def set_person(app, person_id: int, **fields) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == person_id).values(**fields))
        db.session.commit()


def lessons_done(app, person_id: int, lessons, at: datetime, completed: bool = True) -> None:
    """Lessons opened at `at`, and finished then unless `completed` is False."""
    with app.app_context():
        db.session.add_all(LessonProgress(user_id=person_id, lesson_id=lesson.id, started_at=at, last_opened_at=at,
                                          completed_at=at if completed else None) for lesson in lessons)
        db.session.commit()


def quiz_sent(app, person_id: int, module, at: datetime, passed: bool = True) -> None:
    with app.app_context():
        db.session.add(QuizAttempt(user_id=person_id, quiz_id=module.quiz.id, token=new_token(),
                                   score=100 if passed else 40, passed=passed, submitted_at=at))
        db.session.commit()


def finished(app, person_id: int, module, at: datetime) -> None:
    """Every lesson of `module` done and its quiz passed, at `at`."""
    lessons_done(app, person_id, module.lessons, at)
    quiz_sent(app, person_id, module, at)


def certify(app, person_id: int, centre_id: int, course, at: datetime | None = None) -> str:
    """A certificate of the course from the centre (issued at `at`, if given); returns its code."""
    with app.app_context():
        certificate = certificates.issue(db.session.get(User, person_id), certificates.course_award(course),
                                         issuer=db.session.get(Centre, centre_id))
        if at:
            certificate.issued_at = at
        db.session.commit()
        return certificate.code


def reissue(app, code: str) -> None:
    with app.app_context():
        certificates.reissue(None, certificates.find(code))
        db.session.commit()


@dataclass
class Programme:
    centres: dict[str, int]
    learners: dict[str, int]
    year: int


@pytest.fixture
def programme(app, sample, make_centre, make_cohort, enrol, make_learner) -> Programme:
    centres = {
        "rim_tai": make_centre("ศูนย์ริมใต้", CHIANG_MAI, "แม่ริม", name_en="Rim Tai Centre"),
        "rim_nuea": make_centre("ศูนย์ริมเหนือ", CHIANG_MAI, "แม่ริม", name_en="Rim Nuea Centre"),
        "mae_taeng": make_centre("ศูนย์แม่แตง", CHIANG_MAI, "แม่แตง", name_en="Mae Taeng Centre"),
        "san_sai": make_centre("ศูนย์สันทราย", CHIANG_MAI, "สันทราย", name_en="San Sai Centre"),
        "bang_rak": make_centre("ศูนย์บางรัก", BANGKOK, "บางรัก", name_en="Bang Rak Centre"),
    }
    cohorts = {name: make_cohort(centre) for name, centre in centres.items()}
    year = this_year(app)
    people = {
        "L1": ("rim_tai",), "L2": ("rim_tai", "rim_nuea"), "L3": ("rim_nuea",), "L4": ("mae_taeng",),
        "L5": ("bang_rak",), "L6": ("rim_tai",), "L7": (),
    }
    learners = {}
    for name, places in people.items():
        learners[name] = make_learner(f"ผู้เรียน {name}").id
        for place in places:
            enrol(learners[name], cohorts[place])
    for name, born, gender in (("L1", year - 17, "female"), ("L2", None, "male"), ("L3", year - 60, None),
                               ("L4", year - 18, "other"), ("L5", year - 40, "female"), ("L6", year - 39, "female"),
                               ("L7", year - 30, "male")):
        set_person(app, learners[name], birth_year=born, gender=gender)
    now = utcnow()
    how_it_works, take_part = sample.modules
    for module in (how_it_works, take_part):
        finished(app, learners["L1"], module, now)
        finished(app, learners["L7"], module, now)
    finished(app, learners["L2"], how_it_works, now)
    lessons_done(app, learners["L3"], how_it_works.lessons, now)
    quiz_sent(app, learners["L3"], how_it_works, now, passed=False)
    finished(app, learners["L5"], how_it_works, now - timedelta(days=60))
    finished(app, learners["L6"], take_part, now - timedelta(days=40))
    certify(app, learners["L1"], centres["rim_tai"], sample)
    reissue(app, certify(app, learners["L5"], centres["bang_rak"], sample))
    with app.app_context():
        anonymise(None, db.session.get(User, learners["L6"]))
        db.session.commit()
    return Programme(centres, learners, year)


def seed_demo(app, folder) -> None:
    """The demo data, as `make demo` adds it (the passwords it makes are kept in `folder`)."""
    from civiclearn.demo.seed import add_demo
    app.instance_path = str(folder)
    with app.app_context():
        add_demo()
        db.session.commit()


def table_rows(html: str, table_id: str = "totals") -> list[list[str]]:
    """The body rows of the table `table_id`, each as its cells' visible text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [[visible_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
