"""A learning platform (LMS) speaking LTI 1.3, on the loopback, for the tests: PyPI's lti1p3platform builds and
signs its messages (real RS256 tokens with its own key); this module gives it what the package leaves out:
HTTP endpoints (a Flask app served by werkzeug in a thread), a check of the redirect URI, and the settings of
the next launch.

The package's HTML helpers are not used (they import pkg_resources): the auth endpoint writes the auto-submitted
form itself, as an LMS does.
"""

import threading
from dataclasses import dataclass, field
from functools import cache
from html import escape
from html.parser import HTMLParser

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, request
from lti1p3platform.exceptions import LineItemNotFoundException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)
from werkzeug.serving import make_server

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR, LEARNER = LIS + "Instructor", LIS + "Learner"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


@cache
def key_pair() -> tuple[str, str]:
    """An RSA pair (private, public PEM); 2048 bits, as PyJWT asks. One per test session: making one takes time."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo).decode())


@dataclass
class NextLaunch:
    """Who launches what, as the LMS will say in its next id token."""

    subject: str = "lms-user-1"
    name: str | None = "สมศรี ใจดี"
    roles: list[str] = field(default_factory=lambda: [LEARNER])
    context_id: str | None = "course-101"
    context_title: str = "ม.2/1 พลเมืองดิจิทัล"
    resource_link_id: str = "link-1"
    target: str | None = None  # target_link_uri; None: the tool's launch URL
    custom: dict | None = None
    locale: str | None = None
    extra: dict = field(default_factory=dict)  # any other claim, set last (it may replace the ones above)
    deep_linking: bool = False  # an LtiDeepLinkingRequest ("add activity") instead of a resource link
    grades: bool = True  # the Assignment and Grade Services claim (the activity's gradebook column)
    roster: bool = True  # the Names and Role Provisioning Services claim (the course's member list)


class _Platform(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs) -> Registration:
        return self._registration


class _Request(Request):
    def build_metadata(self, flask_request) -> dict:
        return {"method": flask_request.method, "form_data": flask_request.form.to_dict(),
                "get_data": flask_request.args.to_dict(), "headers": flask_request.headers,
                "content_type": flask_request.content_type, "path": flask_request.path,
                "json": flask_request.get_json(silent=True)}


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict, **kwargs) -> dict:
        return launch_data


class _Gradebook(AssignmentsGradesService):
    """The package's gradebook service (it checks the bearer token and its scopes) over the LMS's dicts."""

    def __init__(self, lms: "LMS", flask_request):
        super().__init__(_Request(flask_request), lms.platform(), lms.base + "/lineitems")
        self.lms = lms

    def find_lineitems(self, **kwargs) -> dict:
        return {"content": list(self.lms.lineitems.values()), "has_next": False, "next": None}

    def find_lineitem(self, line_item_id: str, **kwargs) -> dict:
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException
        return self.lms.lineitems[line_item_id]

    def create_lineitem(self, data: dict, **kwargs) -> dict:
        key = f"item-{len(self.lms.lineitems) + 1}"
        self.lms.lineitems[key] = dict(data, id=f"{self.lms.base}/lineitems/{key}")
        return self.lms.lineitems[key]

    def update_lineitem(self, data: dict, **kwargs) -> dict:
        return data

    def delete_lineitem(self, line_item_id: str, **kwargs) -> None:
        self.lms.lineitems.pop(line_item_id, None)

    def update_score(self, line_item_id: str, score: dict, **kwargs) -> UpdateScoreStatus:
        self.find_lineitem(line_item_id)
        self.lms.scores.append((line_item_id, score))
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id: str, **kwargs) -> dict:
        return {"content": [], "has_next": False, "next": None}


class _Roster(NamesRoleProvisioningService):
    """The package's names and roles service (it checks the token's scope) over the LMS's member list."""

    def __init__(self, lms: "LMS", flask_request):
        super().__init__(_Request(flask_request), lms.platform(), lms.base + "/memberships")
        self.lms = lms

    def get_member_data_page(self, **kwargs) -> dict:
        return {"content": [dict(member) for member in self.lms.members], "has_next": False, "next": None}

    def get_context_by_id(self) -> Context:
        return Context(id=self.lms.next.context_id, label="CIV", title=self.lms.next.context_title)


def _answer(response):
    """The package's service Response as an HTTP response."""
    body = response.result if response.code < 300 else {"error": response.message}
    if isinstance(body, dict) and "content" in body:
        body = body["content"]
    return (jsonify(body) if body is not None else ""), response.code, {"Content-Type": response.media_type}


class LMS:
    """The platform. `base` is its issuer; register it with the tool, then `next` says what a launch carries."""

    def __init__(self, client_id: str = "civiclearn-tool", deployment_id: str = "deployment-1"):
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool_launch_url = ""
        self.next = NextLaunch()
        self.auth_requests: list[dict] = []
        self.registration_token = "one-time-registration-token"
        self.registered: list[dict] = []  # the tool configurations tools sent (LTI Dynamic Registration)
        self.tool_keys: dict | None = None  # the tool's public keys (its JWKS), to check what it signs
        self.deep_links: list[list[dict]] = []  # content items the tool sent back, checked
        self.lineitems: dict[str, dict] = {}  # the gradebook's columns, by key
        self.scores: list[tuple[str, dict]] = []  # (column key, score) as the tool posted them
        self.gradebook_down = False  # the gradebook answers 503 (a platform having a bad day)
        self.members: list[dict] = []  # the course's people, as Names and Role Provisioning gives them
        self.private_pem, self.public_pem = key_pair()
        self.app = Flask(__name__)
        self.app.add_url_rule("/jwks", "jwks", lambda: self.platform().get_jwks())
        self.app.add_url_rule("/auth", "auth", self.auth)
        self.app.add_url_rule("/.well-known/openid-configuration", "openid_configuration", self.openid_configuration)
        self.app.add_url_rule("/registrations", "registrations", self.registrations, methods=["POST"])
        self.app.add_url_rule("/deep-link-return", "deep_link_return", self.deep_link_return, methods=["POST"])
        self.app.add_url_rule("/token", "token", self.token, methods=["POST"])
        self.app.add_url_rule("/memberships", "memberships", self.memberships_endpoint)
        self.app.add_url_rule("/lineitems", "lineitems", self.lineitems_endpoint, methods=["GET", "POST"])
        self.app.add_url_rule("/lineitems/<item>/scores", "scores", self.scores_endpoint, methods=["POST"])
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self) -> None:
        self.next = NextLaunch()
        self.auth_requests.clear()
        self.registration_token = "one-time-registration-token"
        self.registered: list[dict] = []
        self.tool_keys = None
        self.deep_links: list[list[dict]] = []
        self.lineitems = {"link-1": {"id": f"{self.base}/lineitems/link-1", "label": "Activity", "scoreMaximum": 5,
                                     "resourceLinkId": "link-1"}}
        self.scores = []
        self.gradebook_down = False
        self.members = []

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()

    def platform(self) -> _Platform:
        """The package's platform object: one per use (it keeps state of the token it last checked)."""
        registration = (Registration().set_iss(self.base).set_client_id(self.client_id)
                        .set_deployment_id(self.deployment_id).set_launch_url(self.tool_launch_url)
                        .set_platform_private_key(self.private_pem).set_platform_public_key(self.public_pem))
        if self.next.deep_linking:
            registration.set_deeplink_launch_url(self.tool_launch_url)
        if self.tool_keys:
            registration.set_tool_key_set(self.tool_keys)
        return _Platform(registration=registration)

    @property
    def urls(self) -> dict:
        return {"issuer": self.base, "client_id": self.client_id, "auth_login_url": self.base + "/auth",
                "auth_token_url": self.base + "/token", "key_set_url": self.base + "/jwks"}

    def auth(self):
        """The OIDC authorisation endpoint: the tool's redirect comes here; the answer is the form that posts the
        id token to the tool, as the browser of a signed-in LMS user would receive it."""
        self.auth_requests.append(request.args.to_dict())
        if request.args.get("redirect_uri") != self.tool_launch_url:
            abort(400, "redirect_uri is not the tool's registered launch URL")
        launch = _Launch(_Request(request), self.platform())
        settings = self.next
        launch.set_user_data(settings.subject, settings.roles, full_name=settings.name)
        if settings.deep_linking:
            launch.set_dl(self.base + "/deep-link-return", accept_types={"ltiResourceLink"},
                          extra_data={"section": "week-1"})
        else:
            launch.set_resource_link_claim(settings.resource_link_id, title="Activity")
        if settings.context_id:
            launch.set_launch_context_claim(settings.context_id, context_title=settings.context_title)
        if settings.target:
            launch.set_launch_url(settings.target)
        if settings.custom:
            launch.set_custom_parameters_claim(settings.custom)
        if settings.locale:
            launch.set_extra_claims({LTI + "launch_presentation": {"document_target": "iframe",
                                                                   "locale": settings.locale}})
        if settings.grades and not settings.deep_linking:
            lineitem = self.lineitems.get(settings.resource_link_id, {}).get("id")
            launch.set_ags(self.base + "/lineitems", lineitem)
        if settings.roster:
            launch.set_nrps(self.base + "/memberships")
        launch.set_extra_claims(settings.extra)
        data = launch.lti_launch()
        fields = "".join(f'<input type="hidden" name="{name}" value="{escape(data[name])}">'
                         for name in ("id_token", "state"))
        return (f'<!doctype html><form id="launch" method="post" action="{escape(data["launch_url"])}">{fields}'
                f'</form><script>document.getElementById("launch").submit()</script>')

    def openid_configuration(self) -> dict:
        """What LTI Dynamic Registration's platform publishes (the IMS spec's openid-configuration)."""
        return {"issuer": self.base, "authorization_endpoint": self.base + "/auth",
                "token_endpoint": self.base + "/token", "jwks_uri": self.base + "/jwks",
                "registration_endpoint": self.base + "/registrations",
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid"], "response_types_supported": ["id_token"],
                "id_token_signing_alg_values_supported": ["RS256"], "subject_types_supported": ["public"],
                "claims_supported": ["sub", "iss", "name"],
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "moodle", "version": "4.5",
                    "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}]}}

    def registrations(self):
        """The registration endpoint: a tool configuration in, our client id and a deployment out."""
        if request.headers.get("Authorization") != f"Bearer {self.registration_token}":
            abort(401)
        tool = request.get_json()
        self.registered.append(tool)
        self.tool_launch_url = tool["redirect_uris"][0]
        answer = dict(tool, client_id=self.client_id)
        answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = dict(
            tool["https://purl.imsglobal.org/spec/lti-tool-configuration"], deployment_id=self.deployment_id)
        return answer

    def deep_link_return(self):
        """Where the tool sends the teacher's choice: the package checks the signature (with the tool's published
        keys) and the message type; the rest it leaves to the platform, so it is checked here."""
        token = request.form["JWT"]
        items = self.platform().validate_deeplinking_resp(request.form.to_dict())
        claims = jwt.decode(token, options={"verify_signature": False})
        if claims["aud"] != [self.base] or claims["iss"] != self.client_id \
                or claims[LTI + "deployment_id"] != self.deployment_id \
                or claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] != {"section": "week-1"}:
            abort(400, "a deep-linking response for another platform, deployment or request")
        self.deep_links.append(items)
        return f"<!doctype html><p>{len(items)} activities added</p>"

    def token(self):
        """OAuth 2 client credentials: the tool's assertion, checked against its published key, for a token."""
        try:
            return self.platform().get_access_token(request.form.to_dict())
        except Exception as error:  # the package raises its own and PyJWT's errors: all mean "no"
            return {"error": "invalid_client", "error_description": str(error)}, 400

    def lineitems_endpoint(self):
        gradebook = _Gradebook(self, request)
        handler = gradebook.handle_create_lineitem if request.method == "POST" else gradebook.handle_get_lineitems
        return _answer(gradebook.handle_resp(handler))

    def memberships_endpoint(self):
        roster = _Roster(self, request)
        response = roster.handle_resp(roster.handle_get_members)
        body = response.result if response.code < 300 else {"error": response.message}
        return jsonify(body), response.code, {"Content-Type": response.media_type}

    def scores_endpoint(self, item: str):
        if self.gradebook_down:
            return {"error": "the gradebook is resting"}, 503
        gradebook = _Gradebook(self, request)
        return _answer(gradebook.handle_resp(gradebook.handle_update_score, line_item_id=item))

    def sign(self, claims: dict, private_pem: str | None = None, kid: str | None = None) -> str:
        """A token with these claims, signed as the platform signs (or with another key, to forge one)."""
        kid = kid or Registration.get_jwk(self.public_pem)["kid"]
        return jwt.encode(claims, private_pem or self.private_pem, algorithm="RS256", headers={"kid": kid})


class FormFields(HTMLParser):
    """The action and fields of the first form in an HTML page (or of the form with this id)."""

    def __init__(self, html: str, form_id: str | None = None):
        super().__init__()
        self.form_id = form_id
        self.action = None
        self.inside = False
        self.fields: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.action is None and self.form_id in (None, attributes.get("id")):
            self.action = attributes.get("action")
            self.inside = True
        elif tag == "input" and self.inside and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
