"""Admin pages of schools: lists within scope, search, pages, creating and editing, links to their classes."""

import re

import pytest
from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from civiclearn.schools.models import School, SchoolClass
from tests.admin.conftest import BANGKOK, CHIANG_MAI, field_error, flashed
from tests.helpers import submit, visible_text

NEW_SCHOOL = {"name_th": "โรงเรียนริมเหนือวิทยา", "name_en": "Rim Nuea Witthaya School", "province": CHIANG_MAI,
              "district": "แม่ริม"}


def school_ids(html: str) -> list[int]:
    return sorted(int(found) for found in re.findall(r'<th scope="row"><a href="/admin/schools/(\d+)">', html))


def create(client, data: dict):
    return submit(client, "/admin/schools", data, form_id="school-form")


@pytest.mark.parametrize(("scope", "names"), [
    ({}, ["school_bangkok", "school_mae_rim", "school_mae_taeng"]),
    ({"province": CHIANG_MAI}, ["school_mae_rim", "school_mae_taeng"]),
    ({"province": CHIANG_MAI, "district": "แม่ริม"}, ["school_mae_rim"]),
])
def test_an_admin_lists_the_schools_of_their_scope(client, places, sign_in_admin, scope, names):
    sign_in_admin(**scope)
    assert school_ids(client.get("/admin/schools").get_data(as_text=True)) == sorted(places[name] for name in names)


@pytest.mark.parametrize(("search", "names"), [
    ("แม่แตง", ["school_mae_taeng"]),
    ("โรงเรียนบาง", ["school_bangkok"]),
    (BANGKOK, ["school_bangkok"]),
    ("village", ["school_bangkok", "school_mae_rim", "school_mae_taeng"]),
    ("nowhere", []),
])
def test_schools_are_found_by_name_province_or_district(client, places, sign_in_admin, search, names):
    sign_in_admin()
    html = client.get("/admin/schools", query_string={"q": search}).get_data(as_text=True)
    assert school_ids(html) == sorted(places[name] for name in names)


def test_schools_come_a_page_at_a_time(client, make_school, sign_in_admin):
    for number in range(26):
        make_school(f"โรงเรียนที่ {number:02}")
    sign_in_admin()
    first, second = (client.get(f"/admin/schools?page={page}").get_data(as_text=True) for page in (1, 2))
    assert (len(school_ids(first)), len(school_ids(second))) == (25, 1)
    assert "26 schools" in visible_text(first) and 'rel="prev" href="/admin/schools?page=1"' in second


def test_an_admin_creates_and_edits_a_school(app, client, sign_in_admin):
    admin = sign_in_admin(province=CHIANG_MAI)
    response = create(client, NEW_SCHOOL)
    assert response.status_code == 303
    url = response.headers["Location"]
    assert "School Rim Nuea Witthaya School added." in flashed(client.get(url).get_data(as_text=True))
    edited = submit(client, url, {"name_th": "โรงเรียนริมเหนือ", "district": "แม่แตง"})
    assert edited.status_code == 303
    assert "The school's details are saved." in flashed(client.get(url).get_data(as_text=True))
    with app.app_context():
        school = db.session.scalar(select(School))
        assert (school.name_th, school.name_en, school.district) == (
            "โรงเรียนริมเหนือ", "Rim Nuea Witthaya School", "แม่แตง")
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(event.action, event.actor_id) for event in events if event.subject_type == "school"] == [
            ("school.create", admin.id), ("school.update", admin.id)]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name_th": ""}, "name_th", "Enter the name in Thai."),
    ({"name_en": " "}, "name_en", "Enter the name in English."),
    ({"province": ""}, "province", "Enter the province."),
    ({"district": "x" * 101}, "district", "Use at most 100 characters."),
    ({"province": BANGKOK, "district": "บางรัก"}, "province", "This is outside the area you administer."),
])
def test_a_bad_school_gets_its_message_next_to_the_field(app, client, sign_in_admin, changes, field, message):
    sign_in_admin(province=CHIANG_MAI)
    response = create(client, {**NEW_SCHOOL, **changes})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field) == message
    with app.app_context():
        assert db.session.scalar(select(School)) is None


def test_a_district_admin_cannot_move_a_school_to_another_district(app, client, places, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI, district="แม่ริม")
    url = f"/admin/schools/{places['school_mae_rim']}"
    response = submit(client, url, {"district": "แม่แตง"})
    assert field_error(response.get_data(as_text=True), "district") == "This is outside the area you administer."
    with app.app_context():
        assert db.session.get(School, places["school_mae_rim"]).district == "แม่ริม"


def test_a_school_page_links_to_each_of_its_classes(app, client, places, sign_in_admin):
    with app.app_context():
        for name in ("ม.2/1", "ม.2/2"):
            db.session.add(SchoolClass(school_id=places["school_mae_rim"], name=name, grade="ม.2", year=2569,
                                       join_code=f"CODE{name[-1]}"))
        db.session.commit()
        ids = db.session.scalars(select(SchoolClass.id).order_by(SchoolClass.name)).all()
    sign_in_admin()
    html = client.get(f"/admin/schools/{places['school_mae_rim']}").get_data(as_text=True)
    for class_id, name in zip(ids, ("ม.2/1", "ม.2/2"), strict=True):
        assert f'<a href="/classes/{class_id}">{name}</a>' in html
    without_classes = client.get(f"/admin/schools/{places['school_mae_taeng']}").get_data(as_text=True)
    assert "No class yet" in visible_text(without_classes)
    listed = client.get("/admin/schools?q=โรงเรียนแม่ริม").get_data(as_text=True)
    assert re.search(r"<td>2</td></tr>", listed)  # the number of classes
