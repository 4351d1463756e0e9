"""PIN and password hashes: computed by libsodium, the same function and cost as werkzeug's (hashlib.scrypt)."""

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from civiclearn.accounts.hashing import FULL_COST, hash_secret, secret_matches
from civiclearn.accounts.services import STARTING_PIN_HASH


@pytest.mark.parametrize("method", [FULL_COST, STARTING_PIN_HASH])
def test_werkzeug_reads_our_hashes_so_they_are_the_same_scrypt(method):
    hashed = hash_secret("482613", method)
    assert hashed.startswith(method + "$")
    assert check_password_hash(hashed, "482613")
    assert not check_password_hash(hashed, "482614")


def test_the_full_cost_is_werkzeugs_default():
    assert generate_password_hash("x").startswith(FULL_COST + "$")


@pytest.mark.parametrize("method", ["scrypt", STARTING_PIN_HASH, "pbkdf2:sha256:1000"])
def test_we_read_hashes_werkzeug_made(method):
    hashed = generate_password_hash("ผ่านนะ 2567", method=method)
    assert secret_matches(hashed, "ผ่านนะ 2567")
    assert not secret_matches(hashed, "ผ่านนะ 2568")


def test_each_hash_has_its_own_salt():
    first, second = hash_secret("4826", STARTING_PIN_HASH), hash_secret("4826", STARTING_PIN_HASH)
    assert first != second
    assert secret_matches(first, "4826") and secret_matches(second, "4826")


@pytest.mark.parametrize("broken", ["", "scrypt:2048:8:1", "scrypt:2048:8:1$salt", "plain"])
def test_a_broken_hash_matches_nothing(broken):
    assert not secret_matches(broken, "4826")
