"""The overview's civic actions: by kind, channel, district and month, the share fixed of those due (logged at least
30 days ago), each admin limited to their area, and the files. Hand count on the `programme` fixture:

    action  learner (district)         kind / channel                   done        logged        said
    A1      L1 (แม่ริม)                reported a problem / Traffy       2026-09-10  60 days ago   fixed
    A2      L1 (แม่ริม)                joined a forum / in person        2026-10-05  40 days ago   no answer
    A3      L2 (แม่ริม, at 2 centres)  reported a problem / 1111         2026-11-20  5 days ago    -
    A4      L4 (แม่แตง)                asked for information / LGO LINE  2026-09-01  70 days ago   -
    A5      L5 (บางรัก, Bangkok)       reported a problem / Traffy       2026-10-01  50 days ago   fixed
    A6      L7 (no centre)             reported a problem / Traffy       2026-10-01  50 days ago   fixed (not counted)
"""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.overview.conftest import BANGKOK, CHIANG_MAI, table_rows
from tests.overview.test_overview import headline

ACTIONS = [  # learner, kind, channel, done on, logged days ago, outcome
    ("L1", "reported_problem", "traffy_fondue", date(2026, 9, 10), 60, "fixed"),
    ("L1", "joined_forum_or_hearing", "in_person", date(2026, 10, 5), 40, "no_answer"),
    ("L2", "reported_problem", "hotline_1111", date(2026, 11, 20), 5, None),
    ("L4", "asked_for_information", "lgo_line_or_page", date(2026, 9, 1), 70, None),
    ("L5", "reported_problem", "traffy_fondue", date(2026, 10, 1), 50, "fixed"),
    ("L7", "reported_problem", "traffy_fondue", date(2026, 10, 1), 50, "fixed"),
]
FIGURES = {"Actions logged": 5, "Logged at least 30 days ago": 4, "Of those, fixed or answered": 2}


@pytest.fixture
def actions(app, programme):
    now = utcnow()
    with app.app_context():
        db.session.add_all(CivicAction(person_id=programme.learners[learner], token=f"a{number}", kind=kind,
                                       channel=channel, done_on=done_on, created_at=now - timedelta(days=days_ago),
                                       updated_at=now, outcome=outcome)
                           for number, (learner, kind, channel, done_on, days_ago, outcome) in enumerate(ACTIONS))
        db.session.commit()
    return programme


def test_an_admin_of_everything_sees_the_actions_by_kind_channel_district_and_month(client, actions, sign_in_admin):
    sign_in_admin()
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html, "action-figures") == FIGURES and "2 (50%)" in html
    assert table_rows(html, "actions-by-kind") == [
        ["Reported a problem", "3", "2", "2", "100%"],  # A3 is not due yet
        ["Joined a village forum or a public hearing", "1", "1", "0", "0%"],
        ["Commented on the local development plan", "0", "0", "0", "–"],  # every kind has its row
        ["Asked for public information", "1", "1", "0", "0%"],
        ["Helped someone else do one of these", "0", "0", "0", "–"]]
    assert table_rows(html, "actions-by-channel")[:3] == [
        ["Traffy Fondue", "2", "2", "2", "100%"], ["1111 (the government's call centre)", "1", "0", "0", "–"],
        ["The LINE or Facebook page of my local government", "1", "1", "0", "0%"]]
    assert table_rows(html, "actions-by-district") == [  # L2's action once, though at two centres of แม่ริม
        [f"บางรัก, {BANGKOK}", "1", "1", "1", "100%"], [f"แม่ริม, {CHIANG_MAI}", "3", "2", "1", "50%"],
        [f"แม่แตง, {CHIANG_MAI}", "1", "1", "0", "0%"]]
    assert table_rows(html, "actions-by-month") == [
        ["Sep 2026", "2", "2", "1", "50%"], ["Oct 2026", "2", "2", "1", "50%"], ["Nov 2026", "1", "0", "0", "–"]]


def test_a_district_admin_counts_their_district_only(client, actions, sign_in_admin):
    sign_in_admin(province=CHIANG_MAI, district="แม่แตง")
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html, "action-figures") == {"Actions logged": 1, "Logged at least 30 days ago": 1,
                                                "Of those, fixed or answered": 0}
    assert table_rows(html, "actions-by-district") == [[f"แม่แตง, {CHIANG_MAI}", "1", "1", "0", "0%"]]


def test_an_action_deleted_by_its_learner_is_no_longer_counted(app, client, actions, sign_in_admin):
    with app.app_context():
        db.session.delete(db.session.query(CivicAction).filter_by(token="a0").one())
        db.session.commit()
    sign_in_admin()
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html, "action-figures") == {"Actions logged": 4, "Logged at least 30 days ago": 3,
                                                "Of those, fixed or answered": 1}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_files_hold_the_four_tables_and_the_total(client, actions, sign_in_admin, file_format):
    sign_in_admin()
    with client.get(f"/overview/actions.{file_format}") as response:
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        data = response.get_data()
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        rows = [[cell if cell is not None else "" for cell in row]
                for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    rows = [[str(cell) for cell in row] for row in rows]
    assert rows[0] == ["Table", "Group", "Actions", "Logged at least 30 days ago", "Of those, fixed or answered",
                       "Share fixed (%)"]
    assert ["Kind", "Reported a problem", "3", "2", "2", "100"] in rows
    assert ["Channel", "1111 (the government's call centre)", "1", "0", "0", ""] in rows
    assert ["District", f"แม่ริม, {CHIANG_MAI}", "3", "2", "1", "50"] in rows
    assert ["Month", "Nov 2026", "1", "0", "0", ""] in rows
    assert rows[-1] == ["All", "In your area", "5", "4", "2", "50"]
    assert len(rows) == 1 + 5 + 6 + 3 + 3 + 1
