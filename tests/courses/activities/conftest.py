"""A copy of the sample course with one more practice lesson: spot the scam."""

import pytest

SCAM_LESSON = """---
title:
  th: ฝึกจับผิดข้อความหลอกลวง
  en: Practise spotting scams
minutes: 4
activity:
  type: spot-the-scam
  messages:
    - id: bank-link
      channel: sms
      sender: {th: ธนาคาร, en: Bank}
      text: {th: บัญชีถูกระงับ กดลิงก์ bank-th.example, en: "Account suspended: tap bank-th.example"}
      scam: true
      why: {th: ธนาคารไม่ส่งลิงก์ทาง SMS, en: Banks do not send links by SMS.}
    - id: own-otp
      channel: sms
      sender: {th: ระบบที่คุณเพิ่งเข้า, en: The service you just logged in to}
      text: {th: รหัส OTP ของคุณคือ 000000 ห้ามบอกใคร, en: "Your OTP is 000000. Never tell anyone."}
      scam: false
      why: {th: คุณขอรหัสนี้เอง แต่ก็ห้ามบอกใคร, en: "You asked for this code yourself, but never tell it to anyone."}
---

::: th
อ่านแต่ละข้อความ แล้วตัดสินว่าเป็นการหลอกลวงหรือไม่
:::

::: en
Read each message and decide if it is a scam.
:::
"""


@pytest.fixture
def scam_course(courses_dir):
    """courses_dir with a spot-the-scam lesson at the end of the first module."""
    module = courses_dir / "getting-started" / "how-it-works"
    (module / "scam-practice.md").write_text(SCAM_LESSON, encoding="utf-8")
    module_yml = module / "module.yml"
    module_yml.write_text(module_yml.read_text(encoding="utf-8").replace("  - quizzes\n", "  - quizzes\n  - scam-practice\n"),
                          encoding="utf-8")
    return courses_dir
