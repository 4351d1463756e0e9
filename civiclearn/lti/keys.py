"""Our signing keys: the newest signs, and a replaced key stays published until what it signed has expired.

Platforms fetch our public keys (/lti/jwks) to check the client assertions we send for grades and rosters
(valid 60 s) and our deep-linking answers (valid 10 minutes); an hour of overlap covers both, and platforms
that cached the old set. Rotating (`flask lti rotate-key`, or the admin page) needs no downtime.
"""

import json
from datetime import timedelta

from sqlalchemy import select

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.lti.models import LtiKey

KEY_BITS = 2048
PUBLISHED_AFTER_REPLACEMENT = timedelta(hours=1)


def new_key() -> LtiKey:
    """A fresh key pair, the one that signs from now on; the previous one is marked replaced. Flushes."""
    from jwcrypto.jwk import JWK  # cryptography: loaded when a key is made, not by every starting worker
    pair = JWK.generate(kty="RSA", size=KEY_BITS)
    kid = pair.thumbprint()
    public = json.loads(pair.export_public()) | {"kid": kid, "alg": "RS256", "use": "sig"}
    now = utcnow()
    for previous in db.session.scalars(select(LtiKey).where(LtiKey.replaced_at.is_(None))):
        previous.replaced_at = now
    key = LtiKey(kid=kid, private_pem=pair.export_to_pem(private_key=True, password=None).decode(),
                 public_jwk=public, created_at=now)
    db.session.add(key)
    db.session.flush()
    return key


def signing_key() -> LtiKey:
    """The key that signs now, made on first use. Flushes when it makes one."""
    return db.session.scalar(select(LtiKey).where(LtiKey.replaced_at.is_(None)).order_by(LtiKey.id.desc())) \
        or new_key()


def published_keys() -> list[dict]:
    """The public keys platforms may check our signatures with: the signing key and those replaced within the hour."""
    signing_key()
    keys = db.session.scalars(select(LtiKey).where(
        LtiKey.replaced_at.is_(None) | (LtiKey.replaced_at > utcnow() - PUBLISHED_AFTER_REPLACEMENT))
        .order_by(LtiKey.id.desc()))
    return [key.public_jwk for key in keys]
