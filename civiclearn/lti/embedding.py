"""CivicLearn inside an LMS's frame: the session cookie a framed page needs, and who may frame it.

A page in an LMS's iframe is a third-party page to the browser: its session cookie is sent only when it is
`SameSite=None; Secure`, and partitioned (CHIPS) where the browser keeps third-party cookies apart. Only
sessions a launch started get those attributes; everyone else keeps `SameSite=Lax`. Pages of such a session
may be framed by the launching platform's origins only (CSP frame-ancestors), never by anyone else.
"""

from urllib.parse import urlsplit

from flask import Flask, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from civiclearn.extensions import db
from civiclearn.lti.models import LtiPlatform
from civiclearn.security import CONTENT_SECURITY_POLICY

FRAMED = "lti_platform"  # the session key: the id of the platform whose launch started the session


class FramedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie attributes a frame needs for launched sessions."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, built once for the app's keys instead of on every request."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if session.get(FRAMED) else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(session.get(FRAMED)) or super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return bool(session.get(FRAMED)) or super().get_cookie_partitioned(app)


def origin_of(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def default_frame_origins(issuer: str, auth_login_url: str) -> str:
    """Until the admin says otherwise: the LMS's issuer and login addresses."""
    return " ".join(dict.fromkeys(filter(None, (origin_of(issuer), origin_of(auth_login_url)))))


def framing_origins() -> str:
    """Who may frame this page: the origins a view named (g.lti_frame_origins), or those of the platform whose
    launch this is (g.lti_platform: a launch's first page) or started this session."""
    if "lti_frame_origins" in g:
        return g.lti_frame_origins
    platform_id = g.get("lti_platform") or session.get(FRAMED)
    platform = db.session.get(LtiPlatform, platform_id) if platform_id else None
    return " ".join(origin for origin in platform.frame_origins.split() if origin_of(origin) == origin) \
        if platform else ""


def frame_ancestors(response):
    """after_request: pages of a launched session may be framed by that platform's origins, and the page that
    answers a deep-linking request may post to the LMS (g.lti_form_action); the security headers' defaults (only
    ourselves) stay for everything else."""
    if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
        policy = CONTENT_SECURITY_POLICY
        origins = framing_origins()
        if origins:
            policy = policy.replace("frame-ancestors 'self'", f"frame-ancestors 'self' {origins}")
        if g.get("lti_form_action"):
            policy = policy.replace("form-action 'self'", f"form-action 'self' {g.lti_form_action}")
        if policy != CONTENT_SECURITY_POLICY:
            response.headers["Content-Security-Policy"] = policy
    return response
