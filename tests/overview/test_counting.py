"""How the measures count: months in Bangkok time, the module rule of the learning pages, and a number of
queries that does not grow with learners or centres."""

from datetime import UTC, datetime

from sqlalchemy import insert

from civiclearn.accounts.models import User
from civiclearn.centres.models import Enrolment
from civiclearn.codes import new_code
from civiclearn.extensions import db
from civiclearn.learning.services import course_status
from civiclearn.overview import services
from civiclearn.schools.models import ClassMember, SchoolClass
from tests.helpers import csrf_token, record_finished, sql_statements
from tests.overview.conftest import (
    CHIANG_MAI,
    certify,
    finished,
    lessons_done,
    quiz_sent,
    reissue,
    set_person,
    table_rows,
)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_months_are_bangkok_months(app, client, sample, make_centre, make_cohort, enrol, make_learner,
                                   sign_in_admin):
    centre = make_centre("ศูนย์ริมใต้", CHIANG_MAI, "แม่ริม")
    cohort = make_cohort(centre)
    early, late = make_learner("ผู้เรียนต้นเดือน").id, make_learner("ผู้เรียนปลายเดือน").id
    for person in (early, late):
        enrol(person, cohort)
    set_person(app, early, created_at=utc(2025, 1, 10, 9))
    set_person(app, late, created_at=utc(2025, 1, 31, 18))  # 1 February, 01:00 in Bangkok
    module = sample.modules[0]
    lessons_done(app, early, module.lessons, utc(2025, 1, 20, 9))
    quiz_sent(app, early, module, utc(2025, 1, 25, 9), passed=False)
    quiz_sent(app, early, module, utc(2025, 2, 3, 9))  # the module is completed with this pass: February
    reissue(app, certify(app, early, centre, sample, at=utc(2025, 2, 5, 9)))  # reissued today: not a new one
    sign_in_admin()
    rows = table_rows(client.get("/overview?by=month").get_data(as_text=True))
    assert rows == [["Jan 2025", "1", "1", "0", "0"], ["Feb 2025", "1", "1", "1", "1"]]
    token = csrf_token(client.get("/overview").get_data(as_text=True))
    client.post("/language", data={"lang": "th", "csrf_token": token})
    thai = table_rows(client.get("/overview?by=month").get_data(as_text=True))
    assert [row[0] for row in thai] == ["ม.ค. 2568", "ก.พ. 2568"]  # the Buddhist Era
    exported = client.get("/overview.csv?by=month").get_data().decode("utf-8-sig").splitlines()
    assert exported[1:] == ["ม.ค. 2568,1,1,0,0", "ก.พ. 2568,1,1,1,1"]  # as the page writes them, oldest first


def test_a_module_is_completed_by_the_rule_of_the_module_pages(app, sample, make_centre, make_cohort, enrol,
                                                                make_learner, make_staff):
    """Each learner alone at a centre, so each centre's count is one learner's, compared with course_status."""
    first, second = sample.modules
    now = utc(2025, 3, 1)
    situations = {
        "everything": lambda person: record_finished(app, person, sample.modules),
        "lessons, quiz failed": lambda person: (lessons_done(app, person, first.lessons, now),
                                                quiz_sent(app, person, first, now, passed=False)),
        "quiz passed, a lesson left": lambda person: (lessons_done(app, person, first.lessons[:-1], now),
                                                      quiz_sent(app, person, first, now)),
        "passed, then failed again": lambda person: (finished(app, person, second, now),
                                                     quiz_sent(app, person, second, now, passed=False)),
        "lessons opened, not finished": lambda person: (lessons_done(app, person, second.lessons, now, False),
                                                        quiz_sent(app, person, second, now)),
        "nothing": lambda person: None,
    }
    people = {}
    for number, (situation, write) in enumerate(situations.items()):
        people[situation] = make_learner(f"ผู้เรียน {number}").id
        enrol(people[situation], make_cohort(make_centre(f"ศูนย์ {number}", name_en=situation)))
        write(people[situation])
    admin = make_staff("admin")
    with app.test_request_context():
        counted = {row.cells[2]: row.modules
                   for row in services.table(db.session.get(User, admin.id), "centre", "en")}
        expected = {situation: sum(status.complete for status in
                                   course_status(db.session.get(User, person), sample).values())
                    for situation, person in people.items()}
    assert counted == expected == {"everything": 2, "lessons, quiz failed": 0, "quiz passed, a lesson left": 0,
                                   "passed, then failed again": 1, "lessons opened, not finished": 0, "nothing": 0}


def queries_while(app, client, url: str) -> int:
    """How many SQL statements the app runs to answer `url` (the rate limiter's aside: about one count in a hundred
    also sweeps expired counters, see civiclearn.ratelimits)."""
    with sql_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len([statement for statement in statements if "rate_limit_counter" not in statement])


def add_learners(app, sample, cohort: int, how_many: int) -> None:
    """Learners written directly (quicker than registering), each enrolled and done with the first module."""
    with app.app_context():
        ids = [db.session.execute(insert(User).values(display_name=f"ผู้เรียน {number}").returning(User.id)).scalar()
               for number in range(how_many)]
        db.session.execute(insert(Enrolment), [{"person_id": person, "cohort_id": cohort} for person in ids])
        db.session.commit()
    for person in ids:
        record_finished(app, person, sample.modules[:1])


def add_students(app, school: int, number: int, how_many: int) -> None:
    """Two classes of the school, with the same `how_many` students written directly in both."""
    with app.app_context():
        ids = [db.session.execute(insert(User).values(display_name=f"นักเรียน {person}").returning(User.id)).scalar()
               for person in range(how_many)]
        for suffix in (1, 2):
            school_class = SchoolClass(school_id=school, name=f"ม.{number}/{suffix}", grade=f"ม.{number}", year=2569,
                                       join_code=new_code())
            db.session.add(school_class)
            db.session.flush()
            db.session.execute(insert(ClassMember), [{"class_id": school_class.id, "person_id": person}
                                                     for person in ids])
        db.session.commit()


def test_the_number_of_queries_does_not_grow_with_learners_or_centres(app, client, sample, make_centre,
                                                                       make_cohort, make_school, sign_in_admin):
    sign_in_admin()
    add_learners(app, sample, make_cohort(make_centre()), 3)
    add_students(app, make_school(), 1, 3)
    pages = ["/overview?by=centre", "/overview?by=month", "/overview.csv?by=district", "/overview/schools.csv",
             "/open-data/learning-by-district-month.json"]
    few = [queries_while(app, client, page) for page in pages]
    for number in range(9):
        add_learners(app, sample, make_cohort(make_centre(f"ศูนย์ {number}", district=f"อำเภอ {number}")), 3)
        add_students(app, make_school(f"โรงเรียน {number}", district=f"อำเภอ {number}"), number + 2, 3)
    many = [queries_while(app, client, page) for page in pages]
    assert many == few
