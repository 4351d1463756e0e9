"""Admin pages of staff accounts: lists within scope, creating accounts, giving and taking away roles."""

import re

import pytest
from sqlalchemy import select

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db
from tests.admin.conftest import BANGKOK, CHIANG_MAI, field_error, flashed
from tests.helpers import find_form, submit, visible_text

NEW_ACCOUNT = {"display_name": "Kanya Teacher", "username": "kanya", "email": "kanya@example.org",
               "password": "rice field morning bicycle"}
OUTSIDE = "This is outside the area you administer."


def listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/admin/staff/\d+">([^<]+)</a>', html)


def create(client, data: dict):
    return submit(client, "/admin/staff", data, form_id="staff-form")


def roles(app, person_id: int) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(RoleAssignment.scope).where(RoleAssignment.person_id == person_id)))


def test_the_list_holds_staff_in_scope_and_accounts_without_a_role(client, places, make_staff, make_learner,
                                                                    sign_in_admin):
    make_staff("trainer", username="mae_rim_trainer", centre_id=places["centre_mae_rim"])
    make_staff("teacher", username="bangkok_teacher", school_id=places["school_bangkok"])
    make_staff("admin", username="bangkok_admin", province=BANGKOK)
    make_staff("admin", username="mae_taeng_admin", province=CHIANG_MAI, district="แม่แตง")
    make_staff(None, username="newcomer")
    make_learner("Learner Somsri")
    sign_in_admin(province=CHIANG_MAI, username="cm_admin")
    names = listed(client.get("/admin/staff").get_data(as_text=True))
    assert sorted(names) == ["Staff cm_admin", "Staff mae_rim_trainer", "Staff mae_taeng_admin", "Staff newcomer"]


def test_an_admin_of_everything_lists_every_staff_account(client, places, make_staff, sign_in_admin):
    make_staff("teacher", school_id=places["school_bangkok"])
    make_staff("admin", province=BANGKOK)
    sign_in_admin()
    assert len(listed(client.get("/admin/staff").get_data(as_text=True))) == 3


@pytest.mark.parametrize(("search", "found"), [
    ("somchai", ["Staff somchai"]),
    ("SOMCHAI", ["Staff somchai"]),
    ("@school.example", ["Staff preeda"]),
    ("staff ", ["Staff admin", "Staff preeda", "Staff somchai"]),
    ("_", []),
])
def test_staff_are_found_by_name_username_or_email(app, client, make_staff, sign_in_admin, search, found):
    make_staff(None, username="somchai")
    preeda = make_staff(None, username="preeda")
    with app.app_context():
        db.session.get(User, preeda.id).email = "preeda@school.example"
        db.session.commit()
    sign_in_admin(username="admin")
    assert sorted(listed(client.get("/admin/staff", query_string={"q": search}).get_data(as_text=True))) == found


def test_staff_come_a_page_at_a_time(client, make_staff, sign_in_admin):
    for _ in range(26):
        make_staff(None)
    sign_in_admin()
    first = client.get("/admin/staff").get_data(as_text=True)
    assert len(listed(first)) == 25 and "Page 1 of 2" in visible_text(first)
    assert len(listed(client.get("/admin/staff?page=2").get_data(as_text=True))) == 2


def test_an_admin_creates_a_staff_account_that_can_sign_in(app, client, sign_in_admin, staff_sign_in):
    admin = sign_in_admin()
    response = create(client, NEW_ACCOUNT)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Account kanya created. Now give it a role." in flashed(page)
    assert "No role in your area yet." in visible_text(page)
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "kanya"))
        assert person.email == "kanya@example.org" and "bicycle" not in person.password_hash
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.create",
                                                           AuditEvent.subject_id == person.id))
        assert (event.actor_id, event.subject_id) == (admin.id, person.id)
        assert "bicycle" not in str(event.detail)
    other = app.test_client()
    assert submit(other, "/staff/sign-in", {"login": "KANYA@example.org",
                                            "password": NEW_ACCOUNT["password"]}).status_code == 303


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"username": "Admin1"}, "username", "Another account already uses this username."),
    ({"email": "Taken@Example.org"}, "email", "Another account already uses this email address."),
    ({"username": "ab"}, "username", "3 to 60 letters a-z, digits, dots, dashes or underscores."),
    ({"email": "not an address"}, "email", "Check the email address."),
    ({"password": "short"}, "password", "Use at least 12 characters, not a common password."),
    ({"display_name": ""}, "display_name", "Enter a name."),
])
def test_a_bad_staff_account_gets_its_message_next_to_the_field(app, client, make_staff, sign_in_admin, changes,
                                                                field, message):
    taken = make_staff(None)
    with app.app_context():
        db.session.get(User, taken.id).email = "taken@example.org"
        db.session.commit()
    sign_in_admin(username="admin1")
    response = create(client, {**NEW_ACCOUNT, **changes})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, field).startswith(message)
    assert 'value="rice field morning bicycle"' not in html  # a password is never written back
    with app.app_context():
        assert db.session.scalar(select(User).where(User.display_name == "Kanya Teacher")) is None


def test_a_trainer_role_is_given_at_a_centre_in_scope(app, client, places, make_staff, sign_in_admin):
    person = make_staff(None)
    admin = sign_in_admin(province=CHIANG_MAI)
    url = f"/admin/staff/{person.id}"
    html = client.get(url).get_data(as_text=True)
    offered = re.findall(r'<option value="(\d+)"', html[html.index('id="trainer-centre"'):html.index("</select>")])
    assert sorted(map(int, offered)) == sorted([places["centre_mae_rim"], places["centre_mae_taeng"]])
    response = submit(client, url, {"trainer-centre": str(places["centre_mae_rim"])}, action=f"{url}/roles/trainer")
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Role given." in flashed(page) and "Trainer at ศูนย์แม่ริม" not in page
    assert "Trainer at Mae Rim Centre" in visible_text(page)
    assert roles(app, person.id) == [f"centre:{places['centre_mae_rim']}"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.grant",
                                                           AuditEvent.subject_id == person.id))
        assert (event.actor_id, event.subject_id) == (admin.id, person.id)


def test_a_teacher_role_is_given_at_a_school_in_scope(app, client, places, make_staff, sign_in_admin):
    person = make_staff(None)
    sign_in_admin(province=CHIANG_MAI, district="แม่แตง")
    url = f"/admin/staff/{person.id}"
    response = submit(client, url, {"teacher-school": str(places["school_mae_taeng"])}, action=f"{url}/roles/teacher")
    assert response.status_code == 303
    assert roles(app, person.id) == [f"school:{places['school_mae_taeng']}"]


@pytest.mark.parametrize(("role", "data", "field", "message"), [
    ("trainer", {"trainer-centre": "centre_bangkok"}, "trainer-centre", "Choose a centre."),
    ("trainer", {"trainer-centre": ""}, "trainer-centre", "Choose a centre."),
    ("trainer", {"trainer-centre": "abc"}, "trainer-centre", "Choose a centre."),
    ("teacher", {"teacher-school": "school_bangkok"}, "teacher-school", "Choose a school."),
    ("admin", {"admin-province": "", "admin-district": ""}, "admin-province", OUTSIDE),
    ("admin", {"admin-province": BANGKOK, "admin-district": ""}, "admin-province", OUTSIDE),
    ("admin", {"admin-province": "", "admin-district": "แม่ริม"}, "admin-district",
     "Enter the province of this district too."),
])
def test_a_province_admin_cannot_give_roles_outside_their_province(app, client, places, make_staff, sign_in_admin,
                                                                   role, data, field, message):
    person = make_staff(None)
    sign_in_admin(province=CHIANG_MAI)
    url = f"/admin/staff/{person.id}"
    data = {name: str(places.get(value, value)) for name, value in data.items()}
    response = submit(client, url, data, action=f"{url}/roles/{role}")
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field) == message
    assert roles(app, person.id) == []


@pytest.mark.parametrize(("scope", "granted", "expected"), [
    ({"province": CHIANG_MAI}, {"admin-province": CHIANG_MAI}, f"province:{CHIANG_MAI}"),
    ({"province": CHIANG_MAI}, {"admin-province": CHIANG_MAI, "admin-district": "แม่แตง"},
     f"district:{CHIANG_MAI}/แม่แตง"),
    ({"province": CHIANG_MAI, "district": "แม่แตง"}, {"admin-province": CHIANG_MAI, "admin-district": "แม่แตง"},
     f"district:{CHIANG_MAI}/แม่แตง"),
    ({}, {"admin-province": "", "admin-district": ""}, "all"),
    ({}, {"admin-province": BANGKOK, "admin-district": ""}, f"province:{BANGKOK}"),
])
def test_an_admin_gives_admin_roles_inside_their_own_scope(app, client, make_staff, sign_in_admin, scope, granted,
                                                          expected):
    person = make_staff(None)
    sign_in_admin(**scope)
    url = f"/admin/staff/{person.id}"
    response = submit(client, url, granted, action=f"{url}/roles/admin")
    assert response.status_code == 303
    assert roles(app, person.id) == [expected]


def test_a_district_admin_cannot_give_the_whole_province(app, client, make_staff, sign_in_admin):
    person = make_staff(None)
    sign_in_admin(province=CHIANG_MAI, district="แม่ริม")
    url = f"/admin/staff/{person.id}"
    form = find_form(client.get(url).get_data(as_text=True), action=f"{url}/roles/admin")
    assert dict(form["fields"])["admin-district"] == "แม่ริม"  # their own district is suggested
    response = submit(client, url, {"admin-province": CHIANG_MAI, "admin-district": ""}, action=f"{url}/roles/admin")
    assert field_error(response.get_data(as_text=True), "admin-district") == OUTSIDE
    assert roles(app, person.id) == []


def test_roles_are_taken_away_within_scope_only(app, client, places, make_staff, sign_in_admin):
    person = make_staff("trainer", centre_id=places["centre_mae_rim"])
    with app.app_context():
        from civiclearn.accounts.services import grant_role
        grant_role(None, db.session.get(User, person.id), "teacher", school_id=places["school_bangkok"])
        db.session.commit()
        mae_rim, bangkok = (db.session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.person_id == person.id, RoleAssignment.role == role)) for role in ("trainer", "teacher"))
    admin = sign_in_admin(province=CHIANG_MAI)
    url = f"/admin/staff/{person.id}"
    html = client.get(url).get_data(as_text=True)
    shown = re.search(r'<ul class="steps">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<span>([^<]+)</span>", shown) == ["Trainer at Mae Rim Centre"]
    assert "1 more role, outside your area, is not shown." in visible_text(html)
    revoked = submit(client, url, {}, action=f"{url}/roles/{mae_rim}/revoke")
    assert revoked.status_code == 303 and revoked.headers["Location"] == "/admin/staff"  # nothing left to see here
    assert roles(app, person.id) == [f"school:{places['school_bangkok']}"]
    assert client.get(url).status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post(f"{url}/roles/{bangkok}/revoke", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.revoke"))
        assert (event.actor_id, event.subject_id, event.detail["role"]) == (admin.id, person.id, "trainer")


def test_nobody_takes_away_their_own_admin_role(app, client, sign_in_admin):
    admin = sign_in_admin()
    url = f"/admin/staff/{admin.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Admin of everything" in visible_text(html) and "/revoke" not in html
    with app.app_context():
        own = db.session.scalar(select(RoleAssignment.id).where(RoleAssignment.person_id == admin.id))
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post(f"{url}/roles/{own}/revoke", data={"csrf_token": token}).status_code == 404
    assert roles(app, admin.id) == ["all"]
