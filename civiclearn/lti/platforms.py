"""Platform registrations, as admins keep them: added by hand or by a dynamic registration (pending until an
admin approves it and ties it to a school), corrected, disabled; and our signing key rotated.
Functions flush and never commit."""

from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.lti import keys
from civiclearn.lti.embedding import default_frame_origins
from civiclearn.lti.models import LtiDeployment, LtiKey, LtiPlatform
from civiclearn.schools.models import School

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SETTINGS = ("name", "issuer", "client_id", "auth_login_url", "auth_token_url", "auth_audience", "key_set_url",
            "frame_origins")


class AlreadyRegistered(ValueError):
    """Another registration has this issuer and client id."""


def all_platforms() -> list[LtiPlatform]:
    """Pending ones first (they wait for an admin), then by name."""
    return db.session.scalars(select(LtiPlatform).order_by((LtiPlatform.state != "pending"), LtiPlatform.name)).all()


def add_platform(actor: User, deployments: list[str], school: School | None, **settings) -> LtiPlatform:
    """A registration typed in by an admin: active at once when it names a school. Flushes. Raises AlreadyRegistered."""
    platform = LtiPlatform(registered_by="admin", state="pending")
    _apply(platform, settings)
    try:
        with db.session.begin_nested():
            db.session.add(platform)
    except IntegrityError:
        raise AlreadyRegistered(settings["client_id"]) from None
    set_deployments(platform, deployments)
    record(actor, "lti.platform.add", "lti_platform", platform.id, issuer=platform.issuer, client_id=platform.client_id)
    if school is not None:
        approve(actor, platform, school)
    return platform


def update_platform(actor: User, platform: LtiPlatform, deployments: list[str], **settings) -> None:
    """Correct a registration's addresses and deployments. Flushes. Raises AlreadyRegistered."""
    _apply(platform, settings)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise AlreadyRegistered(settings["client_id"]) from None
    set_deployments(platform, deployments)
    record(actor, "lti.platform.update", "lti_platform", platform.id, issuer=platform.issuer,
           client_id=platform.client_id)


def _apply(platform: LtiPlatform, settings: dict) -> None:
    for name in SETTINGS:
        if name in settings:
            setattr(platform, name, settings[name] or (None if name == "auth_audience" else ""))
    if not platform.frame_origins:
        platform.frame_origins = default_frame_origins(platform.issuer, platform.auth_login_url)


def set_deployments(platform: LtiPlatform, deployment_ids: list[str]) -> None:
    """Exactly these deployments (a launch from any other is refused). Flushes."""
    wanted = list(dict.fromkeys(filter(None, (item.strip() for item in deployment_ids))))
    db.session.execute(delete(LtiDeployment).where(LtiDeployment.platform_id == platform.id,
                                                   LtiDeployment.deployment_id.not_in(wanted)))
    known = set(db.session.scalars(select(LtiDeployment.deployment_id).where(LtiDeployment.platform_id == platform.id)))
    db.session.add_all(LtiDeployment(platform_id=platform.id, deployment_id=item)
                       for item in wanted if item not in known)
    db.session.flush()
    db.session.expire(platform, ["deployments"])


def approve(actor: User, platform: LtiPlatform, school: School) -> None:
    """Launches from the platform are accepted from now on; its courses become classes of `school`. Flushes."""
    platform.school_id = school.id
    platform.state = "active"
    platform.approved_at = utcnow()
    platform.approved_by_id = actor.id
    db.session.flush()
    record(actor, "lti.platform.approve", "lti_platform", platform.id, school=school.id)


def disable(actor: User, platform: LtiPlatform) -> None:
    """Launches from the platform are refused; its classes and people stay. Flushes."""
    platform.state = "disabled"
    db.session.flush()
    record(actor, "lti.platform.disable", "lti_platform", platform.id)


def current_key() -> LtiKey | None:
    """The key that signs now, if one was made yet (the first is made when a platform first needs it)."""
    return db.session.scalar(select(LtiKey).where(LtiKey.replaced_at.is_(None)).order_by(LtiKey.id.desc()).limit(1))


def rotate_key(actor: User | None) -> str:
    """A new signing key; the old one stays published for an hour. Returns the new key's id. Flushes."""
    key = keys.new_key()
    record(actor, "lti.key.rotate", "lti_key", key.id, kid=key.kid)
    return key.kid


def record_dynamic_registration(configuration: dict, answer: dict) -> LtiPlatform:
    """A platform that registered us itself: kept pending until an admin approves it. Registering again (same
    issuer and client id) updates its addresses. Flushes."""
    tool = answer.get(TOOL_CONFIGURATION) or {}
    product = (configuration.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or "LMS"
    settings = {"issuer": configuration["issuer"], "client_id": str(answer["client_id"]),
                "auth_login_url": configuration["authorization_endpoint"],
                "auth_token_url": configuration["token_endpoint"], "key_set_url": configuration["jwks_uri"],
                "auth_audience": configuration.get("authorization_server")}
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == settings["issuer"],
                                                           LtiPlatform.client_id == settings["client_id"]))
    if platform is None:
        platform = LtiPlatform(registered_by="dynamic", state="pending",
                               name=f"{product} ({urlsplit(settings['issuer']).netloc})"[:200])
        db.session.add(platform)
    _apply(platform, settings)
    db.session.flush()
    deployments = [deployment.deployment_id for deployment in platform.deployments]
    set_deployments(platform, deployments + [str(tool["deployment_id"])] if tool.get("deployment_id") else deployments)
    record(None, "lti.platform.register", "lti_platform", platform.id, issuer=platform.issuer,
           client_id=platform.client_id)
    return platform
