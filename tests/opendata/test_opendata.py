"""Open data: counts by district and month for anyone, small counts suppressed, with a data dictionary.

The world: in one month (March 2025, Bangkok time), Mae Rim has 3 learners (2 finish a module) and Mae
Taeng 6 (5 finish it, one with a certificate); nothing else happens. Counts from 1 to 4 are published empty.
"""

import csv
import io
import json
from datetime import datetime

import pytest

from civiclearn.opendata import services
from tests.helpers import visible_text
from tests.overview.conftest import CHIANG_MAI, seed_demo

HEADER = ["province", "district", "month", "learners_registered", "learners_active", "modules_completed",
          "certificates_issued"]


def test_the_csv_suppresses_counts_under_five(client, districts):
    response = client.get("/open-data/learning-by-district-month.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark: Excel shows Thai
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [HEADER,
                    [CHIANG_MAI, "แม่ริม", "2025-03", "", "", "", "0"],  # 3 and 2 suppressed; 0 is published
                    [CHIANG_MAI, "แม่แตง", "2025-03", "6", "5", "5", ""]]  # the one certificate suppressed
    assert "สมใจ" not in data.decode("utf-8-sig") and "ศูนย์" not in data.decode("utf-8-sig")  # no names at all


def test_the_json_has_its_metadata_and_the_same_rows(client, districts):
    found = json.loads(client.get("/open-data/learning-by-district-month.json").get_data(as_text=True))
    assert found["rows"] == [
        dict(zip(HEADER, [CHIANG_MAI, "แม่ริม", "2025-03", None, None, None, 0], strict=True)),
        dict(zip(HEADER, [CHIANG_MAI, "แม่แตง", "2025-03", 6, 5, 5, None], strict=True)),
    ]
    assert [column["name"] for column in found["columns"]] == HEADER
    assert all(column["description"]["th"] and column["description"]["en"] for column in found["columns"])
    assert found["suppression"]["smallest_published"] == 5 and found["suppression"]["marker"] is None
    assert "1 to 4" in found["suppression"]["rule"]["en"]
    assert datetime.fromisoformat(found["generated_at"]).tzinfo is not None


def test_no_totals_are_published_that_would_give_a_suppressed_count_back(client, districts):
    """Every row is one district in one month: no province, year or overall row to subtract from."""
    rows = json.loads(client.get("/open-data/learning-by-district-month.json").get_data(as_text=True))["rows"]
    assert all(row["district"] and len(row["month"]) == 7 for row in rows)
    assert len({(row["province"], row["district"], row["month"]) for row in rows}) == len(rows)


@pytest.mark.parametrize(("count", "published"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_the_suppression_rule(count, published):
    assert services.suppressed(count) == published


def test_the_public_page_lists_the_data_set_with_its_dictionary(client):
    html = client.get("/open-data").get_data(as_text=True)
    text = visible_text(html)
    assert 'href="/open-data/learning-by-district-month.csv"' in html
    assert 'href="/open-data/learning-by-district-month.json"' in html
    for published in services.DATA_SETS.values():
        assert f'href="/open-data/{published.name}.csv"' in html and published.title["th"] in text
        for column in published.columns:  # each column, in Thai and in English
            assert column.name in text and column.th in text and column.en in text
        assert published.suppression["th"] in text
    assert services.LICENCE in text
    assert 'href="/open-data"' in client.get("/").get_data(as_text=True)  # from every page's footer


def test_an_unknown_format_is_not_found(client):
    assert client.get("/open-data/learning-by-district-month.xml").status_code == 404


def test_the_demo_data_is_never_published(app, client, districts, load_courses, tmp_path):
    """The demo added (with the shipped courses: learners, progress and certificates in two provinces this month)
    changes no row: the data set is the two real districts' March, as above."""
    load_courses()
    seed_demo(app, tmp_path)
    rows = list(csv.reader(io.StringIO(
        client.get("/open-data/learning-by-district-month.csv").get_data().decode("utf-8-sig"))))
    assert rows == [HEADER, [CHIANG_MAI, "แม่ริม", "2025-03", "", "", "", "0"],
                    [CHIANG_MAI, "แม่แตง", "2025-03", "6", "5", "5", ""]]
