"""The open data's world: two districts' learners in March 2025 (see test_opendata)."""

from datetime import UTC, datetime

import pytest

from tests.overview.conftest import CHIANG_MAI, certify, finished, set_person

MARCH = datetime(2025, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
def districts(app, sample, make_centre, make_cohort, enrol, make_learner) -> dict[str, int]:
    """Mae Rim: 3 learners, 2 finished the first module. Mae Taeng: 6 learners, 5 finished it, 1 certified."""
    centres = {"แม่ริม": make_centre("ศูนย์ริมใต้", CHIANG_MAI, "แม่ริม"),
               "แม่แตง": make_centre("ศูนย์แม่แตง", CHIANG_MAI, "แม่แตง")}
    for district, (learners, finishing) in {"แม่ริม": (3, 2), "แม่แตง": (6, 5)}.items():
        cohort = make_cohort(centres[district])
        for number in range(learners):
            person = make_learner(f"สมใจ {district} {number}").id
            enrol(person, cohort)
            set_person(app, person, created_at=MARCH)
            if number < finishing:
                finished(app, person, sample.modules[0], MARCH)
        if district == "แม่แตง":
            certify(app, person, centres[district], sample, at=MARCH)
    return centres
