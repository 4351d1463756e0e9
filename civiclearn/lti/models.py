"""Learning platforms (LMSs) that launch CivicLearn over LTI 1.3, and what their launches leave behind.

A platform is one (issuer, client id) pair: an LMS may register CivicLearn several times (one client id per
site or per sub-account), each with its deployments. Launches arrive only from an approved platform tied to a
school, whose classes its courses become. Our own signing keys, the one-time launch states, and the LMS
courses and resource links we have seen are rows here too, so every web process and the job worker share them.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.database import SigningKeyColumns, indexed_foreign_key, utcnow
from civiclearn.extensions import db

PLATFORM_STATES = ("pending", "active", "disabled")  # dynamic registrations wait, pending, for an admin


class LtiPlatform(db.Model):
    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # as the admin knows it, e.g. "Moodle of Ban Rim Tai school"
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(500))  # the platform's OIDC authorisation endpoint
    auth_token_url: Mapped[str] = mapped_column(String(500))  # its OAuth 2 token endpoint (grades, rosters)
    auth_audience: Mapped[str | None] = mapped_column(String(500))  # when the token endpoint wants another aud
    key_set_url: Mapped[str] = mapped_column(String(500))  # its public keys (JWKS)
    # Origins whose pages may show ours in a frame (CSP frame-ancestors), space-separated: the LMS's own address,
    # which for a hosted LMS (Canvas) is the school's, not the issuer's.
    frame_origins: Mapped[str] = mapped_column(String(1000), default="")
    state: Mapped[str] = mapped_column(String(10), default="pending")  # one of PLATFORM_STATES
    school_id: Mapped[int | None] = indexed_foreign_key("school")  # whose classes its courses become
    registered_by: Mapped[str] = mapped_column(String(10), default="admin")  # "admin" or "dynamic"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    deployments: Mapped[list["LtiDeployment"]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="LtiDeployment.id")


class LtiDeployment(db.Model):
    """One placement of CivicLearn in a platform (a whole site, or one sub-account or course)."""

    __tablename__ = "lti_deployment"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = indexed_foreign_key("lti_platform")
    deployment_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiKey(SigningKeyColumns, db.Model):
    """Our RSA key pair that signs what we send platforms (service tokens' client assertions, deep links).
    The newest key signs; a key replaced by a newer one stays published until what it signed has expired."""

    __tablename__ = "lti_key"


class LtiLaunchState(db.Model):
    """A login in progress: the state and nonce we sent the platform, each good for one launch only.
    Kept here rather than in a cookie, which a browser may refuse inside an LMS's frame."""

    __tablename__ = "lti_launch_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = indexed_foreign_key("lti_platform")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    used_at: Mapped[datetime | None]  # by the launch
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # whom the launch signed in
    handed_over_at: Mapped[datetime | None]  # when a new window took the launch over (cookies refused in the frame)
    # A deep-linking launch: what the LMS asked for (its return address, what it accepts), until the teacher chooses.
    deep_linking: Mapped[dict | None] = mapped_column(JSON)
    deployment_id: Mapped[str | None] = mapped_column(String(255))


class LtiContext(db.Model):
    """An LMS course CivicLearn was launched from, and the class it became."""

    __tablename__ = "lti_context"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = indexed_foreign_key("lti_platform")
    context_id: Mapped[str] = mapped_column(String(255))
    class_id: Mapped[int] = indexed_foreign_key("school_class")
    title: Mapped[str] = mapped_column(String(255), default="")
    memberships_url: Mapped[str | None] = mapped_column(String(500))  # Names and Role Provisioning, if offered
    lineitems_url: Mapped[str | None] = mapped_column(String(500))  # Assignment and Grade Services, if offered
    ags_scopes: Mapped[list | None] = mapped_column(JSON)  # what the LMS lets us do with its gradebook
    roster_synced_at: Mapped[datetime | None]  # the class list last read from the LMS (Names and Roles)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LtiResourceLink(db.Model):
    """An activity in an LMS course that opens one of our modules; `lineitem_url` is its gradebook column."""

    __tablename__ = "lti_resource_link"
    __table_args__ = (UniqueConstraint("platform_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = indexed_foreign_key("lti_platform")
    resource_link_id: Mapped[str] = mapped_column(String(255))
    context_row_id: Mapped[int | None] = indexed_foreign_key("lti_context")
    module_id: Mapped[int | None] = indexed_foreign_key("module")
    lineitem_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


GRADE_STATES = ("waiting", "sent", "failed")


class LtiGradeSend(db.Model):
    """A learner's best quiz score for an LMS activity, until the LMS has it: one row per learner and activity, so
    a better score replaces one not sent yet, and a send that failed keeps the score for "send again"."""

    __tablename__ = "lti_grade_send"
    __table_args__ = (UniqueConstraint("person_id", "link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = indexed_foreign_key("person")
    link_id: Mapped[int] = indexed_foreign_key("lti_resource_link")
    score_given: Mapped[float]
    score_maximum: Mapped[float]
    completed: Mapped[bool]  # passed: the activity is complete
    scored_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # one of GRADE_STATES
    tries: Mapped[int] = mapped_column(default=0)  # failed tries since the score was last set or sent again
    next_try_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
