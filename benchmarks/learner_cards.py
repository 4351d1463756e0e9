"""Learner card speed: an A4 sheet set of 40 cards (4 pages, Thai names, QR codes) rendered to PDF through the
page a trainer opens.

Goal (issue 4): 40 cards in under 3 s. The first PDF of a process also loads the fonts and stylesheet.
Run: .venv/bin/python benchmarks/learner_cards.py   (BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import statistics
import time

from common import benchmark_app, cohort_of, percentile

from civiclearn.accounts.services import create_staff, grant_role
from civiclearn.extensions import db
from tests.helpers import submit

CARDS = 40
RENDERS = 10
GOAL_SECONDS = 3.0


def main() -> None:
    with benchmark_app() as app:
        with app.app_context():
            centre, cohort, _learners = cohort_of(CARDS)
            grant_role(None, create_staff(None, "Trainer", "trainer", None, "long enough passphrase"), "trainer",
                       centre_id=centre.id)
            db.session.commit()
            url = f"/centres/{centre.id}/cards.pdf?cohort={cohort.id}"
        client = app.test_client()
        submit(client, "/staff/sign-in", {"login": "trainer", "password": "long enough passphrase"})

        start = time.perf_counter()
        first = client.get(url)
        cold = time.perf_counter() - start
        assert first.status_code == 200 and first.mimetype == "application/pdf"
        timings = []
        for _ in range(RENDERS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200
        print(f"{CARDS} learner cards ({len(first.data) / 1024:.0f} KB PDF, "
              f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): first in the process {cold:.2f} s, "
              f"then median {statistics.median(timings):.2f} s, slowest {percentile(timings, 1.0):.2f} s "
              f"of {RENDERS} (goal: under {GOAL_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
