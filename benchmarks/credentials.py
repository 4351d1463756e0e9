"""Open Badges credential speed: building and signing a certificate's credential (VC-JWT, ES256) and checking one,
once the process is warm. (A batch of 1,000 certificates with their credentials embedded: benchmarks/certificates.py.)

Goals (issue 17): issuing a credential (build + sign) under 10 ms warm; checking one under 10 ms.
Run: .venv/bin/python benchmarks/credentials.py [certificates]   (BENCHMARK_DATABASE_URL=... for PostgreSQL)
"""

import statistics
import sys
import time

from common import benchmark_app, cohort_of, percentile

from civiclearn.badges import credential, keys, services
from civiclearn.certificates import services as certificates
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.extensions import db

CERTIFICATES = 300
GOAL = 0.010


def line(label: str, timings: list[float]) -> str:
    return (f"{label}: median {statistics.median(timings) * 1000:.2f} ms, "
            f"p95 {percentile(timings, 0.95) * 1000:.2f} ms of {len(timings)} (goal: under {GOAL * 1000:.0f} ms)")


def main(count: int) -> None:
    with benchmark_app() as app, app.test_request_context():
        load_courses(ROOT / "courses" / "getting-started")
        award = certificates.course_award(catalogue().course("getting-started"))
        _centre, _cohort, people = cohort_of(count)
        issued = [certificates.issue(person, award) for person in people]
        db.session.commit()
        key = keys.signing_key()
        services.credential_of(issued[0])  # warm: the key, the profile, the catalogue's course
        building, signing, whole = [], [], []
        for certificate in issued[1:]:
            start = time.perf_counter()
            badge = services.credential_of(certificate)
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            built = credential.build(services.facts_of(certificate, badge))
            building.append(time.perf_counter() - start)
            start = time.perf_counter()
            services.sign(built, key)
            signing.append(time.perf_counter() - start)
        db.session.commit()
        tokens = [services.credential_of(certificate).jwt for certificate in issued]
        checking = []
        for token in tokens:
            start = time.perf_counter()
            assert services.check(token).valid
            checking.append(time.perf_counter() - start)
        print(line("Build a credential", building))
        print(line("Sign it (ES256)", signing))
        print(line("Issue one (build, sign, keep)", whole))
        print(line("Check one (signature, dates, status list)", checking))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CERTIFICATES)
