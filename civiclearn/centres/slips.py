"""Starting-PIN slips: a sheet to cut apart, one slip per new learner with their name, learner code and starting
PIN, so that a trainer never copies a PIN by hand.

A starting PIN exists in clear only in the response that registers the learner (we store its hash), so the slips
are made from that response: its page holds the new learners' PINs sealed (`seal`), encrypted and authenticated
(Fernet: AES-CBC and HMAC-SHA256, with a key derived from SECRET_KEY), dated, and naming the trainer and the
centre. Its "PIN slips" button posts them back, and `unseal` opens them for that trainer at that centre within
SLIP_MINUTES, for the learners whose starting PIN is still the one sealed (not yet replaced by their own PIN, not
reset since). Hence:
- nothing is kept on the server: no table, file or cache, and not the session either, which is a cookie that the
  browser keeps on disk and sends with every request;
- the PINs travel in a POST body, never in an address (which access logs, proxies and browser history keep); the
  PDF comes back `no-store` and inline, to print rather than to land in a Downloads folder;
- the sealed text is worth nothing after a few minutes, to another trainer, at another centre, or once altered;
- the audit log says who printed how many slips, never a PIN.
The page itself shows the PINs in clear, as it always has; like every page, it is `no-store`.
"""

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.centres.services import learners_among

if TYPE_CHECKING:  # cryptography loads when a slip is sealed or opened, not when a worker starts
    from cryptography.fernet import Fernet

SLIP_MINUTES = 10  # from the page with the PINs to the printer, and once more if the printer jams


@dataclass(frozen=True)
class Slip:
    name: str
    code: str  # as stored, without the dash
    pin: str


def _fernet() -> "Fernet":
    """A key of its own, derived from SECRET_KEY: nothing else sealed with the secret key opens as slips."""
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    secret = current_app.secret_key
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"civiclearn starting-pin slips").derive(
        secret if isinstance(secret, bytes) else secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _fingerprint(pin_hash: str | None) -> str:
    """Which stored PIN a sealed PIN goes with: a PIN the learner chose, or a reset, changes it."""
    return hashlib.sha256((pin_hash or "").encode()).hexdigest()[:16]


def seal(actor: User, centre: Centre, added: list[tuple[User, str]]) -> str:
    """The learners just added with their starting PINs, sealed for `actor` at `centre` (for their page's form)."""
    payload = {"actor": actor.id, "centre": centre.id,
               "pins": [[learner.id, pin, _fingerprint(learner.pin_hash)] for learner, pin in added]}
    return _fernet().encrypt(json.dumps(payload, separators=(",", ":")).encode()).decode("ascii")


def unseal(sealed: str, actor: User, centre: Centre) -> list[Slip]:
    """The slips still true to print, in the order of the learners' cards; none if the seal is too old, altered,
    or not `actor`'s at `centre`."""
    from cryptography.fernet import InvalidToken
    try:
        payload = json.loads(_fernet().decrypt_at_time(sealed, SLIP_MINUTES * 60, int(time.time())))
    except (InvalidToken, ValueError):  # ValueError: not even ASCII
        return []
    if payload["actor"] != actor.id or payload["centre"] != centre.id:
        return []
    pins = {learner_id: (pin, fingerprint) for learner_id, pin, fingerprint in payload["pins"]}
    return [Slip(learner.display_name, learner.learner_code, pins[learner.id][0])
            for learner in learners_among(centre, pins)
            if learner.must_change_pin and learner.learner_code
            and hmac.compare_digest(_fingerprint(learner.pin_hash), pins[learner.id][1])]
