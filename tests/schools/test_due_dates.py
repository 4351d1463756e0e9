"""Due dates as Thai teachers type or pick them: Buddhist Era years are saved as Christian Era dates, a date
outside a school's sensible range is refused with a message, and Thai pages show the saved date in the B.E."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from civiclearn.extensions import db
from civiclearn.i18n import thai_date
from civiclearn.schools.models import Assignment
from tests.helpers import submit, visible_text
from tests.schools.test_assignments import assignments

BE = 543
TODAY = datetime.now(ZoneInfo("Asia/Bangkok")).date()  # the teacher's today
DUE = date(TODAY.year + 1, 12, 31)  # such as 31/12/2569 typed in 2568: well inside the range, whenever the test runs

TYPED = {
    "day/month/B.E. year": f"{DUE.day}/{DUE.month}/{DUE.year + BE}",  # 31/12/2569
    "B.E. year first, as the picker sends a typed 2569": f"{DUE.year + BE}-{DUE.month:02}-{DUE.day:02}",
    "day/month/C.E. year": f"{DUE.day}/{DUE.month}/{DUE.year}",
    "the picker's ISO date": DUE.isoformat(),
    "Thai digits": f"{DUE.day}/{DUE.month}/{DUE.year + BE}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")),
    "spaces and dashes": f" {DUE.day} - {DUE.month} - {DUE.year + BE} ",
}


def years_from(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def in_thai(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "th"


@pytest.mark.parametrize("typed", TYPED.values(), ids=TYPED.keys())
def test_a_due_date_typed_in_the_buddhist_era_or_the_christian_era_is_saved_as_that_day(app, make_class, teacher_client,
                                                                                       sample, typed):
    class_id = make_class().id
    module = sample.modules[0]
    response = submit(teacher_client, f"/classes/{class_id}", {"modules": [str(module.id)], "due_on": typed})
    assert response.status_code == 303, visible_text(response.get_data(as_text=True))
    assert assignments(app, class_id) == {module.id: DUE}  # 2026-12-31, never year 2569 (shown as 3112)

    in_thai(teacher_client)
    page = visible_text(teacher_client.get(f"/classes/{class_id}").get_data(as_text=True))
    assert f"31 ธ.ค. {DUE.year + BE}" in page and str(DUE.year + 2 * BE) not in page


def test_changing_a_due_date_takes_a_buddhist_era_year_too(app, make_class, teacher_client, sample):
    class_id = make_class().id
    submit(teacher_client, f"/classes/{class_id}", {"modules": [str(sample.modules[0].id)], "due_on": ""})
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.class_id == class_id))
    response = submit(teacher_client, f"/assignments/{assignment_id}", {"due_on": TYPED["day/month/B.E. year"]})
    assert response.status_code == 303
    assert assignments(app, class_id) == {sample.modules[0].id: DUE}
    # The form shows the saved date as the browser's date picker reads it: in the Christian Era
    assert f'value="{DUE.isoformat()}"' in teacher_client.get(f"/assignments/{assignment_id}").get_data(as_text=True)


FAR_OFF = {
    "3112-12-31 (2569 with 543 added again)": "3112-12-31",
    "31/12/3112": "31/12/3112",
    "two years ago": (TODAY - timedelta(days=2 * 365)).isoformat(),
    "three years ahead": (TODAY + timedelta(days=3 * 365)).isoformat(),
}


@pytest.mark.parametrize("typed", FAR_OFF.values(), ids=FAR_OFF.keys())
def test_a_due_date_outside_the_sensible_range_is_refused_with_the_range(app, make_class, teacher_client, sample,
                                                                         typed):
    class_id = make_class().id
    page = f"/classes/{class_id}"
    response = submit(teacher_client, page, {"modules": [str(sample.modules[0].id)], "due_on": typed})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="due_on-error"' in html and 'href="#due_on"' in html
    text = visible_text(html)
    earliest, latest = years_from(TODAY, -1), years_from(TODAY, 2)
    english = "Choose a due date from {:%b} {}, {} to {:%b} {}, {}.".format(earliest, earliest.day, earliest.year,
                                                                           latest, latest.day, latest.year)
    assert english in text  # Choose a due date from Dec 5, 2025 to Dec 5, 2028.
    assert assignments(app, class_id) == {}

    in_thai(teacher_client)
    thai = visible_text(submit(teacher_client, page, {"modules": [str(sample.modules[0].id)], "due_on": typed})
                        .get_data(as_text=True))
    assert f"ตั้งแต่ {thai_date(earliest)} ถึง {thai_date(latest)}" in thai  # ตั้งแต่ 5 ธ.ค. 2568 ถึง 5 ธ.ค. 2571


@pytest.mark.parametrize("days", [-300, 0, 700])
def test_a_due_date_inside_the_range_is_kept(app, make_class, teacher_client, sample, days):
    class_id = make_class().id
    due = TODAY + timedelta(days=days)
    response = submit(teacher_client, f"/classes/{class_id}", {"modules": [str(sample.modules[0].id)],
                                                                "due_on": due.isoformat()})
    assert response.status_code == 303
    assert assignments(app, class_id) == {sample.modules[0].id: due}


@pytest.mark.parametrize("typed", ["next week", "31/12", "31/12/69", "31/02/2569", "2569-13-01", "12/31/2569"])
def test_what_is_not_a_date_is_refused_with_how_to_write_one(make_class, teacher_client, sample, typed):
    response = submit(teacher_client, f"/classes/{make_class().id}", {"modules": [str(sample.modules[0].id)],
                                                                       "due_on": typed})
    assert response.status_code == 400
    assert "day/month/year" in visible_text(response.get_data(as_text=True))
