"""Teachers assign modules with due dates; learners see their assignments first on their home page."""

from datetime import date, timedelta

from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from civiclearn.schools.models import Assignment
from tests.helpers import finish_module, progress_statements, submit, visible_text
from tests.schools.conftest import in_english


def assignments(app, class_id: int) -> dict[int, date | None]:
    with app.app_context():
        return {row.module_id: row.due_on for row in db.session.scalars(
            select(Assignment).where(Assignment.class_id == class_id))}


def test_assign_change_and_remove_without_duplicates(app, make_class, teacher_client, sample):
    class_id = make_class().id
    page = f"/classes/{class_id}"
    first, second = (str(module.id) for module in sample.modules[:2])
    due, later, last = (date.today() + timedelta(days=days) for days in (10, 36, 58))  # due dates are near today
    response = submit(teacher_client, page, {"modules": [first, second], "due_on": due.isoformat()})
    assert response.status_code == 303
    assert assignments(app, class_id) == {int(first): due, int(second): due}

    # Assigning one again changes its due date: still one row per module
    submit(teacher_client, page, {"modules": [first], "due_on": later.isoformat()})
    assert assignments(app, class_id) == {int(first): later, int(second): due}
    html = visible_text(teacher_client.get(page).get_data(as_text=True))
    assert html.index(sample.modules[1].title.en) < html.index(sample.modules[0].title.en)  # by due date

    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.module_id == int(second)))
    changed = submit(teacher_client, f"/assignments/{assignment_id}", {"due_on": last.isoformat()})
    assert changed.status_code == 303 and changed.headers["Location"] == f"{page}#assignments"
    assert assignments(app, class_id)[int(second)] == last
    cleared = submit(teacher_client, f"/assignments/{assignment_id}", {"due_on": ""})
    assert cleared.status_code == 303 and assignments(app, class_id)[int(second)] is None
    bad = submit(teacher_client, f"/assignments/{assignment_id}", {"due_on": "next week"})
    assert bad.status_code == 400 and 'id="due_on-error"' in bad.get_data(as_text=True)

    removed = submit(teacher_client, f"/assignments/{assignment_id}", {}, action=f"/assignments/{assignment_id}/remove")
    assert removed.status_code == 303
    assert assignments(app, class_id) == {int(first): later}
    with app.app_context():
        actions = [event.action for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "class").order_by(AuditEvent.id))]
    assert actions == ["assignment.set"] * 5 + ["assignment.remove"]


def test_assigning_needs_a_module_from_the_catalogue(app, make_class, teacher_client, sample):
    page = f"/classes/{make_class().id}"
    for chosen, message in (([], "Choose at least one module."), (["999999"], "Choose from the modules shown.")):
        response = submit(teacher_client, page, {"modules": chosen, "due_on": ""})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert message in html and 'href="#modules-0"' in html
    wrong_date = submit(teacher_client, page, {"modules": [str(sample.modules[0].id)], "due_on": "15/12"})
    assert wrong_date.status_code == 400 and 'id="due_on-error"' in wrong_date.get_data(as_text=True)
    assert assignments(app, int(page.rsplit("/", 1)[1])) == {}


def test_home_shows_assignments_first_with_late_ones_in_words(app, make_class, teacher_client, learner, client, sample):
    school_class = make_class()
    submit(client, "/join", {"code": school_class.join_code})
    today = date.today()
    late, soon = sample.modules
    page = f"/classes/{school_class.id}"
    submit(teacher_client, page, {"modules": [str(late.id)], "due_on": (today - timedelta(days=3)).isoformat()})
    submit(teacher_client, page, {"modules": [str(soon.id)], "due_on": (today + timedelta(days=30)).isoformat()})
    client.get(f"/courses/getting-started/{soon.key}/{soon.lessons[0].key}")  # something to continue

    in_english(client)
    with progress_statements(app) as reads:
        home = visible_text(client.get("/").get_data(as_text=True))
    assert len(reads) == 1  # the assignments are marked from the course cards' read of the learner's progress
    assert home.index("My assignments") < home.index("Continue where you left off") < home.index("My courses")
    mine = home[home.index("My assignments"):home.index("Continue where you left off")]
    assert mine.index(late.title.en) < mine.index(soon.title.en)  # by due date
    assert "Class ม.2/1" in mine
    assert mine.count("Late") == 1 and mine.index("Late") < mine.index(soon.title.en)
    assert mine.count("To do") == 1
    html = client.get("/").get_data(as_text=True)
    assert f'href="/courses/getting-started/{late.key}"' in html and 'href="/join"' in html

    finish_module(client, late)
    mine = visible_text(client.get("/").get_data(as_text=True)).split("Continue")[0]
    assert "Late" not in mine and "Done" in mine

    with client.session_transaction() as session:
        session["lang"] = "th"
    thai = visible_text(client.get("/").get_data(as_text=True))
    due = today + timedelta(days=30)
    assert f"{due.day} " in thai and str(due.year + 543) in thai  # Buddhist Era


def test_a_learner_in_no_class_sees_no_assignments_but_can_join(learner, client):
    in_english(client)
    home = visible_text(client.get("/").get_data(as_text=True))
    assert "My assignments" not in home and "Join a class" in home
