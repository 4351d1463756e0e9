"""What Open Badges does when something happens elsewhere (see civiclearn.signals)."""

from civiclearn import signals
from civiclearn.badges import services
from civiclearn.certificates.models import Certificate
from civiclearn.certificates.services import status


def certificate_printing(certificate: Certificate) -> list[dict]:
    """A valid (or expired) certificate's PDF carries its credential: the VC-JWT, and what it says as JSON. A revoked
    or replaced one, printed for the staff's records, carries none."""
    if status(certificate) not in ("valid", "expired"):
        return []
    signed = services.credential_of(certificate).jwt
    return [{"name": "credential.jwt", "text": signed, "mime": "application/vc+jwt",
             "description": "Open Badges 3.0 credential (VC-JWT)"},
            {"name": "credential.json", "text": services.readable_text(signed), "mime": "application/ld+json",
             "description": "Open Badges 3.0 credential, what it says (JSON)"}]


def connect() -> None:
    """Called once the app is built (connecting again changes nothing)."""
    signals.certificate_printing.connect(certificate_printing)
