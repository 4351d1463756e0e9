"""Configuration: safe defaults for a single centre PC, overridden from the environment."""

import os
import secrets
from pathlib import Path

from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: templates/, translations/ and courses/ live beside the package."""

LANGUAGES = ("th", "en")
"""Every page and every course text exists in these languages; the first is the default."""


def database_url(raw: str | None, instance_path: Path) -> str:
    """Return an SQLAlchemy URL, defaulting to SQLite in the instance folder, psycopg 3 for PostgreSQL."""
    if not raw:
        return f"sqlite:///{instance_path / 'civiclearn.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def secret_key(instance_path: Path) -> str:
    """Read the key from instance/secret_key, creating it once (safe when several workers start together)."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker wins, the others read its key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


LIMIT_SETTINGS = ("SIGN_IN_ADDRESS_LIMIT", "VERIFY_LIMIT", "REGISTER_LIMIT", "OPEN_DATA_LIMIT", "JOIN_LIMIT",
                  "MENTEE_LIMIT", "LTI_REGISTER_LIMIT")
"""Rate limits ("100 per 5 minutes;1000 per day"), each settable as CIVICLEARN_<NAME>."""
COUNT_SETTINGS = ("SIGN_IN_LOCK_AFTER", "SIGN_IN_LOCK_MINUTES")


def limits_from_environment(defaults, env) -> dict:
    """The limits a deployment sets (CIVICLEARN_SIGN_IN_ADDRESS_LIMIT=...), checked now: a typo must stop the
    start, not switch a limit off."""
    found = {}
    for name in LIMIT_SETTINGS + COUNT_SETTINGS:
        value = env.get(f"CIVICLEARN_{name}")
        if value is None:
            continue
        try:
            found[name] = value if name in LIMIT_SETTINGS and parse_many(value) else int(value)
        except ValueError as error:
            raise ValueError(f"CIVICLEARN_{name}={value!r} is not a limit like "
                             f"{getattr(defaults, name)!r}") from error
        if name in COUNT_SETTINGS and found[name] < 1:
            raise ValueError(f"CIVICLEARN_{name} must be 1 or more")
    return found


class Config:
    """Defaults; `from_environment` fills in what a deployment sets."""

    ROOT = ROOT
    TEMPLATES_DIR = ROOT / "templates"
    TRANSLATIONS_DIR = ROOT / "translations"
    COURSES_DIR = ROOT / "courses"

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Workers poll the content version at most this often, so a `flask courses load`
    # reaches every gunicorn worker within a few seconds.
    CONTENT_POLL_SECONDS = 3.0

    LANGUAGES = LANGUAGES
    BABEL_DEFAULT_LOCALE = LANGUAGES[0]
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"

    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session; slow readers must not lose a quiz
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 0  # no "remember me" on shared computers

    PROXIES = 0  # reverse proxies (nginx...) in front of the app, whose X-Forwarded-* headers to trust
    # Counters every worker shares: the app's database (civiclearn.ratelimits), or Redis when set.
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = True
    # Limits, each settable from the environment as CIVICLEARN_<NAME> (see LIMIT_SETTINGS, docs/security.md).
    SIGN_IN_LOCK_AFTER = 5  # wrong PINs or passwords in a row: the account locks, the code typed pauses
    SIGN_IN_LOCK_MINUTES = 15
    # Wrong sign-in tries per address or kiosk (right ones never count: a lab behind one address signs in all day).
    SIGN_IN_ADDRESS_LIMIT = "300 per 5 minutes;2000 per day"
    VERIFY_LIMIT = "30 per minute;500 per day"  # per address: checking certificates, not harvesting them
    REGISTER_LIMIT = "60 per 10 minutes"  # per address: a whole cohort may register at one centre
    OPEN_DATA_LIMIT = "30 per minute"  # per address: each open-data download counts the whole programme afresh
    JOIN_LIMIT = "10 per 5 minutes"  # per person: class codes typed; enough for mistakes, too few to guess codes
    IDLE_SIGN_OUT_MINUTES = 30  # on a kiosk, the centre's own idle time (5 minutes unless it sets another)
    IDLE_MINUTE_SECONDS = 60  # the length of an idle "minute": tests that cannot wait shorten it

    # The address printed in certificates' QR codes and links (their verification page) and in the demo's
    # hints: CIVICLEARN_PUBLIC_URL, since a certificate issued in the background or from the command line has
    # no request to ask. `make run` gives the address it serves on when it is not set; deploy/serve requires it.
    PUBLIC_URL = "http://127.0.0.1:5000"
    MENTEE_LIMIT = "30 per hour"  # per leader: learner codes typed to add mentees
    LTI_REGISTER_LIMIT = "20 per hour"  # per address: dynamic registrations (each calls out to the LMS)
    # LMSs are reached over https only; CIVICLEARN_LTI_ALLOW_PLAIN_HTTP=1 lets a trial reach one on plain http.
    LTI_ALLOW_PLAIN_HTTP = False
    # A grade send that failed is tried again after these seconds (the 1st, 2nd ... failure), then shown as failed.
    LTI_GRADE_RETRY_SECONDS = (60, 300, 1800, 7200, 43200)
    # Learning records (xAPI) go to this Learning Record Store when set (CIVICLEARN_XAPI_LRS_URL, its xAPI
    # endpoint, e.g. https://lrs.example.go.th/xAPI/, with CIVICLEARN_XAPI_LRS_USERNAME and _PASSWORD).
    XAPI_LRS_URL = None
    XAPI_LRS_USERNAME = ""
    XAPI_LRS_PASSWORD = ""
    XAPI_RETRY_SECONDS = (60, 300, 1800, 7200, 43200)  # then every 12 hours, for as long as it takes

    # Background jobs (civiclearn.jobs): on a Redis queue run by `flask jobs worker` when this is set
    # (CIVICLEARN_JOBS_REDIS_URL, e.g. redis://127.0.0.1:6379/0); else in a thread of the web process.
    JOBS_REDIS_URL = None
    JOBS_QUEUE = "civiclearn"

    SEND_FILE_MAX_AGE_DEFAULT = 31536000  # static URLs carry a content hash, see civiclearn.assets
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "text/plain", "image/svg+xml", "application/json"]
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False  # see civiclearn.assets: small files are buffered and gzipped instead

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict:
        """Settings a deployment controls through environment variables."""
        env = os.environ
        return limits_from_environment(cls, env) | {
            "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
            "SECRET_KEY": env.get("SECRET_KEY") or secret_key(instance_path),
            "COURSES_DIR": Path(env.get("CIVICLEARN_COURSES_DIR", cls.COURSES_DIR)),
            "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", cls.RATELIMIT_STORAGE_URI),
            "SESSION_COOKIE_SECURE": env.get("CIVICLEARN_HTTPS", "") == "1",
            "PROXIES": int(env.get("CIVICLEARN_PROXIES", "0")),
            "PUBLIC_URL": env.get("CIVICLEARN_PUBLIC_URL", cls.PUBLIC_URL).rstrip("/"),
            "JOBS_REDIS_URL": env.get("CIVICLEARN_JOBS_REDIS_URL") or None,
            "LTI_ALLOW_PLAIN_HTTP": env.get("CIVICLEARN_LTI_ALLOW_PLAIN_HTTP", "") == "1",
            "XAPI_LRS_URL": env.get("CIVICLEARN_XAPI_LRS_URL") or None,
            "XAPI_LRS_USERNAME": env.get("CIVICLEARN_XAPI_LRS_USERNAME", ""),
            "XAPI_LRS_PASSWORD": env.get("CIVICLEARN_XAPI_LRS_PASSWORD", ""),
            "JOBS_QUEUE": env.get("CIVICLEARN_JOBS_QUEUE", cls.JOBS_QUEUE),
            # Files of certificate batches: one folder every worker of the server can read (kept 30 days).
            "CERTIFICATE_BATCHES_DIR": Path(env.get("CIVICLEARN_CERTIFICATE_BATCHES_DIR")
                                            or instance_path / "certificate-batches"),
        }
