"""Lesson page speed and size: median server time with content cached, and bytes sent with gzip.

Goals (issue 2): under 10 ms median server time; under 30 KB transferred without images.
Run: .venv/bin/python benchmarks/lesson_page.py   (BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import re
import statistics
import time

from common import benchmark_app, percentile

from civiclearn.courses.store import load_courses
from tests.helpers import submit

REQUESTS = 500
LESSON = "/courses/getting-started/take-part/what-is-an-lgo"
PRACTICE_LESSON = "/courses/getting-started/take-part/ways-to-take-part"  # with a report-problem activity


def main() -> None:
    with benchmark_app() as app:
        with app.app_context():
            load_courses(app.config["COURSES_DIR"])
        client = app.test_client()
        submit(client, "/register", {"display_name": "Benchmark", "pin": "4826", "pin_confirm": "4826", "consent": "y"})
        for url, name in ((LESSON, "lesson page"), (PRACTICE_LESSON, "practice lesson page")):
            for _ in range(20):  # warm up: catalogue built, lesson rendered and cached, connections open
                client.get(url)
            timings = []
            for _ in range(REQUESTS):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            print(f"{name}, {REQUESTS} requests ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): "
                  f"median {statistics.median(timings):.2f} ms, p95 {percentile(timings, 0.95):.2f} ms "
                  f"(goal: median under 10 ms)")

        gzip = {"Accept-Encoding": "gzip"}
        for url, name in ((LESSON, "lesson page"), (PRACTICE_LESSON, "practice lesson page")):
            page = client.get(url, headers=gzip)
            html = client.get(url).get_data(as_text=True)
            sizes = {"HTML": len(page.data)}
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
                with client.get(asset, headers=gzip) as response:
                    sizes[asset.split("?")[0].rsplit("/", 1)[1]] = len(response.get_data())
            parts = ", ".join(f"{part} {size / 1024:.1f} KB" for part, size in sizes.items())
            print(f"{name} transferred with gzip, without images: {sum(sizes.values()) / 1024:.1f} KB "
                  f"({parts}; HTML uncompressed {len(html.encode()) / 1024:.1f} KB) (goal: under 30 KB)")


if __name__ == "__main__":
    main()
