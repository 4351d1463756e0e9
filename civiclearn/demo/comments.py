"""Demo comments for the comment themes: a cohort of demo learners who each left one comment on a module of the
digital-citizen course over the last five months, in Thai or English, about five things people at a centre say
(in the style of the themes' test fixture, tests/themes/comments.csv). `flask demo seed` then runs the themes
once for the demo trainer, in the command itself (no job, no web request), so `make run` shows themes at once.
"""

from datetime import timedelta

from sqlalchemy import select

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.centres.models import Centre, Cohort
from civiclearn.courses.schema import Course
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.themes import services as themes

COHORT = "รุ่นที่ 2/2569"


def _said(modules: tuple[int, ...], rating: int, texts: tuple[str, ...]) -> list[tuple[int, int, int, str]]:
    """One kind of comment: (module position, months ago, rating, comment), spread over `modules` and five months."""
    return [(modules[number % len(modules)], number % 5, rating, text) for number, text in enumerate(texts)]


# (module position, months ago, rating, comment): 15 of each kind, so each can make a theme.
COMMENTS = [
    *_said((1, 2), 2, (
        "แบบทดสอบยากเกินไปค่ะ ทำสองรอบแล้วยังไม่ผ่าน", "ข้อสอบยากมาก คำถามยาวอ่านไม่ทัน", "The quiz is too hard for me",
        "quiz too hard, failed twice", "แบบทดสอบยาก คำถามหลอกเยอะ", "ข้อสอบยากไปหน่อยสำหรับคนแก่",
        "The test questions are difficult", "แบบทดสอบยากจัง ขอคำถามง่ายกว่านี้", "Quiz is tough. Questions tricky",
        "ข้อสอบบทนี้ยากที่สุด", "quiz hard, need easier questions", "แบบทดสอบยาก ต้องให้ครูช่วย",
        "ข้อสอบยากค่ะ ทำไม่ผ่าน", "The exam was hard, too many questions", "แบบทดสอบยากเกินไปสำหรับมือใหม่")),
    *_said((1, 2, 3), 3, (
        "ตัวหนังสือเล็กมาก มองไม่เห็น", "the font is too small on the kiosk", "ตัวหนังสือเล็กไป อ่านยาก",
        "text too small, I need glasses", "ตัวอักษรเล็กจนต้องใส่แว่น", "Letters are tiny on my phone",
        "ขอตัวหนังสือใหญ่กว่านี้ค่ะ ตอนนี้เล็กเกิน", "ตัวหนังสือเล็กจังบนมือถือ", "font small, make it bigger please",
        "ตัวอักษรเล็กไปหน่อย อ่านลำบาก", "The text is very small and hard to read", "ตัวหนังสือเล็ก ยายอ่านไม่ออก",
        "small letters on the screen", "ตัวหนังสือเล็ก อยากให้ขยายใหญ่", "font too small for old eyes")),
    *_said((3, 4), 5, (
        "ชอบแบบฝึกหัดเรื่องมิจฉาชีพมาก ได้ฝึกจริง", "Loved the scam practice!", "ชอบตอนฝึกจับข้อความหลอกลวง",
        "the fake message practice was great, I loved it", "ชอบฝึกดูลิงก์หลอก สนุกดี", "ได้ฝึกเรื่องโกงทางโทรศัพท์ ชอบมาก",
        "I enjoyed practising spotting scams", "แบบฝึกมิจฉาชีพดีมาก แม่ชอบ", "scam practice helped me, love it",
        "ชอบแบบฝึกหัดหลอกลวงทาง LINE", "loved the fraud practice with SMS", "ฝึกจับมิจฉาชีพแล้วมั่นใจขึ้น ชอบ",
        "ชอบฝึกเรื่องหลอกโอนเงิน", "The scam exercise is the best part", "ชอบแบบฝึกหัดเรื่องมิจฉาชีพที่สุด")),
    *_said((5,), 5, (
        "แจ้งทราฟฟี่เรื่องไฟถนน แก้ไขเร็วมาก", "Reported a pothole on Traffy, fixed fast!", "แจ้ง Traffy Fondue แล้วซ่อมไวมาก",
        "traffy report about rubbish was fixed in 3 days", "แจ้งท่อแตกผ่านทราฟฟี่ แก้เร็ว", "ทราฟฟี่ฟองดูว์ใช้ง่าย แจ้งแล้วแก้ไขไว",
        "Traffy fixed the street light quickly", "แจ้งเรื่องถนนใน Traffy ได้รับการซ่อมเร็ว", "report on traffy, fixed quick",
        "ลองแจ้งทราฟฟี่ครั้งแรก เขาแก้ให้เร็วมาก", "Traffy Fondue works, fixed fast", "แจ้งทราฟฟี่ แก้ไขภายในสัปดาห์",
        "I reported a broken sign on Traffy and it was fixed", "แจ้งผ่านทราฟฟี่ เร็วกว่าที่คิด", "traffy report fixed fast")),
    *_said((6,), 2, (
        "ร้องเรียน อบต. ไปแล้วไม่มีคำตอบเลย", "No answer from the SAO after two weeks", "ส่งเรื่องถึงเทศบาล ยังไม่ตอบกลับ",
        "อบต. ไม่ตอบ รอนานมาก", "The municipality never replied to my request", "ถาม อบต. เรื่องงบประมาณ ไม่มีใครตอบ",
        "no response from the tao", "ส่งหนังสือถึง อบต. เงียบ ไม่มีคำตอบ", "อบต. ไม่ตอบกลับเลยค่ะ",
        "asked the sao, no answer yet", "เทศบาลไม่มีคำตอบให้ชาวบ้าน", "no reply from the municipality",
        "โทรหา อบต. ไม่มีใครรับ ไม่ได้คำตอบ", "SAO did not respond", "ร้องเรียนเทศบาลแล้วยังไม่ตอบ")),
]
NAMES = ("ผู้ให้ความเห็น", "Commenter")  # with a number and (ตัวอย่าง): "ผู้ให้ความเห็น 12 (ตัวอย่าง)"


def seed_comments(centre: Centre, course: Course, learners) -> None:
    """The comments, one per new demo learner (`learners(count, names, cohort)` makes them). Flushes."""
    cohort = Cohort(centre_id=centre.id, name=COHORT)
    db.session.add(cohort)
    db.session.flush()
    names = [f"{NAMES[number % 2]} {number + 1} (ตัวอย่าง)" for number in range(len(COMMENTS))]
    people = learners(len(COMMENTS), names, cohort)
    now = utcnow()
    for number, (person, (position, months_ago, rating, text)) in enumerate(zip(people, COMMENTS, strict=True)):
        written = now - timedelta(days=30 * months_ago + number % 20)
        db.session.add(ModuleFeedback(person_id=person.id, module_id=course.modules[position - 1].id, rating=rating,
                                      comment=text, language="en" if text.isascii() else "th", created_at=written,
                                      updated_at=written))
    db.session.flush()


def run_themes() -> None:
    """The demo trainer's first run of the themes, done here as the job would do it (it commits its own work)."""
    trainer = db.session.scalar(select(User).join(RoleAssignment, RoleAssignment.person_id == User.id)
                                .where(User.is_demo, RoleAssignment.role == "trainer").order_by(User.id).limit(1))
    if trainer is None:
        return
    theme_run, _new = themes.request_run(trainer, "feedback", {}, "th")
    db.session.commit()  # the run reads in its own transaction, as the job does
    themes.run(theme_run.id)
