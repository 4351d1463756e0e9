"""Teachers create classes with join codes; learners join with them, however they type the code."""

from sqlalchemy import func, select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from civiclearn.schools import services
from civiclearn.schools.forms import current_academic_year
from civiclearn.schools.models import ClassMember, School, SchoolClass
from tests.helpers import submit, visible_text
from tests.schools.conftest import in_english


def test_a_class_gets_a_unique_well_formed_join_code(app, make_class, teacher_client, school):
    made = [make_class(name=f"ม.2/{number}") for number in range(1, 6)]
    assert all(codes.is_well_formed(each.join_code, services.JOIN_CODE_LENGTH) for each in made)
    assert len({each.join_code for each in made}) == len(made)

    page = visible_text(teacher_client.get(f"/classes/{made[0].id}").get_data(as_text=True))
    assert codes.display(made[0].join_code) in page and "Join a class" in page  # shown large, with how to use it
    school_page = visible_text(teacher_client.get(f"/schools/{school}").get_data(as_text=True))
    assert all(f"ม.2/{number}" in school_page for number in range(1, 6))
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "class.create")).all()
        assert {event.detail["school_class"] for event in events} == {each.id for each in made}


def test_a_taken_join_code_is_drawn_again(app, make_class, teacher, school, monkeypatch):
    taken = make_class().join_code
    drawn = iter([taken, taken, "ACEFHJ"])
    monkeypatch.setattr(codes, "new_code", lambda length: next(drawn))
    with app.test_request_context():
        actor = db.session.get(User, teacher.id)
        school_class = services.create_class(actor, db.session.get(School, school), "ม.3/1", "ม.3", 2569)
        db.session.commit()
        assert school_class.join_code == "ACEFHJ"
        assert db.session.scalar(select(func.count(SchoolClass.id))) == 2


def test_class_form_reads_years_as_thai_teachers_write_them(app, teacher_client, school):
    with app.test_request_context():
        this_year = current_academic_year()
    thai_digits = str(this_year).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    for typed, name in ((thai_digits, "ม.1/1"), (str(this_year - 543), "ม.1/2")):
        response = submit(teacher_client, f"/schools/{school}", {"name": name, "grade": "ม.1", "year": typed})
        assert response.status_code == 303
    with app.app_context():
        assert set(db.session.scalars(select(SchoolClass.year))) == {this_year}

    wrong = submit(teacher_client, f"/schools/{school}", {"name": "ม.1/3", "grade": "", "year": "1990"})
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert 'id="grade-error"' in html and "Enter the grade." in html
    assert 'id="year-error"' in html and "Buddhist Era" in html

    twice = submit(teacher_client, f"/schools/{school}", {"name": "ม.1/1", "grade": "ม.1", "year": str(this_year)})
    assert twice.status_code == 400
    assert "already has a class with this name" in twice.get_data(as_text=True)


def test_learner_joins_with_a_code_typed_loosely_and_twice(app, make_class, learner, client):
    join_code = make_class().join_code
    in_english(client)
    loose = f"  {join_code[:3].lower()} - {join_code[3:]}  ".translate(str.maketrans("3479", "๓๔๗๙"))
    response = submit(client, "/join", {"code": loose})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "You are in class ม.2/1" in visible_text(client.get("/").get_data(as_text=True))

    again = submit(client, "/join", {"code": join_code})
    assert again.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(ClassMember.id)).where(ClassMember.person_id == learner.id)) == 1


def test_a_learner_typing_the_thai_keyboard_still_joins(app, make_class, learner, client):
    join_code = make_class().join_code
    # The same keys pressed with the keyboard left in Thai (Kedmanee), as codes.from_thai_keyboard reads them.
    thai_keys = {latin: thai for thai, latin in zip(codes._THAI_KEYS, codes._LATIN_KEYS, strict=True)}
    typed = "".join(thai_keys[char.lower()] for char in join_code)
    assert submit(client, "/join", {"code": typed}).status_code == 303


def test_a_wrong_code_is_explained_next_to_the_field(make_class, learner, client):
    unknown = "ACEACE" if make_class().join_code != "ACEACE" else "ACEACF"
    in_english(client)
    for typed, message in (("", "Enter the class code."), ("AB-12", "A class code has 6 letters and digits"),
                           (unknown, "No class has this code")):
        response = submit(client, "/join", {"code": typed})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="code-error"' in html and message in html and 'href="#code"' in html


def test_joining_needs_a_signed_in_person_who_may_register_first(client):
    response = client.get("/join")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=%2Fjoin")
    sign_in_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/register"' in sign_in_page


def test_guessing_class_codes_is_slowed_down(make_class, learner, client):
    make_class()
    statuses = [submit(client, "/join", {"code": f"ACEAC{letter}"}).status_code for letter in "FHJKMNPRTWX"]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
