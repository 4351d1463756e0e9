"""The privacy page (/me/data) writes dates and staff actions as the rest of the app does: Buddhist Era dates and
Thai phrases on Thai pages, English ones on English pages; the JSON download stays machine-readable."""

import ast
import json
from datetime import UTC, datetime

import pytest

from civiclearn.audit.models import AuditEvent
from civiclearn.certificates.models import Certificate
from civiclearn.config import ROOT
from civiclearn.extensions import db
from civiclearn.reports.models import LearnerNote
from tests.helpers import visible_text

ISSUED = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
NOTED = datetime(2026, 10, 2, 3, 0, tzinfo=UTC)
ACTED = datetime(2026, 9, 14, 3, 0, tzinfo=UTC)
STAFF_ACTIONS = ("data.export", "person.correct", "pin.reset", "certificate.issue", "role.grant", "something.new")


@pytest.fixture
def held(app, learner, make_staff, make_centre):
    """The signed-in learner with a certificate, a trainer's note and staff actions about them, on known days."""
    trainer = make_staff("trainer", centre_id=make_centre())
    with app.app_context():
        db.session.add(Certificate(code="CERT1234567X", person_id=learner.id, award="course:getting-started",
                                   holder_name=learner.name, title_th="เริ่มต้นใช้งาน", title_en="Getting started",
                                   issuer_th="ศูนย์", issuer_en="Centre", issued_at=ISSUED))
        db.session.add(LearnerNote(person_id=learner.id, author_id=trainer.id, body="มาเรียนทุกสัปดาห์", created_at=NOTED))
        db.session.add_all([AuditEvent(actor_id=trainer.id, action=action, subject_type="person", subject_id=learner.id,
                                       detail={}, at=ACTED) for action in STAFF_ACTIONS])
        db.session.commit()
    return learner


def page_in(client, language: str) -> str:
    with client.session_transaction() as session:
        session["lang"] = language
    return visible_text(client.get("/me/data").get_data(as_text=True))


def test_the_thai_page_shows_buddhist_era_dates_and_thai_phrases_for_staff_actions(client, held):
    page = page_in(client, "th")
    assert "25 พ.ย. 2569" in page  # the certificate, not 2026-11-25
    assert "2 ต.ค. 2569 · มาเรียนทุกสัปดาห์" in page  # the note
    actions = page[page.index("สิ่งที่เจ้าหน้าที่ทำกับบัญชีนี้"):]
    assert "เปิดดูหรือดาวน์โหลดข้อมูล · 14 ก.ย. 2569" in actions
    for phrase in ("แก้ไขข้อมูลส่วนตัว", "ตั้งรหัส PIN เริ่มต้นใหม่", "ออกเกียรติบัตร", "กำหนดบทบาท",
                   "การดำเนินการอื่น (something new)"):
        assert phrase in actions
    assert "2026-" not in page and "data.export" not in page and "person.correct" not in page


def test_the_english_page_shows_english_dates_and_phrases(client, held):
    page = page_in(client, "en")
    assert "Nov 25, 2026" in page and "Oct 2, 2026 · มาเรียนทุกสัปดาห์" in page
    actions = page[page.index("What staff did with this account"):]
    assert "Data viewed or downloaded · Sep 14, 2026" in actions
    for phrase in ("Personal details corrected", "New starting PIN given", "Certificate issued", "Role given",
                   "Another action (something new)"):
        assert phrase in actions
    assert "2026-" not in page and "data.export" not in page


def test_the_download_keeps_iso_dates_and_action_keys(client, held):
    data = json.loads(client.get("/me/data.json").data)
    assert [event["action"] for event in data["staff_actions_about_you"]] == list(STAFF_ACTIONS)
    assert all(event["at"].startswith("2026-09-14T03:00:00") for event in data["staff_actions_about_you"])
    assert data["certificates"][0]["issued_at"].startswith("2026-11-25T03:00:00")
    assert data["notes_by_staff"][0]["written_at"].startswith("2026-10-02T03:00:00")


ACTION_ARGUMENT = {"record": 1, "record_each": 1, "_delete_unconfirmed": 2}  # where the action is among the arguments


def actions_in_the_code() -> set[str]:
    """Every audit action the code writes as a literal: record(actor, "<action>", ...), record_each, a download's
    action="...", and actions handed to a helper that records them (leaders' _delete_unconfirmed, `action = ...`)."""
    found = set()
    for path in (ROOT / "civiclearn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.Call):
                position = ACTION_ARGUMENT.get(getattr(node.func, "id", getattr(node.func, "attr", "")))
                if position is not None and len(node.args) > position:
                    values.append(node.args[position])
                values += [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            elif isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "action" for target in node.targets):
                values.append(node.value)
            for value in (value for value in values if not isinstance(value, ast.JoinedStr)):  # f-strings: below
                found |= {part.value for part in ast.walk(value)
                          if isinstance(part, ast.Constant) and isinstance(part.value, str) and "." in part.value}
    return found


def test_every_audit_action_in_the_code_has_a_phrase():
    from civiclearn.audit.actions import ACTIONS
    written = actions_in_the_code()
    assert {"data.export", "leader.session.confirm", "leader.withdraw", "report.export"} <= written  # the scan works
    # Written through f"{subject_type}.create" / ".update" (admin/services.py): no literal to find
    written |= {"centre.create", "centre.update", "school.create", "school.update"}
    assert sorted(written - ACTIONS.keys()) == []
