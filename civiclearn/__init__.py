"""CivicLearn: bilingual digital-citizenship learning for community digital centres and schools.

Feature packages, in the order they build on each other (a feature uses only those above it; the full rules,
and the layers inside a feature, are in docs/architecture.md and checked by tests/test_layers.py):
    audit         who did what to whom (staff actions on people)
    accounts      people, roles, identities; registering, signing in, sessions
    courses       course files -> checked -> database snapshot -> per-process catalogue; practice activity types
    learning      lessons, quizzes, progress; sends civiclearn.signals when a learner finishes something
    schools       schools, classes, join codes, assignments
    centres       centres, cohorts, learners, rosters, learner cards, kiosks
    certificates  course certificates: issued on the learning signals, checking, revoking, batches
    leaders       the Digital Citizen Leader pathway: practicum, mentees, endorsement (a leader certificate)
    feedback      learners rate modules and comment; staff read and answer
    civic         civic actions learners did for real (or a leader logged for them), and what came of them
    reports       dashboards, quiz questions, a learner's page and notes, class reports, exports
    privacy       see, download, correct, delete one's data
    admin         programme administration within an admin's scope
    lti           CivicLearn as an LTI 1.3 tool inside a school's LMS: registrations, launches, keys
    records       learning records (xAPI statements) to a Learning Record Store, through an outbox
    overview      admins' totals by place and month, who is reached
    themes        comment themes: module feedback grouped by a computer program, in the background, for staff
    opendata      public counts by district and month, small counts suppressed, with a dictionary
    demo          demo data: seeded only into a new, empty database, and removable
access.py decides who may see what; loaders.py finds what a page is about and asks access.py.
Shared pieces: config, extensions, database (conventions), i18n (language, Buddhist Era dates), security
(headers), errors (friendly error pages), assets (static URLs), codes, pins, forms, paging, exports, downloads,
pdf, ratelimits, signals, jobs (background jobs: RQ on Redis, or a thread).
"""

from pathlib import Path

from flask import Flask

from civiclearn.config import Config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config -> extensions (i18n, security, error pages) -> blueprints -> receivers -> CLI."""
    app = Flask(
        __name__,
        instance_path=str(Config.ROOT / "instance"),
        template_folder=str(Config.TEMPLATES_DIR),
    )
    configure(app, test_config)
    configure_sessions(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_receivers()
    configure_cli(app)
    app.extensions["civiclearn.factory"] = create_app  # for processes that build their own app (certificate batches)
    return app


def init_app(host: Flask, url_prefix: str = "/civiclearn", config: dict | None = None) -> Flask:
    """Mount CivicLearn inside another Flask app (a school portal, an LGO's site) at `url_prefix`: requests under
    it go to CivicLearn, the rest to `host`. CivicLearn keeps its own config, database and session cookie (named
    and scoped so it never meets the host's); `config` as for create_app (None: from the environment). Set
    CIVICLEARN_PUBLIC_URL to the address with the prefix. Returns the CivicLearn app (for its CLI, tests)."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    app = create_app(config)
    app.config.update(APPLICATION_ROOT=url_prefix, SESSION_COOKIE_NAME="civiclearn_session")
    host.wsgi_app = DispatcherMiddleware(host.wsgi_app, {url_prefix: app.wsgi_app})
    return app


def prepare_for_workers(app: Flask) -> None:
    """Before gunicorn forks its workers (deploy/gunicorn.conf.py): build once what each worker would otherwise
    build for itself on its first requests (the catalogue, every lesson rendered in each language, the
    translations and the templates), so the workers share one copy and no learner waits for it; then close the
    database connections, which no forked worker may inherit."""
    from datetime import date

    from flask_babel import force_locale, get_translations

    from civiclearn.courses.store import catalogue
    from civiclearn.extensions import db
    from civiclearn.i18n import format_date
    from civiclearn.learning.views import rendered_body

    with app.app_context():
        courses = catalogue().courses
        for language in app.config["LANGUAGES"]:
            with app.test_request_context("/"), force_locale(language):
                get_translations()
                format_date(date.today())  # the language's calendar data
                for course in courses:
                    for lesson in course.lessons():
                        rendered_body(lesson)
        for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
            app.jinja_env.get_template(name)
        db.session.remove()  # its connection back to the pool, so that disposing of the pool closes it
        db.engine.dispose()


def configure(app: Flask, test_config: dict | None) -> None:
    """Defaults, then the environment (or the test's settings, which replace the environment)."""
    app.config.from_object(Config)
    if test_config is None:
        app.config.update(Config.from_environment(Path(app.instance_path)))
    else:
        app.config.update(test_config)
    if app.config["PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        # Behind nginx every request comes from 127.0.0.1: take the learner's address and the
        # scheme from the proxy's headers, so rate limits and secure cookies see the real ones.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])


def configure_sessions(app: Flask) -> None:
    """Flask's signed-cookie sessions; a session an LMS launch started gets the cookie a frame needs."""
    from civiclearn.lti.embedding import FramedSessionInterface

    app.session_interface = FramedSessionInterface()


def configure_extensions(app: Flask) -> None:
    import civiclearn.models  # noqa: F401 - every table in the metadata before anything uses it
    from civiclearn import assets, errors, i18n, security
    from civiclearn.courses.store import CatalogueHolder
    from civiclearn.extensions import (
        compress,
        csrf,
        db,
        limiter,
        login_manager,
        migration_commands,
    )

    db.init_app(app)
    app.cli.add_command(migration_commands)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    app.extensions["civiclearn.catalogue"] = CatalogueHolder(app.config["CONTENT_POLL_SECONDS"])


def configure_blueprints(app: Flask) -> None:
    from civiclearn import i18n
    from civiclearn.accounts.views import bp as accounts
    from civiclearn.admin.views import bp as admin
    from civiclearn.centres import cards, kiosk, roster_views  # noqa: F401 - their routes join the centres blueprint
    from civiclearn.centres.views import bp as centres
    from civiclearn.certificates import batch_views  # noqa: F401 - its routes join the certificates_staff blueprint
    from civiclearn.badges.admin_views import bp as badges_admin
    from civiclearn.badges.views import bp as badges
    from civiclearn.certificates.staff_views import bp as certificates_staff
    from civiclearn.certificates.views import bp as certificates
    from civiclearn.civic.staff_views import bp as civic_staff
    from civiclearn.civic.views import bp as civic
    from civiclearn.courses.views import bp as courses
    from civiclearn.database import RowIdConverter
    from civiclearn.feedback.staff_views import bp as feedback_staff
    from civiclearn.feedback.views import bp as feedback
    from civiclearn.health import bp as health
    from civiclearn.leaders.staff_views import bp as leaders_staff
    from civiclearn.leaders.views import bp as leaders
    from civiclearn.learning.views import bp as learning
    from civiclearn.lti.admin_views import bp as lti_admin
    from civiclearn.lti.staff_views import bp as lti_staff
    from civiclearn.lti.views import bp as lti
    from civiclearn.opendata.views import bp as opendata
    from civiclearn.overview.views import bp as overview
    from civiclearn.privacy.staff_views import bp as privacy_staff
    from civiclearn.privacy.views import bp as privacy
    from civiclearn.reports.views import bp as reports
    from civiclearn.schools.staff_views import bp as schools_staff
    from civiclearn.schools.views import bp as schools
    from civiclearn.themes.views import bp as themes

    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    # Before any blueprint's hooks: the idle sign-out needs to know whether this browser is a kiosk.
    app.before_request(kiosk.load_kiosk)
    # Each blueprint has one guard: public, signed in, staff (`*_staff`) or admin (see civiclearn.access).
    for blueprint in (i18n.bp, accounts, courses, learning, centres, kiosk.kiosk_bp, schools, schools_staff, privacy,
                      privacy_staff, admin, certificates, certificates_staff, leaders, leaders_staff, badges, reports, feedback,
                      feedback_staff, civic, civic_staff, overview, themes, opendata, health, lti, lti_staff, lti_admin,
                      badges_admin):
        app.register_blueprint(blueprint)


def configure_receivers() -> None:
    """Features that act on another's events (civiclearn.signals) connect their receivers."""
    from civiclearn.badges import receivers as badges
    from civiclearn.certificates import receivers as certificates
    from civiclearn.lti import receivers as lti
    from civiclearn.records import receivers as records
    from civiclearn.themes import receivers as themes

    badges.connect()
    certificates.connect()
    lti.connect()
    records.connect()
    themes.connect()


def configure_cli(app: Flask) -> None:
    from civiclearn.admin.cli import people_cli
    from civiclearn.backups import backup_cli
    from civiclearn.badges.cli import badges_cli
    from civiclearn.certificates.cli import certificates_cli
    from civiclearn.courses.cli import courses_cli
    from civiclearn.demo.cli import demo_cli
    from civiclearn.jobs import jobs_cli
    from civiclearn.lti.cli import lti_cli
    from civiclearn.records.cli import records_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(lti_cli)
    app.cli.add_command(records_cli)
    app.cli.add_command(badges_cli)
