"""What the rest of the LTI feature speaks in: the claims a launch carries, a checked launch, a module chosen by
deep linking, and the ways a call to or from a platform fails. Light on purpose: the protocol itself (pylti1p3,
requests, cryptography: about 15 MB) lives in lti/adapter.py, which is imported where it is called, so a web
worker that never meets an LMS never loads it."""

from dataclasses import dataclass

from civiclearn.lti.models import LtiPlatform

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


class BadLaunch(Exception):
    """A login or launch we refuse. `reason` is one of views' BAD_LAUNCH_MESSAGES; `detail` is for the log."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class RegistrationFailed(Exception):
    """A dynamic registration that did not go through; the message says why, for the LMS administrator."""


class ServiceFailed(Exception):
    """A call to a platform's service (gradebook, roster) that did not go through; the message says why."""


@dataclass(frozen=True)
class Launch:
    """A launch the library and we have checked: who, from where, into what."""

    platform: LtiPlatform
    state_id: int  # the login it answered (LtiLaunchState)
    deployment_id: str
    message_type: str  # LtiResourceLinkRequest or LtiDeepLinkingRequest
    subject: str
    name: str
    teaches: bool  # an instructor (or teaching assistant, content developer) in the LMS course
    context_id: str | None
    context_title: str
    resource_link_id: str | None
    target_link_uri: str
    locale: str | None
    claims: dict


@dataclass(frozen=True)
class ChosenItem:
    """A module a teacher chose, as the LMS will show it: an activity with a gradebook column."""

    title: str
    url: str  # its target link URI: the module's page
    custom: dict
    score_maximum: int | None  # its quiz's questions; None: no gradebook column
    resource_id: str
