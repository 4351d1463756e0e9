"""What an LMS administrator types in to register CivicLearn: the same values for the admin page, Canvas's
JSON configuration (/lti/config.json) and a dynamic registration (/lti/register)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, url_for

TOOL_NAME = "CivicLearn"
DESCRIPTION = ("Bilingual (Thai/English) lessons on digital citizenship and taking part in local government "
               "online; scores and completion go to your gradebook.")
AGS_SCOPES = ("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
              "https://purl.imsglobal.org/spec/lti-ags/scope/score")
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCOPES = (*AGS_SCOPES, NRPS_SCOPE)
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "locale")  # no email: we never need one


@dataclass(frozen=True)
class ToolValues:
    login_url: str
    launch_url: str  # the redirect URI and the target link URI; deep linking requests arrive here too
    jwks_url: str
    registration_url: str
    configuration_url: str
    domain: str
    scopes: tuple[str, ...] = SCOPES


def tool_values() -> ToolValues:
    """Our addresses as the LMS must know them: absolute, from the public URL (CIVICLEARN_PUBLIC_URL)."""
    base = current_app.config["PUBLIC_URL"]
    return ToolValues(login_url=base + url_for("lti.login"), launch_url=base + url_for("lti.launch"),
                      jwks_url=base + url_for("lti.jwks"), registration_url=base + url_for("lti.register"),
                      configuration_url=base + url_for("lti.config_json"), domain=urlsplit(base).netloc)


def canvas_configuration() -> dict:
    """Canvas's "Paste JSON" / "Enter URL" developer key configuration."""
    values = tool_values()
    return {
        "title": TOOL_NAME, "description": DESCRIPTION,
        "oidc_initiation_url": values.login_url, "target_link_uri": values.launch_url,
        "public_jwk_url": values.jwks_url, "scopes": list(values.scopes),
        "extensions": [{
            "platform": "canvas.instructure.com", "domain": values.domain, "privacy_level": "name_only",
            "settings": {"placements": [
                {"placement": placement, "message_type": "LtiDeepLinkingRequest", "target_link_uri": values.launch_url}
                for placement in ("link_selection", "assignment_selection")]},
        }],
        "custom_fields": {},
    }


def registration_request(logo_url: str) -> dict:
    """The tool configuration a dynamic registration sends the platform (LTI Dynamic Registration 1.0)."""
    values = tool_values()
    return {
        "application_type": "web", "client_name": TOOL_NAME, "logo_uri": logo_url,
        "response_types": ["id_token"], "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": values.login_url, "redirect_uris": [values.launch_url], "jwks_uri": values.jwks_url,
        "token_endpoint_auth_method": "private_key_jwt", "scope": " ".join(values.scopes),
        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
            "domain": values.domain, "target_link_uri": values.launch_url, "description": DESCRIPTION,
            "claims": list(CLAIMS),
            "messages": [{"type": "LtiResourceLinkRequest"},
                         {"type": "LtiDeepLinkingRequest", "target_link_uri": values.launch_url,
                          "label": "CivicLearn", "placements": ["ContentArea"]}],
        },
    }
