"""PIN sign-in speed: the server time of the sign-in request (code + PIN), including hashing the PIN.

Goal (issue 4): under 150 ms median. A learner's own PIN is hashed with scrypt at werkzeug's full cost,
so this is mostly that hash; a wrong PIN, and a code nobody has, must take as long (no timing hint).
Run: .venv/bin/python benchmarks/sign_in.py   (BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import statistics
import time

from common import benchmark_app, percentile

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from tests.helpers import csrf_token, submit

SIGN_INS = 40
PIN = "4826"


def timed_sign_ins(client, code: str, pin: str, expected: int) -> list[float]:
    """Milliseconds of each POST /sign-in (the form's page is fetched first, untimed, for its token)."""
    timings = []
    for _ in range(SIGN_INS):
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        start = time.perf_counter()
        response = client.post("/sign-in", data={"csrf_token": token, "code": code, "pin": pin})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expected, response.status_code  # 303 signed in, 200 refused
        if response.status_code == 303:
            client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    return timings


def main() -> None:
    with benchmark_app() as app:
        client = app.test_client()
        submit(client, "/register", {"display_name": "Benchmark", "pin": PIN, "pin_confirm": PIN, "consent": "y"})
        with app.app_context():
            code = db.session.scalar(db.select(User.learner_code))
        client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
        database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
        assert code, "registration failed"
        for name, typed_code, pin, expected in (("right PIN", code, PIN, 303), ("wrong PIN", code, "0000", 200),
                                                ("unknown code", "ACEFHJ", PIN, 200)):
            timings = timed_sign_ins(client, typed_code, pin, expected)
            print(f"PIN sign-in, {name}, {SIGN_INS} requests ({database}): median {statistics.median(timings):.0f} ms, "
                  f"p95 {percentile(timings, 0.95):.0f} ms (goal: median under 150 ms)")


if __name__ == "__main__":
    main()
