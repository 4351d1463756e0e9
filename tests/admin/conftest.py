"""Fixtures of the admin pages: places in two provinces (`english` and `sign_in_admin` are in tests/conftest.py)."""

import re

import pytest

from tests.helpers import visible_text

CHIANG_MAI, BANGKOK = "เชียงใหม่", "กรุงเทพมหานคร"


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
