"""The programme's signing keys for credentials (ES256, a P-256 key pair, kept in the database so every app server
and job worker signs alike). The newest key signs; rotating (`flask badges rotate-key`, or the admin page) makes a
new one and keeps every older public key published in the JWKS for ever, since what they signed stays valid.

ES256 rather than EdDSA: the issue allowed either, and ES256 is the one every JOSE library and wallet reads.
"""

import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from civiclearn.badges.models import IssuerKey
from civiclearn.database import utcnow
from civiclearn.extensions import db

if TYPE_CHECKING:  # jwcrypto (and cryptography) load when a key is used, not when a worker starts
    from jwcrypto.jwk import JWK

ALGORITHM = "ES256"


def rotate() -> IssuerKey:
    """A fresh key pair that signs from now on; the one before is marked replaced (and stays published). Flushes."""
    from jwcrypto.jwk import JWK
    pair = JWK.generate(kty="EC", crv="P-256")
    kid = pair.thumbprint()
    now = utcnow()
    for previous in db.session.scalars(select(IssuerKey).where(IssuerKey.replaced_at.is_(None))):
        previous.replaced_at = now
    key = IssuerKey(kid=kid, private_pem=pair.export_to_pem(private_key=True, password=None).decode(),
                    public_jwk=json.loads(pair.export_public()) | {"kid": kid, "alg": ALGORITHM, "use": "sig"},
                    created_at=now)
    db.session.add(key)
    db.session.flush()
    return key


def signing_key() -> IssuerKey:
    """The key that signs now, made on first use. Flushes when it makes one."""
    return db.session.scalar(select(IssuerKey).where(IssuerKey.replaced_at.is_(None))
                             .order_by(IssuerKey.id.desc()).limit(1)) or rotate()


def public_keys() -> list[dict]:
    """Every public key the programme ever signed with, newest first: the JWKS."""
    return [key.public_jwk for key in db.session.scalars(select(IssuerKey).order_by(IssuerKey.id.desc()))]


def private_jwk(key: IssuerKey) -> "JWK":
    from jwcrypto.jwk import JWK
    return JWK.from_pem(key.private_pem.encode())


def public_jwk(kid: str) -> "JWK | None":
    """The published key named `kid`, or None: a credential naming another key was not signed by the programme."""
    from jwcrypto.jwk import JWK
    found = db.session.scalar(select(IssuerKey).where(IssuerKey.kid == kid))
    return JWK(**found.public_jwk) if found else None
