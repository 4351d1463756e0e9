"""Open data of civic actions: one cell per district, month, kind and channel, small counts suppressed, the fixed
count also when the row would give a small "not fixed" back; no totals; never the demo's.

The world (the learning test's districts), actions logged 60 days ago and done in March 2025:
    แม่แตง  reported a problem / Traffy Fondue   6 actions, 6 fixed   -> 6, 6
    แม่แตง  asked for information / in person    5 actions, none fixed -> 5, 0
    แม่แตง  reported a problem / 1111            7 actions, 5 fixed   -> 7, suppressed (2 not fixed)
    แม่ริม  joined a forum / in person            2 actions, 1 fixed   -> suppressed, suppressed
"""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from civiclearn.centres.models import Cohort, Enrolment
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.opendata import services
from tests.overview.conftest import CHIANG_MAI, seed_demo

HEADER = ["province", "district", "month", "kind", "channel", "actions", "fixed_after_30_days"]
CELLS = [  # district, kind, channel, actions, fixed
    ("แม่แตง", "reported_problem", "traffy_fondue", 6, 6),
    ("แม่แตง", "asked_for_information", "in_person", 5, 0),
    ("แม่แตง", "reported_problem", "hotline_1111", 7, 5),
    ("แม่ริม", "joined_forum_or_hearing", "in_person", 2, 1),
]
PUBLISHED = [
    [CHIANG_MAI, "แม่ริม", "2025-03", "joined_forum_or_hearing", "in_person", "", ""],
    [CHIANG_MAI, "แม่แตง", "2025-03", "asked_for_information", "in_person", "5", "0"],
    [CHIANG_MAI, "แม่แตง", "2025-03", "reported_problem", "hotline_1111", "7", ""],
    [CHIANG_MAI, "แม่แตง", "2025-03", "reported_problem", "traffy_fondue", "6", "6"],
]


@pytest.fixture
def actions(app, districts):
    logged = utcnow() - timedelta(days=60)
    with app.app_context():
        rows = []
        for district, kind, channel, count, fixed in CELLS:
            learner = db.session.scalar(select(Enrolment.person_id).join(Cohort)
                                        .where(Cohort.centre_id == districts[district]).limit(1))
            rows += [CivicAction(person_id=learner, token=f"{kind}-{channel}-{number}", kind=kind, channel=channel,
                                 done_on=date(2025, 3, 15), created_at=logged, updated_at=logged,
                                 outcome="fixed" if number < fixed else "no_answer") for number in range(count)]
        db.session.add_all(rows)
        db.session.commit()


def published_rows(client) -> list[list[str]]:
    response = client.get("/open-data/civic-actions-by-district-month.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_csv_has_one_cell_per_district_month_kind_and_channel_with_small_counts_suppressed(client, actions):
    assert published_rows(client) == [HEADER, *PUBLISHED]


def test_the_json_has_its_dictionary_and_the_rule_for_the_fixed_count(client, actions):
    found = json.loads(client.get("/open-data/civic-actions-by-district-month.json").get_data(as_text=True))
    assert [column["name"] for column in found["columns"]] == HEADER
    assert found["rows"][2] == dict(zip(HEADER, [CHIANG_MAI, "แม่แตง", "2025-03", "reported_problem", "hotline_1111",
                                                 7, None], strict=True))
    assert "not fixed are from 1 to 4" in found["suppression"]["rule"]["en"]
    assert all(column["description"]["th"] and column["description"]["en"] for column in found["columns"])


@pytest.mark.parametrize(("actions_count", "fixed", "published"), [
    (0, 0, 0), (3, 3, None), (5, 5, 5), (6, 5, None), (9, 5, None), (10, 5, 5), (10, 4, None), (10, 0, 0)])
def test_the_fixed_count_rule(actions_count, fixed, published):
    assert services.fixed_published(actions_count, fixed) == published


def test_no_totals_and_nothing_of_anyone(client, actions):
    rows = published_rows(client)
    assert len({tuple(row[:5]) for row in rows[1:]}) == len(rows) - 1  # each cell once, no row of a total
    assert not any("สมใจ" in cell or "ศูนย์" in cell for row in rows for cell in row)


def test_an_unknown_data_set_is_not_found(client):
    assert client.get("/open-data/civic-actions.csv").status_code == 404


def test_the_demos_actions_are_never_published(app, client, actions, load_courses, tmp_path):
    load_courses()
    seed_demo(app, tmp_path)
    assert published_rows(client) == [HEADER, *PUBLISHED]
