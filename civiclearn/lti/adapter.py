"""The LTI 1.3 protocol, through pylti1p3 (PyPI pylti1p3next): the only module that imports it, so the
library can be swapped without touching the rest of the feature.

What we add to the library:
- registrations and deployments come from the database (approved platforms only), with our newest key;
- the state and nonce of a login are rows (LtiLaunchState), each consumed by one launch, instead of a cookie
  and the session: a browser may refuse cookies inside an LMS's frame, and the library never consumes a nonce;
- the token must carry `exp` and `iat`, its audience must name the client id, and every failure becomes
  one `BadLaunch` with a reason we can explain to a person.

It is heavy (pylti1p3 brings PyJWT, cryptography and requests): callers import it inside the function that
calls it, and speak in lti/messages.py's names elsewhere (tests/test_startup.py keeps it out of a starting server).
"""

import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import requests
from flask import request
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.cookie import CookieService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.deployment import Deployment
from pylti1p3.dynamic_registration import DynamicRegistration
from pylti1p3.exception import LtiException, LtiInvalidNonceException, LtiServiceException, OIDCException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.roles import DesignerRole, TeacherRole, TeachingAssistantRole
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import delete, select, update

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.lti import keys
from civiclearn.lti.messages import LTI, BadLaunch, ChosenItem, Launch, RegistrationFailed, ServiceFailed
from civiclearn.lti.models import LtiDeployment, LtiLaunchState, LtiPlatform

log = logging.getLogger(__name__)

LOGIN_LIFETIME = timedelta(minutes=10)  # from our redirect to the platform until its launch comes back
STATES_KEPT = timedelta(days=1)  # then a login's row goes (its launch and new-window ticket are long over)
HTTP_TIMEOUT_SECONDS = 10
PLATFORM_KEYS_SECONDS = 300  # a platform's public keys are fetched again after this (or on a key we don't know)

class TimeoutSession(requests.Session):
    """The library calls platforms without a timeout: a platform that hangs must not hang a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


class ToolRegistration(Registration):
    """A platform's registration, signing with our newest key and naming it by its kid (read when something is
    signed: a launch signs nothing)."""

    def get_kid(self) -> str:
        return keys.signing_key().kid

    def get_tool_private_key(self) -> str:
        return keys.signing_key().private_pem

    def get_jwks(self) -> list[dict]:
        return keys.published_keys()


def registration_for(platform: LtiPlatform) -> ToolRegistration:
    registration = ToolRegistration()
    (registration.set_issuer(platform.issuer).set_client_id(platform.client_id)
     .set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
     .set_key_set_url(platform.key_set_url))
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    return registration


def active_platform(issuer: str | None, client_id: str | None) -> LtiPlatform | None:
    """The approved platform of this issuer and client id; without a client id (a login initiation may leave
    it out), the issuer's only approved platform."""
    if not issuer:
        return None
    found = db.session.scalars(select(LtiPlatform).where(
        LtiPlatform.issuer == issuer, LtiPlatform.state == "active",
        LtiPlatform.client_id == client_id if client_id else db.true()).limit(2)).all()
    return found[0] if len(found) == 1 else None


class DatabaseToolConf(ToolConfAbstract):
    """Registrations from the database: many client ids per issuer, many deployments per client id."""

    def __init__(self):
        self.platforms: dict[tuple[str, str], LtiPlatform] = {}

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> ToolRegistration | None:
        """The issuer's only approved registration (active_platform's rule without a client id)."""
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss: str, client_id: str, *args, **kwargs) -> ToolRegistration | None:
        platform = active_platform(iss, client_id)
        if platform is None:
            return None
        self.platforms[(iss, client_id)] = platform
        return registration_for(platform)

    def find_deployment(self, iss: str, deployment_id: str):
        """A deployment of the issuer's only approved registration."""
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str, *args, **kwargs):
        platform = self.platforms.get((iss, client_id)) or active_platform(iss, client_id)
        if platform is None or not db.session.scalar(select(LtiDeployment.id).where(
                LtiDeployment.platform_id == platform.id, LtiDeployment.deployment_id == deployment_id)):
            return None
        return Deployment().set_deployment_id(deployment_id)


class NoCookies(CookieService):
    """The login's state lives in the database, not in a cookie the browser may refuse inside a frame."""

    def get_cookie(self, name: str) -> None:
        return None

    def set_cookie(self, name, value, exp=3600) -> None:
        pass

    def update_response(self, response) -> None:
        pass


class LaunchStates(SessionService):
    """The library's session store, pointed at LtiLaunchState: the nonce of the state this launch consumed is
    the only one accepted, and nothing of the launch goes into the browser's session."""

    def __init__(self, flask_request, consumed: LtiLaunchState | None = None):
        super().__init__(flask_request)
        self.consumed = consumed
        self.nonce: str | None = None

    def save_nonce(self, nonce: str) -> None:
        self.nonce = nonce

    def check_nonce(self, nonce: str) -> bool:
        return self.consumed is not None and secrets.compare_digest(self.consumed.nonce, nonce)

    def check_state_is_valid(self, state: str, id_token_hash: str) -> bool:
        return self.consumed is not None and secrets.compare_digest(self.consumed.state, state)

    def save_launch_data(self, key: str, jwt_body) -> None:
        pass

    def set_state_valid(self, state: str, id_token_hash: str) -> None:
        pass


class Login(FlaskOIDCLogin):
    """The library's login with unguessable state and nonce that we can keep."""

    def _get_uuid(self) -> str:
        return secrets.token_urlsafe(24)

    def _generate_nonce(self) -> str:
        return secrets.token_urlsafe(32)


class PlatformKeys:
    """The platforms' public key sets, kept a few minutes per process (the library's cache interface)."""

    def __init__(self):
        self.kept: dict[str, tuple[float, object]] = {}

    def get_session_id(self):
        return None

    def remove_session_id(self) -> None:
        pass

    def get_value(self, key: str):
        found = self.kept.get(key)
        return found[1] if found and found[0] > time.monotonic() else None

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        self.kept[key] = (time.monotonic() + (exp or PLATFORM_KEYS_SECONDS), value)

    def forget(self) -> None:
        self.kept.clear()


PLATFORM_KEYS = PlatformKeys()


def login_redirect(launch_url: str) -> str:
    """The platform's authorisation URL to send the browser to, for the login initiation in this request;
    the state and nonce are saved for the launch. Flushes. Raises BadLaunch."""
    tool_conf = DatabaseToolConf()
    states = LaunchStates(FlaskRequest())
    login = Login(FlaskRequest(), tool_conf, session_service=states, cookie_service=NoCookies())
    try:
        url = login.get_redirect_object(launch_url).get_redirect_url()
    except (OIDCException, LtiException) as error:
        reason = "missing_claims" if "login hint" in str(error) else "unknown_platform"
        raise BadLaunch(reason, str(error)) from error
    platform = active_platform(login.get_iss(), login.get_client_id())
    state = parse_qs(urlsplit(url).query)["state"][0]
    db.session.execute(delete(LtiLaunchState).where(LtiLaunchState.created_at < utcnow() - STATES_KEPT))
    db.session.add(LtiLaunchState(state=state, nonce=states.nonce, platform_id=platform.id))
    db.session.flush()
    return url


def consume_state(state: str | None) -> LtiLaunchState:
    """The login this launch answers, used up now: a second launch with the same state (or the same token)
    finds nothing. Flushes. Raises BadLaunch."""
    if not state:
        raise BadLaunch("bad_token", "no state")
    used = db.session.execute(
        update(LtiLaunchState).where(LtiLaunchState.state == state, LtiLaunchState.used_at.is_(None),
                                     LtiLaunchState.created_at > utcnow() - LOGIN_LIFETIME)
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise BadLaunch("replayed", f"state {state[:12]}... unknown, expired or used")
    return db.session.scalar(select(LtiLaunchState).where(LtiLaunchState.state == state))


def checked_launch() -> Launch:
    """The launch POSTed to this request, checked by the library and by us. Flushes. Raises BadLaunch."""
    consumed = consume_state(request.form.get("state"))
    try:
        return _validated(consumed)
    except LtiException as error:
        if "Unable to find public key" not in str(error):
            raise _bad_launch(error) from error
    PLATFORM_KEYS.forget()  # the platform may have a new key since we kept its set
    try:
        return _validated(consumed)
    except LtiException as error:
        raise _bad_launch(error) from error


def _validated(consumed: LtiLaunchState) -> Launch:
    tool_conf = DatabaseToolConf()
    message = FlaskMessageLaunch(FlaskRequest(), tool_conf, session_service=LaunchStates(FlaskRequest(), consumed),
                                 cookie_service=NoCookies(), requests_session=TimeoutSession(),
                                 service_connector_cls=_TokenCache)
    message.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})
    message.set_public_key_caching(PLATFORM_KEYS, PLATFORM_KEYS_SECONDS)
    claims = dict(message.get_launch_data())
    platform = tool_conf.platforms[(claims["iss"], message.get_client_id())]
    _check_audience(claims, platform)
    if platform.id != consumed.platform_id:
        raise BadLaunch("bad_token", "the launch names another platform than its login")
    return _launch_of(platform, consumed.id, claims, message)


def _check_audience(claims: dict, platform: LtiPlatform) -> None:
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if platform.client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != platform.client_id):
        raise BadLaunch("bad_token", f"audience {audiences!r} is not client id {platform.client_id!r}")


def _launch_of(platform: LtiPlatform, state_id: int, claims: dict, message: FlaskMessageLaunch) -> Launch:
    context = claims.get(LTI + "context") or {}
    presentation = claims.get(LTI + "launch_presentation") or {}
    name = claims.get("name") or " ".join(filter(None, (claims.get("given_name"), claims.get("family_name"))))
    return Launch(
        platform=platform, state_id=state_id, deployment_id=claims[LTI + "deployment_id"],
        message_type=claims[LTI + "message_type"],
        subject=str(claims["sub"]), name=name.strip(),
        teaches=teaches(claims.get(LTI + "roles") or []),
        context_id=context.get("id"), context_title=context.get("title") or context.get("label") or "",
        resource_link_id=(claims.get(LTI + "resource_link") or {}).get("id"),
        target_link_uri=claims.get(LTI + "target_link_uri") or "", locale=presentation.get("locale"), claims=claims)


def _bad_launch(error: LtiException) -> BadLaunch:
    text = str(error)
    if isinstance(error, LtiInvalidNonceException):
        return BadLaunch("replayed", text)
    if "Registration not found" in text or "Client id not registered" in text:
        return BadLaunch("unknown_platform", text)
    if "deployment" in text.lower():
        return BadLaunch("unknown_deployment", text)
    if "expired" in text.lower() or "not yet valid" in text.lower():
        return BadLaunch("expired", text)
    if text.startswith("Must have") or "missing" in text.lower() or "is empty" in text or "not set" in text \
            or "Incorrect version" in text or "message type" in text.lower():
        return BadLaunch("missing_claims", text)
    return BadLaunch("bad_token", text)


class _DynamicRegistration(DynamicRegistration):
    def __init__(self, configuration_url: str, token: str | None, tool_configuration: dict):
        self.configuration_url = configuration_url
        self.token = token
        self.tool_configuration = tool_configuration

    def get_request_session(self) -> requests.Session:
        return TimeoutSession()

    def get_openid_configuration_endpoint(self) -> str:
        return self.configuration_url

    def get_registration_token(self) -> str | None:
        return self.token

    def lti_registration_data(self) -> dict:
        return self.tool_configuration

    def complete_registration(self, openid_configuration: dict, openid_registration: dict) -> tuple[dict, dict]:
        return openid_configuration, openid_registration


def register_with(configuration_url: str, token: str | None, tool_configuration: dict,
                  allow_plain_http: bool) -> tuple[dict, dict]:
    """Register with the platform whose OpenID configuration is at `configuration_url` (LTI Dynamic Registration):
    returns its configuration and its answer (our client id, the deployment). Raises RegistrationFailed."""
    parts = urlsplit(configuration_url)
    if parts.scheme != "https" and not (allow_plain_http and parts.scheme == "http") or not parts.netloc:
        raise RegistrationFailed(f"the configuration address must be https: {configuration_url!r}")
    try:
        configuration, answer = _DynamicRegistration(configuration_url, token, tool_configuration).register()
    except (LtiException, AssertionError, requests.RequestException, ValueError, TypeError) as error:
        raise RegistrationFailed(str(error) or type(error).__name__) from error
    issuer = urlsplit(str(configuration.get("issuer", "")))
    if (issuer.scheme, issuer.netloc) != (parts.scheme, parts.netloc):
        raise RegistrationFailed(f"the issuer {configuration.get('issuer')!r} is not at {parts.netloc}")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not str(configuration.get(name, "")).startswith(("https://", "http://" if allow_plain_http else "https://")):
            raise RegistrationFailed(f"the configuration has no usable {name}")
    if not answer.get("client_id"):
        raise RegistrationFailed("the platform's answer has no client id")
    return configuration, answer


def deep_linking_response(platform: LtiPlatform, deployment_id: str, settings: dict, items: list[ChosenItem]) -> str:
    """The signed answer to a deep-linking request (LtiDeepLinkingResponse), with our signing key."""
    resources = []
    for item in items:
        resource = DeepLinkResource().set_title(item.title).set_url(item.url).set_custom_params(item.custom)
        if item.score_maximum:
            resource.set_lineitem(LineItem().set_score_maximum(item.score_maximum).set_label(item.title)
                                  .set_resource_id(item.resource_id).set_tag("civiclearn-quiz"))
        resources.append(resource)
    return DeepLink(registration_for(platform), deployment_id, settings).get_response_jwt(resources)


class _TokenCache(ServiceConnector):
    """Access tokens per platform registration and scopes, kept until they expire. (The library's Flask connector
    keys them by issuer alone, which mixes up two registrations of one LMS.)"""

    kept: dict[tuple, tuple[str, float]] = {}

    def _key(self, scope_key: str) -> tuple:
        return (self._registration.get_issuer(), self._registration.get_client_id(), scope_key)

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        found = self.kept.get(self._key(scope_key))
        return found[0] if found and found[1] > time.monotonic() else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        self.kept[self._key(scope_key)] = (access_token, time.monotonic() + max(0.0, expires_in - 30))


def forget_access_tokens() -> None:
    _TokenCache.kept.clear()


def send_score(platform: LtiPlatform, scopes: list[str], lineitem_url: str | None, lineitems_url: str | None,
               line: dict, score: dict) -> None:
    """Post a score to the platform's gradebook (LTI Assignment and Grade Services): to the activity's line item,
    or to one found or made by the line item's resource id. `line`: label, score_maximum, resource_id,
    resource_link_id. `score`: user_id, given, maximum, completed, timestamp. Raises ServiceFailed."""
    service = AssignmentsGradesService(_TokenCache(registration_for(platform), TimeoutSession()),
                                       {"scope": scopes, "lineitems": lineitems_url, "lineitem": lineitem_url})
    grade = (Grade().set_user_id(score["user_id"]).set_score_given(score["given"])
             .set_score_maximum(score["maximum"]).set_timestamp(score["timestamp"])
             .set_activity_progress("Completed" if score["completed"] else "Submitted")
             .set_grading_progress("FullyGraded"))
    item = None if lineitem_url else (
        LineItem().set_label(line["label"]).set_score_maximum(line["score_maximum"])
        .set_resource_id(line["resource_id"]).set_resource_link_id(line["resource_link_id"]))
    try:
        service.put_grade(grade, item)
    except LtiServiceException as error:
        response = error.response
        raise ServiceFailed(f"{response.status_code} {response.text[:200]}") from error
    except (LtiException, requests.RequestException, ValueError, KeyError) as error:
        raise ServiceFailed(str(error) or type(error).__name__) from error


def roster(platform: LtiPlatform, memberships_url: str) -> list[dict]:
    """Everyone in an LMS course, every page of it (LTI Names and Role Provisioning Services): user_id, roles,
    status and, when the LMS shares it, name. Raises ServiceFailed."""
    service = NamesRolesProvisioningService(_TokenCache(registration_for(platform), TimeoutSession()),
                                            {"context_memberships_url": memberships_url})
    try:
        return service.get_members()
    except LtiServiceException as error:
        raise ServiceFailed(f"{error.response.status_code} {error.response.text[:200]}") from error
    except (LtiException, requests.RequestException, ValueError, KeyError) as error:
        raise ServiceFailed(str(error) or type(error).__name__) from error


def teaches(roles: list[str]) -> bool:
    """An instructor (or teaching assistant, content developer) by these LTI roles; anyone else learns."""
    body = {LTI + "roles": roles}
    return TeacherRole(body).check() or TeachingAssistantRole(body).check() or DesignerRole(body).check()
