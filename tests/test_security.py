"""Safe by default: CSRF on every POST, strict headers, no stored pages, friendly errors without traces."""

import re

import pytest

from civiclearn.courses import markdown
from civiclearn.extensions import limiter
from tests.helpers import visible_text

COURSE = "/courses/getting-started"


def post_routes(app) -> list[str]:
    """A URL for every route that accepts POST, with sample values for its parts."""
    values = {"course_key": "getting-started", "module_key": "how-it-works", "lesson_key": "reading-a-lesson"}
    urls = []
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "POST" in rule.methods:
                parts = rule.arguments - set(rule.defaults or ())  # /me/details: learner_id is None by default
                urls.append(url_for(rule.endpoint, **{name: _sample(rule, name, values) for name in parts}))
    return urls


def _sample(rule, name: str, values: dict):
    """A value for a URL part: the given one, one of a list's words, or an id."""
    converter = rule._converters.get(name)
    if name in values:
        return values[name]
    return sorted(converter.items)[0] if hasattr(converter, "items") else 1


# Posted by an LMS's page, from another site: the platform's signed token and our one-time state (one per login)
# stand in for the CSRF token (tests/lti/test_bad_launches.py). Without them, they refuse too.
CROSS_SITE_POSTS = {"/lti/login", "/lti/launch"}


def test_every_post_needs_a_csrf_token(app, client, learner, sample):
    urls = post_routes(app)
    assert {"/language", "/register", "/sign-in", "/sign-out", f"{COURSE}/how-it-works/quiz"} <= set(urls)
    assert CROSS_SITE_POSTS <= set(urls)
    for url in urls:
        response = client.post(url, data={"lang": "en", "code": learner.code, "pin": learner.pin})
        assert response.status_code == 400, url
        refusal = "CivicLearn เปิดกิจกรรมนี้ไม่ได้" if url in CROSS_SITE_POSTS else "แบบฟอร์มนี้หมดเวลาแล้ว"
        assert refusal in visible_text(response.get_data(as_text=True)), url
    assert client.get("/card").status_code == 200  # still signed in: the forged sign-out did nothing


def test_pages_carry_a_strict_policy_and_are_never_stored(client, learner, sample):
    response = client.get(f"{COURSE}/how-it-works/reading-a-lesson")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_cached_under_versioned_urls(client):
    html = client.get("/sign-in").get_data(as_text=True)
    css_url = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert css_url.startswith("/static/css/app.css?v=")
    with client.get(css_url) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_pages_are_compressed_for_slow_connections(client, learner, sample):
    response = client.get(f"{COURSE}/how-it-works/reading-a-lesson", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_learning_pages_need_a_signed_in_learner(client, sample):
    for url in (f"{COURSE}/how-it-works/reading-a-lesson", f"{COURSE}/how-it-works/quiz", f"{COURSE}/how-it-works/done", "/card"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next="), url
    for url in ("/", "/courses", COURSE, f"{COURSE}/how-it-works"):
        assert client.get(url).status_code == 200, url


def test_a_learner_cannot_open_another_learners_attempt(app, client, make_learner, sign_in, sample):
    from tests.helpers import finish_module
    sign_in(make_learner(name="First"))
    attempt = finish_module(client, sample.modules[0])
    other = app.test_client()
    sign_in(make_learner(name="Second"), on=other)
    assert client.get(attempt).status_code == 200
    assert other.get(attempt).status_code == 404


@pytest.mark.parametrize("path", ["course.yml", "images/../course.yml", "../getting-started/course.yml",
                                  "images/nothing.svg", "how-it-works/reading-a-lesson.md"])
def test_course_media_serves_the_lessons_pictures_only(client, sample, path):
    assert client.get(f"{COURSE}/media/{path}").status_code == 404


def test_a_picture_added_after_loading_is_not_served(app, client, courses_dir, load_courses):
    load_courses(courses_dir)
    (courses_dir / "getting-started/images/later.png").write_bytes(b"private")
    assert client.get(f"{COURSE}/media/images/later.png").status_code == 404


def test_course_pictures_are_served(client, sample):
    with client.get(f"{COURSE}/media/images/learner-card.svg") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_unknown_pages_are_friendly_in_both_languages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in visible_text(response.get_data(as_text=True))
    from tests.test_i18n import switch_to_english
    switch_to_english(client)
    assert "We cannot find this page" in visible_text(client.get("/no/such/page").get_data(as_text=True))


def test_a_server_error_shows_no_stack_trace(make_app, caplog):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail from deep inside")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ขออภัย ระบบขัดข้อง" in body and "Sorry, something went wrong" in body
    assert "secret detail" not in body and "Traceback" not in body
    assert "secret detail from deep inside" in caplog.text  # but the operator sees it in the log


def test_lesson_html_is_sanitised_even_if_the_checker_was_skipped():
    html = markdown.render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))\n\n'
                           '<kbd onclick="x()">Tab</kbd>', lambda src: f"/media/{src}")
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html and 'href="javascript' not in html
    assert "<kbd>Tab</kbd>" in html


def test_forwarded_addresses_are_trusted_only_behind_a_configured_proxy(make_app):
    from flask import request
    headers = {"X-Forwarded-For": "10.1.2.3", "X-Forwarded-Proto": "https"}
    seen = {}
    for proxies in (1, 0):
        app = make_app(PROXIES=proxies)

        @app.get("/address")
        def address():
            return f"{request.remote_addr} {request.scheme}"
        seen[proxies] = app.test_client().get("/address", headers=headers).get_data(as_text=True)
    assert seen == {1: "10.1.2.3 https", 0: "127.0.0.1 http"}


def test_a_post_to_a_lesson_without_practice_is_not_allowed(client, learner, sample):
    url = f"{COURSE}/how-it-works/reading-a-lesson"
    from tests.helpers import csrf_token
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True))})
    assert response.status_code == 405 and response.headers["Allow"] == "GET"


def test_scripts_are_compressed_too(client):
    html = client.get("/sign-in").get_data(as_text=True)
    script = re.search(r'<script src="(/static/js/text-size\.js\?v=\w+)"', html).group(1)
    with client.get(script, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"


def test_rate_limits_are_declared_on_views_only(app):
    """extensions.ViewLimiter leaves out Flask-Limiter's check before every view, which serves limits on the whole
    app, a blueprint or by default: with one of those declared, that check is needed again."""
    manager = limiter.limit_manager
    assert not manager.default_limits and not manager.application_limits and not manager._blueprint_limits
    assert app.config.get("RATELIMIT_DEFAULT") is None and app.config.get("RATELIMIT_APPLICATION") is None
