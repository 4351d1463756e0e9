"""Admin pages of centres and their cohorts: lists within scope, search, pages, creating and editing."""

import re

import pytest
from sqlalchemy import select

from civiclearn.audit.models import AuditEvent
from civiclearn.centres.models import Centre, Cohort
from civiclearn.extensions import db
from tests.admin.conftest import BANGKOK, CHIANG_MAI, field_error, flashed
from tests.helpers import submit, visible_text

NEW_CENTRE = {"name_th": "ศูนย์ดิจิทัลชุมชนริมเหนือ", "name_en": "Rim Nuea Digital Centre", "province": CHIANG_MAI,
              "district": "แม่ริม", "subdistrict": "ริมเหนือ", "lgo_name": "อบต.ริมเหนือ", "idle_minutes": "5"}


def create(client, data: dict):
    return submit(client, "/admin/centres", data, form_id="centre-form")


def centre_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/admin/centres/\d+">([^<]+)</a>', html)


def test_an_admin_of_everything_lists_every_centre(client, places, sign_in_admin):
    sign_in_admin()
    html = client.get("/admin/centres").get_data(as_text=True)
    assert sorted(centre_names(html)) == ["Bang Rak Centre", "Mae Rim Centre", "Mae Taeng Centre"]
    assert "3 centres" in visible_text(html)
    assert "You administer: everything" in visible_text(html)


@pytest.mark.parametrize(("scope", "names"), [
    ({"province": CHIANG_MAI}, ["Mae Rim Centre", "Mae Taeng Centre"]),
    ({"province": CHIANG_MAI, "district": "แม่แตง"}, ["Mae Taeng Centre"]),
])
def test_a_scoped_admin_lists_only_their_centres(client, places, sign_in_admin, scope, names):
    sign_in_admin(**scope)
    assert sorted(centre_names(client.get("/admin/centres").get_data(as_text=True))) == names


@pytest.mark.parametrize(("search", "names"), [
    ("taeng", ["Mae Taeng Centre"]),
    ("ศูนย์บาง", ["Bang Rak Centre"]),
    (CHIANG_MAI, ["Mae Rim Centre", "Mae Taeng Centre"]),
    ("  แม่ริม ", ["Mae Rim Centre"]),
    ("%", []),
])
def test_centres_are_found_by_name_province_or_district(client, places, sign_in_admin, search, names):
    sign_in_admin()
    html = client.get("/admin/centres", query_string={"q": search}).get_data(as_text=True)
    assert sorted(centre_names(html)) == names


def test_thirty_centres_make_two_pages(client, make_centre, sign_in_admin):
    for number in range(30):
        make_centre(f"ศูนย์ที่ {number:02}", name_en=f"Centre {number:02}")
    sign_in_admin()
    first = client.get("/admin/centres").get_data(as_text=True)
    assert len(centre_names(first)) == 25 and "Page 1 of 2" in visible_text(first)
    assert 'rel="next" href="/admin/centres?page=2"' in first
    second = client.get("/admin/centres?page=2").get_data(as_text=True)
    assert len(centre_names(second)) == 5 and not set(centre_names(first)) & set(centre_names(second))
    searched = client.get("/admin/centres?q=ศูนย์ที่").get_data(as_text=True)
    assert re.search(r'rel="next" href="/admin/centres\?page=2&amp;q=[^"]+"', searched)
    assert "Page 2 of 2" in visible_text(client.get("/admin/centres?page=9").get_data(as_text=True))


def test_an_admin_creates_a_centre(app, client, sign_in_admin):
    admin = sign_in_admin()
    form = client.get("/admin/centres").get_data(as_text=True)
    assert re.search(r'name="idle_minutes"[^>]*value="5"', form)  # the default
    response = create(client, {**NEW_CENTRE, "idle_minutes": "10", "sign_in_by_name": "y"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Centre Rim Nuea Digital Centre added." in flashed(page)
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        assert (centre.name_th, centre.lgo_name, centre.idle_minutes, centre.sign_in_by_name) == (
            "ศูนย์ดิจิทัลชุมชนริมเหนือ", "อบต.ริมเหนือ", 10, True)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "centre.create"))
        assert (event.actor_id, event.subject_id) == (admin.id, centre.id)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name_th": "  "}, "name_th", "Enter the name in Thai."),
    ({"name_en": ""}, "name_en", "Enter the name in English."),
    ({"name_en": "x" * 201}, "name_en", "Use at most 200 characters."),
    ({"province": ""}, "province", "Enter the province."),
    ({"district": ""}, "district", "Enter the district."),
    ({"subdistrict": ""}, "subdistrict", "Enter the subdistrict."),
    ({"lgo_name": ""}, "lgo_name", "Enter the local government."),
    ({"idle_minutes": "0"}, "idle_minutes", "Enter a number of minutes from 1 to 60."),
    ({"idle_minutes": "61"}, "idle_minutes", "Enter a number of minutes from 1 to 60."),
    ({"idle_minutes": "five"}, "idle_minutes", "Enter a number of minutes from 1 to 60."),
    ({"idle_minutes": ""}, "idle_minutes", "Enter a number of minutes from 1 to 60."),
])
def test_a_bad_centre_gets_its_message_next_to_the_field(app, client, sign_in_admin, changes, field, message):
    sign_in_admin()
    response = create(client, {**NEW_CENTRE, **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, field) == message
    assert f'href="#{field}"' in html  # the error summary leads to the field
    assert "<details class=\"panel\" open>" in html
    with app.app_context():
        assert db.session.scalar(select(Centre)) is None


def test_a_province_admin_creates_centres_in_their_province_only(app, client, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI)
    form = client.get("/admin/centres").get_data(as_text=True)
    assert re.search(rf'name="province"[^>]*value="{CHIANG_MAI}"', form)  # their province is suggested
    elsewhere = create(client, {**NEW_CENTRE, "province": BANGKOK, "district": "บางรัก"})
    assert elsewhere.status_code == 400
    assert field_error(elsewhere.get_data(as_text=True), "province") == "This is outside the area you administer."
    assert create(client, NEW_CENTRE).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Centre.province)).all() == [CHIANG_MAI]


def test_a_district_admin_creates_centres_in_their_district_only(app, client, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI, district="แม่ริม")
    other_district = create(client, {**NEW_CENTRE, "district": "แม่แตง"})
    assert field_error(other_district.get_data(as_text=True), "district") == "This is outside the area you administer."
    assert create(client, NEW_CENTRE).status_code == 303


def test_an_admin_edits_a_centre(app, client, places, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI)
    url = f"/admin/centres/{places['centre_mae_rim']}"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'name="name_en"[^>]*value="Mae Rim Centre"', page)
    response = submit(client, url, {"name_en": "Mae Rim Community Centre", "idle_minutes": "3"})
    assert response.status_code == 303 and response.headers["Location"] == url
    assert "The centre's details are saved." in flashed(client.get(url).get_data(as_text=True))
    with app.app_context():
        centre = db.session.get(Centre, places["centre_mae_rim"])
        assert (centre.name_en, centre.idle_minutes, centre.sign_in_by_name) == ("Mae Rim Community Centre", 3, False)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "centre.update"))
        assert event.detail == {"changed": ["idle_minutes", "name_en"]}


def test_a_centre_cannot_be_moved_out_of_the_admins_scope(app, client, places, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI)
    url = f"/admin/centres/{places['centre_mae_rim']}"
    response = submit(client, url, {"province": BANGKOK, "idle_minutes": "99"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and field_error(html, "idle_minutes")
    response = submit(client, url, {"province": BANGKOK})
    assert field_error(response.get_data(as_text=True), "province") == "This is outside the area you administer."
    with app.app_context():
        assert db.session.get(Centre, places["centre_mae_rim"]).province == CHIANG_MAI


def test_an_admin_sees_and_adds_cohorts(app, client, places, make_cohort, sign_in_admin):
    make_cohort(places["centre_mae_rim"], "รุ่นที่ 1")
    sign_in_admin()
    url = f"/admin/centres/{places['centre_mae_rim']}"
    assert "รุ่นที่ 1" in visible_text(client.get(url).get_data(as_text=True))
    response = submit(client, url, {"cohort-name": "รุ่นที่ 2", "cohort-starts_on": "2026-06-01",
                                    "cohort-ends_on": "2026-06-30"}, action=f"{url}/cohorts")
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Cohort รุ่นที่ 2 added." in flashed(page) and "รุ่นที่ 2" in visible_text(page)
    with app.app_context():
        assert db.session.scalar(select(Cohort).where(Cohort.name == "รุ่นที่ 2")).centre_id == places["centre_mae_rim"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"cohort-name": "รุ่นที่ 1"}, "cohort-name", "This centre already has a cohort with this name."),
    ({"cohort-name": ""}, "cohort-name", "Enter a name."),
    ({"cohort-name": "รุ่นที่ 3", "cohort-starts_on": "2026-06-30", "cohort-ends_on": "2026-06-01"},
     "cohort-ends_on", "The end comes before the start."),
])
def test_a_bad_cohort_gets_its_message_next_to_the_field(client, places, make_cohort, sign_in_admin, data, field,
                                                         message):
    make_cohort(places["centre_mae_rim"], "รุ่นที่ 1")
    sign_in_admin()
    url = f"/admin/centres/{places['centre_mae_rim']}"
    response = submit(client, url, data, action=f"{url}/cohorts")
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field) == message


def test_a_scoped_admin_cannot_add_a_cohort_elsewhere(client, places, sign_in_admin):
    sign_in_admin(province=BANGKOK)
    bangkok = f"/admin/centres/{places['centre_bangkok']}"
    response = submit(client, bangkok, {"cohort-name": "x"}, action=f"{bangkok}/cohorts")
    assert response.status_code == 303
    html = client.get(bangkok).get_data(as_text=True)
    token = re.search(r'name="cohort-csrf_token"[^>]*value="([^"]+)"', html).group(1)
    refused = client.post(f"/admin/centres/{places['centre_mae_rim']}/cohorts",
                          data={"cohort-csrf_token": token, "cohort-name": "x"})
    assert refused.status_code == 404


def test_the_signatory_of_a_centres_certificates_is_set_on_its_page(app, client, places, sign_in_admin):
    sign_in_admin()
    centre = places["centre_mae_rim"]
    url = f"/admin/centres/{centre}"
    refused = submit(client, url, {"signatory_title_en": "Mayor"}, form_id="centre-form")
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "signatory_name") == "Enter the name of the person with this title too."
    saved = submit(client, url, {"signatory_name": "  นายประเสริฐ   รักษ์ถิ่น ", "signatory_title_th": "นายกเทศมนตรี",
                                 "signatory_title_en": "Mayor of Rim Tai"}, form_id="centre-form")
    assert saved.status_code == 303
    with app.app_context():
        found = db.session.get(Centre, centre)
        assert (found.signatory_name, found.signatory_title_th, found.signatory_title_en) == (
            "นายประเสริฐ รักษ์ถิ่น", "นายกเทศมนตรี", "Mayor of Rim Tai")
    cleared = submit(client, url, {"signatory_name": "", "signatory_title_th": "", "signatory_title_en": ""},
                     form_id="centre-form")
    assert cleared.status_code == 303
    with app.app_context():
        assert db.session.get(Centre, centre).signatory_name == ""
