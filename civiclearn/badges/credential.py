"""An OpenBadgeCredential (Open Badges 3.0 on the W3C VC Data Model 2.0) as a plain dict, from plain values: no
Flask, no database (services.py gathers what goes in; tests and the benchmark call it directly).

The holder is named only as the certificate names them (the display name they chose), beside a salted SHA-256
hash of their learner code, so a verifier who knows the code can match it and nobody else learns it. Titles and
descriptions are in Thai and English, Thai first, in one string ("ไทย / English"): the standard's strings carry
one language each, and a wallet shows one string.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
DIGCOMP_URL = "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415"  # DigComp 2.2 (JRC, 2022)
DIGCOMP_FRAMEWORK = "DigComp 2.2"


@dataclass(frozen=True)
class Party:
    """An issuer or awarding body: its address (the id) and names."""

    id: str
    name_th: str
    name_en: str
    url: str = ""
    email: str = ""
    description_th: str = ""
    description_en: str = ""
    image: str = ""  # the address of its logo (PNG)


@dataclass(frozen=True)
class Alignment:
    """A competence the achievement covers, in a framework."""

    code: str  # "4.1"
    name: str


@dataclass(frozen=True)
class Evidence:
    name_th: str
    name_en: str
    narrative_th: str
    narrative_en: str


@dataclass(frozen=True)
class Award:
    """What a certificate is for (an Achievement): its address, kind, titles, rule, competences; and the evidence
    one holder's credential gives of it."""

    id: str
    achievement_type: str  # "CertificateOfCompletion" or "Certification"
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    criteria_th: str
    criteria_en: str
    alignments: list[Alignment] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Facts:
    """Everything one credential says, already worked out."""

    id: str  # the credential's own address
    award: Award
    holder_name: str
    learner_code: str
    subject_id: str  # urn:uuid:...
    salt: str
    issuer: Party
    awarded_by: Party
    valid_from: datetime
    valid_until: datetime | None
    status_list: str  # the status list credential's address
    status_index: int


def both(thai: str, english: str) -> str:
    """One string in both languages, Thai first; one when they are the same."""
    return thai if thai == english or not english else f"{thai} / {english}" if thai else english


def timestamp(moment: datetime) -> str:
    """A DateTimeZ in UTC, to the second (2026-12-05T09:30:00Z); a moment without a zone is UTC, as stored."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(learner_code: str, salt: str) -> str:
    """The hashed identifier of Open Badges: "sha256$" and the hex digest of the code followed by the salt."""
    return "sha256$" + hashlib.sha256(f"{learner_code}{salt}".encode()).hexdigest()


def profile(party: Party) -> dict:
    found = {"id": party.id, "type": ["Profile"], "name": both(party.name_th, party.name_en)}
    description = both(party.description_th, party.description_en)
    found |= {key: value for key, value in (("url", party.url), ("email", party.email),
                                             ("description", description)) if value}
    if party.image:
        found["image"] = {"id": party.image, "type": "Image"}
    return found


def achievement(award: Award, issuer: Party) -> dict:
    """The Achievement: what the certificate is for, its rule, the competences it covers, who defines it."""
    found = {
        "id": award.id, "type": ["Achievement"], "achievementType": award.achievement_type,
        "name": both(award.title_th, award.title_en), "description": both(award.description_th, award.description_en),
        "criteria": {"narrative": both(award.criteria_th, award.criteria_en)}, "inLanguage": "th",
        "creator": profile(issuer),
    }
    if award.alignments:
        found["alignment"] = [
            {"type": ["Alignment"], "targetName": f"{DIGCOMP_FRAMEWORK} {alignment.code} {alignment.name}",
             "targetCode": alignment.code, "targetFramework": DIGCOMP_FRAMEWORK, "targetUrl": DIGCOMP_URL}
            for alignment in award.alignments]
    return found


def build(facts: Facts) -> dict:
    """The credential, ready to sign (no proof: the VC-JWT is its proof)."""
    credential = {
        "@context": CONTEXTS,
        "id": facts.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": both(facts.award.title_th, facts.award.title_en),
        "issuer": profile(facts.issuer),
        "validFrom": timestamp(facts.valid_from),
        "credentialSubject": {
            "id": facts.subject_id, "type": ["AchievementSubject"],
            "achievement": achievement(facts.award, facts.issuer), "source": profile(facts.awarded_by),
            "identifier": [
                *([{"type": "IdentityObject", "identityType": "identifier", "hashed": True,
                    "identityHash": identity_hash(facts.learner_code, facts.salt), "salt": facts.salt}]
                  if facts.learner_code else []),  # a student of an LMS has no learner code
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": facts.holder_name},
            ],
        },
        "credentialStatus": {
            "id": f"{facts.status_list}#{facts.status_index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list,
        },
    }
    if facts.valid_until is not None:
        credential["validUntil"] = timestamp(facts.valid_until)
    if facts.award.evidence:
        credential["evidence"] = [{"type": ["Evidence"], "name": both(item.name_th, item.name_en),
                                   "narrative": both(item.narrative_th, item.narrative_en)}
                                  for item in facts.award.evidence]
    return credential
