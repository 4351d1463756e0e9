"""A copy of the sample course with one more practice lesson: spot the scam, or check before you pay."""

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


def add_lesson(courses_dir, key: str, text: str):
    """courses_dir with the lesson `key` added at the end of the sample course's first module."""
    module = courses_dir / "getting-started" / "how-it-works"
    (module / f"{key}.md").write_text(text, encoding="utf-8")
    module_yml = module / "module.yml"
    lessons = module_yml.read_text(encoding="utf-8").replace("  - quizzes\n", f"  - quizzes\n  - {key}\n")
    module_yml.write_text(lessons, encoding="utf-8")
    return courses_dir


@pytest.fixture
def scam_course(courses_dir):
    """courses_dir with a spot-the-scam lesson at the end of the first module."""
    return add_lesson(courses_dir, "scam-practice", SCAM_LESSON)


PAY_LESSON = """---
title:
  th: ฝึกตรวจก่อนจ่าย
  en: Practise checking before you pay
minutes: 5
activity:
  type: check-before-you-pay
  cases:
    - id: temple-qr
      story: {th: ลุงจะทำบุญ 100 บาทให้วัด สแกน QR ที่ตู้บริจาค, en: You scan the temple's QR to give 100 baht.}
      expect:
        to: {th: วัดบ้านนา, en: Wat Ban Na}
        amount: 100
      screen:
        to: {th: นายสมปอง ขายดี, en: Mr Sompong Khaidee}
        amount: 100
      safe: false
      why: {th: ชื่อผู้รับไม่ใช่ชื่อวัด อย่ากดยืนยัน, en: "The name is not the temple's. Do not confirm."}
      clue: {th: ดูชื่อผู้รับบนจอ แล้วเทียบกับคนที่จะโอนให้, en: Compare the name on the screen with whom you mean to pay.}
    - id: pork-slip
      story: {th: ลูกค้าซื้อหมู 1250 บาท แล้วยื่นสลิปให้ดู, en: A customer buys pork for 1250 baht and shows a slip.}
      price: 1250
      slip:
        from: {th: สมชาย ใจดี, en: Somchai Jaidee}
        to: {th: แดง มีสุข, en: Daeng Meesuk}
        amount: 1250
        when: {th: วันนี้ 10:42 น., en: "Today, 10:42"}
      money_in: 0
      safe: false
      why: {th: เงินยังไม่เข้าแอปธนาคารของเรา รอก่อน, en: The money is not in your own bank app yet. Wait.}
    - id: noodle-slip
      story: {th: ลูกค้าซื้อก๋วยเตี๋ยว 60 บาท, en: A customer buys noodles for 60 baht.}
      price: 60
      slip:
        from: {th: มานี รักเรียน, en: Manee Rakrian}
        to: {th: แดง มีสุข, en: Daeng Meesuk}
        amount: 60
      money_in: 60
      safe: true
      why: {th: เงินเข้าแอปของเราแล้ว ให้ของได้, en: "The money is in your own app: the goods can go."}
---

::: th
ดูแต่ละเรื่อง แล้วตัดสินใจว่าจะไปต่อหรือหยุดก่อน
:::

::: en
Look at each case and decide: go ahead, or stop first.
:::
"""


@pytest.fixture
def pay_course(courses_dir):
    """courses_dir with a check-before-you-pay lesson (a payment case, two slip cases; one without a clue) at the
    end of the first module."""
    return add_lesson(courses_dir, "pay-practice", PAY_LESSON)
