"""PINs and passwords hashed with scrypt, salted, in werkzeug's format: "scrypt:N:r:p$salt$hex".

The cost is werkzeug's default (N=32768, r=8, p=1: 32 MiB of memory per guess). The function is computed by
libsodium (PyNaCl) instead of OpenSSL (hashlib.scrypt, werkzeug's engine): its vectorised code gives the same
bytes in about 65 ms of a core instead of 95. A sign-in is mostly this hash, and when a province's kiosks sign in
at once the hashes queue for the server's cores, so that is the learners' wait; the hash is no weaker, as it is
the same function at the same cost (tests/accounts/test_hashing.py checks that werkzeug reads our hashes and we
read werkzeug's). A stored hash of werkzeug's other kind (pbkdf2) is still checked, by werkzeug.
Both release the GIL: a thread hashing lets the worker's other threads serve pages.
"""

import hmac
import re

from nacl.bindings import crypto_pwhash_scryptsalsa208sha256_ll as scrypt
from werkzeug.security import check_password_hash, gen_salt

FULL_COST = "scrypt:32768:8:1"  # werkzeug's default
SALT_CHARACTERS = 16  # werkzeug's default
KEY_BYTES = 64  # hashlib.scrypt's default, which werkzeug's hashes have
SCRYPT_METHOD = re.compile(r"scrypt:(\d+):(\d+):(\d+)")


def hash_secret(secret: str, method: str = FULL_COST) -> str:
    """A new salted hash of `secret` at the cost `method` names ("scrypt:N:r:p")."""
    salt = gen_salt(SALT_CHARACTERS)
    return f"{method}${salt}${_scrypt_hex(secret, salt, method)}"


def secret_matches(hashed: str, secret: str) -> bool:
    """Whether `secret` is the one `hashed` was made from (in constant time)."""
    method, _, salted = hashed.partition("$")
    salt, _, digest = salted.partition("$")
    if not SCRYPT_METHOD.fullmatch(method) or not digest:
        return check_password_hash(hashed, secret)
    return hmac.compare_digest(_scrypt_hex(secret, salt, method), digest)


def _scrypt_hex(secret: str, salt: str, method: str) -> str:
    n, r, p = map(int, SCRYPT_METHOD.fullmatch(method).groups())
    key = scrypt(secret.encode(), salt.encode(), n, r, p, dklen=KEY_BYTES, maxmem=132 * n * r * p)  # as werkzeug
    return key.hex()
