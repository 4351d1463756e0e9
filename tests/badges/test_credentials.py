"""Open Badges 3.0 credentials: what they say (valid against 1EdTech's JSON Schema), signed and checked with the
published keys, revoked through the status list, and what the checker says of a tampered one, another key's, an
expired leader award and a revoked certificate."""

import base64
import gzip
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS
from pyld.jsonld import JsonLdError

from civiclearn.badges import keys, linked_data, services
from civiclearn.badges.models import OpenBadge
from civiclearn.certificates import services as certificates
from civiclearn.certificates.models import Certificate
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.certificates.conftest import endorse_on, ready_leader

SCHEMA = json.loads(Path(__file__).with_name("openbadges-3.0").joinpath("achievementcredential.schema.json")
                    .read_text(encoding="utf-8"))


def credential_of(app, code: str) -> OpenBadge:
    with app.test_request_context():
        badge = services.credential_of(certificates.find(code))
        db.session.commit()
        db.session.refresh(badge)
        db.session.expunge(badge)
        return badge


def schema_errors(credential: dict) -> list[str]:
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(credential)]


def test_a_course_certificates_credential_is_valid_open_badges_3(app, certified, sample):
    badge = credential_of(app, certified.code)
    with app.test_request_context():
        found = services.readable(badge.jwt)
    assert schema_errors(found) == []
    assert found["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = found["credentialSubject"]
    assert subject["achievement"]["name"] == f"{sample.title.th} / {sample.title.en}"
    assert {identity["identityType"]: identity["hashed"] for identity in subject["identifier"]} == {
        "identifier": True, "name": False}
    assert "สมศรี ใจดี" in json.dumps(found, ensure_ascii=False)  # the name on the certificate, as chosen
    assert certified.learner.code.replace("-", "") not in json.dumps(found)  # the learner code only hashed
    assert subject["source"]["name"].startswith("ศูนย์")  # the centre that awarded it
    assert found["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert "validUntil" not in found  # a course certificate does not expire


def test_the_credential_is_made_once(app, certified):
    first, second = credential_of(app, certified.code), credential_of(app, certified.code)
    assert (first.id, first.jwt) == (second.id, second.jwt)


def test_its_signature_checks_with_the_published_jwks(app, client, certified):
    badge = credential_of(app, certified.code)
    header = json.loads(base64.urlsafe_b64decode(badge.jwt.split(".")[0] + "=="))
    assert set(header) == {"alg", "kid", "typ"} and header["alg"] == "ES256" and header["typ"] == "JWT"
    published = client.get("/issuer/jwks.json").get_json()["keys"]
    assert all("d" not in key for key in published)  # never a private part
    key = next(key for key in published if header["kid"].endswith("/" + key["kid"]))
    assert client.get(header["kid"].removeprefix("http://127.0.0.1:5000")).get_json()["x"] == key["x"]
    jws = JWS()
    jws.deserialize(badge.jwt)
    jws.verify(JWK(**key))  # raises if it does not match
    claims = json.loads(jws.payload)
    assert claims["jti"] == claims["id"] and claims["iss"] == claims["issuer"]["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"] and "exp" not in claims


def outcome(app, token: str, **kwargs) -> str:
    with app.test_request_context():
        return services.check(token, **kwargs).outcome


def test_the_checker_finds_a_valid_credential_and_a_tampered_one(app, certified):
    token = credential_of(app, certified.code).jwt
    assert outcome(app, token) == "valid"
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["credentialSubject"]["identifier"][-1]["identityHash"] = "ผู้อื่น"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert outcome(app, f"{header}.{forged}.{signature}") == "bad_signature"
    assert outcome(app, "not a credential") == "unreadable"


def test_another_keys_signature_is_not_the_programmes(app, certified):
    token = credential_of(app, certified.code).jwt
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    impostor = JWS(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    impostor.add_signature(JWK.generate(kty="EC", crv="P-256"), protected=json.dumps(header))
    assert outcome(app, impostor.serialize(compact=True)) == "bad_signature"  # our key's name, another key
    elsewhere = JWS(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    elsewhere.add_signature(JWK.generate(kty="EC", crv="P-256"),
                            protected=json.dumps(header | {"kid": "https://example.org/keys/1"}))
    assert outcome(app, elsewhere.serialize(compact=True)) == "unknown_key"


def served_bit(client, index: int) -> bool:
    token = client.get("/credentials/status/1")
    assert token.mimetype == "application/vc+jwt"
    status_list = json.loads(base64.urlsafe_b64decode(token.get_data(as_text=True).split(".")[1] + "=="))
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = status_list["credentialSubject"]["encodedList"]
    with_bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(with_bits) * 8 >= 131_072
    return bool(with_bits[index // 8] & (0x80 >> (index % 8)))


def test_revoking_the_certificate_flips_its_bit_and_the_checker_says_revoked(app, client, certified):
    badge = credential_of(app, certified.code)
    index = int(services.payload(badge.jwt)["credentialStatus"]["statusListIndex"])
    assert index == badge.status_index and not served_bit(client, index)
    with app.test_request_context():
        certificates.revoke(None, certificates.find(certified.code), "ชื่อผิด")
        db.session.commit()
    assert served_bit(client, index)
    assert outcome(app, badge.jwt) == "revoked"


def test_an_expired_leader_award_is_reported_expired(app, scene, learner_at):
    leader = ready_leader(app, scene, learner_at)
    endorse_on(app, scene, leader.id, date.today() - timedelta(days=3 * 366))
    with app.test_request_context():
        code = db.session.scalar(db.select(Certificate.code).where(Certificate.person_id == leader.id))
    badge = credential_of(app, code)
    found = services.readable(badge.jwt)
    assert schema_errors(found) == [] and "validUntil" in found
    assert services.payload(badge.jwt)["exp"] < utcnow().timestamp()
    assert found["credentialSubject"]["achievement"]["achievementType"] == "Certification"
    assert "sessions run" in found["evidence"][0]["narrative"] and "ผู้เรียนคนที่" not in json.dumps(
        found, ensure_ascii=False)  # counts, never the mentees' names
    assert outcome(app, badge.jwt) == "expired"


def test_a_replaced_key_still_checks_what_it_signed(app, client, certified, make_learner):
    old = credential_of(app, certified.code)
    with app.test_request_context():
        keys.rotate()
        db.session.commit()
    assert outcome(app, old.jwt) == "valid"
    assert len(client.get("/issuer/jwks.json").get_json()["keys"]) == 2


def test_the_status_list_bits_are_as_the_standard_numbers_them():
    """Index 0 is the first (left-most) bit of the first byte; the list is GZIP, then base64url with a "u" prefix."""
    first = gzip.decompress(base64.urlsafe_b64decode(services.encoded_list([0, 7, 9])[1:] + "=="))
    assert len(first) * 8 == 131_072 and first[:2] == bytes([0x81, 0x40]) and not any(first[2:])


def test_a_signature_by_the_programmes_key_on_something_never_issued_is_refused(app, certified):
    """As if the key were taken from a backup: the checker trusts only what was issued here."""
    token = credential_of(app, certified.code).jwt
    with app.test_request_context():
        forged = services.readable(token) | {"id": "http://127.0.0.1:5000/credentials/FORGED"}
        signed = services.sign(forged, keys.signing_key())
        status_list = services.sign(services.status_list(), keys.signing_key())
    assert outcome(app, signed) == "not_issued"
    assert outcome(app, status_list) == "not_issued"  # the status list is signed too, and is no credential


def test_credentials_still_check_after_the_site_moves(app, certified):
    token = credential_of(app, certified.code).jwt
    app.config["PUBLIC_URL"] = "https://civiclearn.example.go.th"
    app.extensions.pop("civiclearn.public_addresses", None)
    assert outcome(app, token) == "valid"


def test_the_credential_reads_as_linked_data_with_the_packages_contexts_only(app, client, certified):
    """Expanded with PyLD's frozen loader (which refuses any address it does not hold): nothing is fetched."""
    found = services.readable(credential_of(app, certified.code).jwt)
    [expanded] = linked_data.expand(found)
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in expanded["@type"]
    with pytest.raises(JsonLdError):
        linked_data.expand(found | {"@context": [*found["@context"], "https://example.org/unknown-context"]})
    for name, url in linked_data.SERVED.items():
        served = client.get(f"/contexts/{name}").get_json(force=True)
        assert served == json.loads(linked_data.context_files()[url].read_text(encoding="utf-8"))
    assert client.get("/contexts/anything.json").status_code == 404
