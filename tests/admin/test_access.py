"""Who may open the admin pages: admins, each within their scope; nobody else (404, or the sign-in page)."""

import pytest

from tests.admin.conftest import BANGKOK, CHIANG_MAI
from tests.helpers import csrf_token

PAGES = ["/admin/centres", "/admin/centres/{centre_mae_rim}", "/admin/schools", "/admin/schools/{school_mae_rim}",
         "/admin/staff", "/admin/staff/{staff}"]


@pytest.fixture
def urls(places, make_staff) -> list[str]:
    trainer = make_staff("trainer", centre_id=places["centre_mae_rim"])
    return [page.format(staff=trainer.id, **places) for page in PAGES]


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/staff/sign-in?next=")


@pytest.mark.parametrize("role", ["trainer", "teacher", "learner"])
def test_people_who_are_not_admins_get_404_everywhere(client, urls, places, role, make_staff, staff_sign_in,
                                                      make_learner, sign_in):
    if role == "learner":
        sign_in(make_learner())
    else:
        scope = ({"centre_id": places["centre_mae_rim"]} if role == "trainer"
                 else {"school_id": places["school_mae_rim"]})
        staff_sign_in(make_staff(role, **scope))
    for url in urls:
        assert client.get(url).status_code == 404, url
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    created = client.post("/admin/centres", data={"csrf_token": token, "name_th": "x", "name_en": "x",
                                                  "province": CHIANG_MAI, "district": "แม่ริม"})
    assert created.status_code == 404


@pytest.mark.parametrize(("scope", "allowed", "refused"), [
    ({}, ["centre_mae_rim", "centre_mae_taeng", "centre_bangkok"], []),
    ({"province": CHIANG_MAI}, ["centre_mae_rim", "centre_mae_taeng"], ["centre_bangkok"]),
    ({"province": CHIANG_MAI, "district": "แม่ริม"}, ["centre_mae_rim"], ["centre_mae_taeng", "centre_bangkok"]),
    ({"province": BANGKOK}, ["centre_bangkok"], ["centre_mae_rim", "centre_mae_taeng"]),
])
def test_an_admin_opens_the_places_of_their_scope_only(client, urls, places, sign_in_admin, scope, allowed, refused):
    sign_in_admin(**scope)
    for listing in ("/admin/centres", "/admin/schools", "/admin/staff"):
        assert client.get(listing).status_code == 200
    for name in allowed:
        assert client.get(f"/admin/centres/{places[name]}").status_code == 200
        school = places[name.replace("centre", "school")]
        assert client.get(f"/admin/schools/{school}").status_code == 200
    for name in refused:
        assert client.get(f"/admin/centres/{places[name]}").status_code == 404
        assert client.get(f"/admin/schools/{places[name.replace('centre', 'school')]}").status_code == 404
    assert client.get("/admin/centres/999999").status_code == 404


def test_staff_outside_the_scope_are_not_found(client, places, make_staff, sign_in_admin):
    in_bangkok = make_staff("trainer", centre_id=places["centre_bangkok"])
    in_mae_rim = make_staff("teacher", school_id=places["school_mae_rim"])
    bangkok_admin = make_staff("admin", province=BANGKOK)
    without_role = make_staff(None)
    sign_in_admin(province=CHIANG_MAI)
    assert client.get(f"/admin/staff/{in_bangkok.id}").status_code == 404
    assert client.get(f"/admin/staff/{bangkok_admin.id}").status_code == 404
    assert client.get(f"/admin/staff/{in_mae_rim.id}").status_code == 200
    assert client.get(f"/admin/staff/{without_role.id}").status_code == 200


def test_learners_are_not_staff_accounts(client, make_learner, sign_in_admin):
    learner = make_learner()
    sign_in_admin()
    assert client.get(f"/admin/staff/{learner.id}").status_code == 404


def test_every_page_opens_in_thai_the_default_language(client, urls, make_staff, staff_sign_in):
    staff_sign_in(make_staff("admin"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="th">' in response.get_data(as_text=True), url
