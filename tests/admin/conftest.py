"""Fixtures of the admin pages: the client in English (messages are checked as written), signed in as
an admin of a scope; places in two provinces."""

import re
from collections.abc import Callable

import pytest

from tests.helpers import csrf_token, visible_text

CHIANG_MAI, BANGKOK = "เชียงใหม่", "กรุงเทพมหานคร"


@pytest.fixture
def english(client) -> None:
    """The client reads the pages in English."""
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 303


@pytest.fixture
def sign_in_admin(english, make_staff, staff_sign_in) -> Callable:
    """Sign the client in as a new admin of everything, of a province, or of a district of it."""
    def run(province: str | None = None, district: str | None = None, **fields):
        admin = make_staff("admin", province=province, district=district, **fields)
        staff_sign_in(admin)
        return admin
    return run


@pytest.fixture
def places(make_centre, make_school) -> dict:
    """A centre and a school in Mae Rim and in Mae Taeng (Chiang Mai), and in Bang Rak (Bangkok)."""
    return {
        "centre_mae_rim": make_centre("ศูนย์แม่ริม", CHIANG_MAI, "แม่ริม", name_en="Mae Rim Centre"),
        "centre_mae_taeng": make_centre("ศูนย์แม่แตง", CHIANG_MAI, "แม่แตง", name_en="Mae Taeng Centre"),
        "centre_bangkok": make_centre("ศูนย์บางรัก", BANGKOK, "บางรัก", name_en="Bang Rak Centre"),
        "school_mae_rim": make_school("โรงเรียนแม่ริม", CHIANG_MAI, "แม่ริม"),
        "school_mae_taeng": make_school("โรงเรียนแม่แตง", CHIANG_MAI, "แม่แตง"),
        "school_bangkok": make_school("โรงเรียนบางรัก", BANGKOK, "บางรัก"),
    }


def field_error(html: str, field: str) -> str:
    """The message shown next to a field ('' if none)."""
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    return visible_text(match.group(1)).removeprefix("Error: ") if match else ""


def flashed(html: str) -> str:
    return " ".join(visible_text(found) for found in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', html, re.S))
