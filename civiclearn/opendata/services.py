"""Open data: an anonymised data set of counts per district and month, with its data dictionary.

Only counts of districts, never of centres or people, and any count from 1 to 4 is suppressed (published
empty), so that nobody in a small group can be picked out. No totals are published (no province, no year,
no country row): a total would give a suppressed count back by subtraction. What each count means is
`civiclearn.overview.measures`; here "active" is active in that month. The demo data is never in it (the
measures leave it out).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import true

from civiclearn.centres.models import Centre
from civiclearn.database import utcnow
from civiclearn.overview import measures

SMALLEST_PUBLISHED = 5  # counts from 1 to SMALLEST_PUBLISHED - 1 are suppressed; 0 is published as 0
NAME = "learning-by-district-month"
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as a JSON Schema type: "string" or "integer"
    th: str
    en: str


SUPPRESSION = {
    "th": "ค่าที่อยู่ระหว่าง 1 ถึง 4 ไม่เผยแพร่ (ช่องว่างใน CSV, null ใน JSON) เพื่อไม่ให้ระบุตัวบุคคลในกลุ่มเล็กได้ "
          "ค่า 0 เผยแพร่ตามจริง ไม่มีแถวรวมของจังหวัด ปี หรือทั้งประเทศ จึงคำนวณค่าที่ไม่เผยแพร่ย้อนกลับไม่ได้",
    "en": "Counts from 1 to 4 are suppressed (an empty cell in CSV, null in JSON) so that nobody in a small group "
          "can be picked out; 0 is published as 0. There are no totals by province, year or country, so a "
          "suppressed count cannot be worked out by subtraction.",
}
TITLE = {"th": "การเรียนรู้รายอำเภอรายเดือน", "en": "Learning by district and month"}
DESCRIPTION = {
    "th": "จำนวนผู้เรียนที่ลงทะเบียน ผู้เรียนที่เข้าเรียน หน่วยการเรียนที่เรียนจบ และเกียรติบัตรที่ออก "
          "ของศูนย์ดิจิทัลชุมชนในแต่ละอำเภอ แยกตามเดือน (เวลาประเทศไทย) "
          "เป็นจำนวนนับเท่านั้น ไม่มีชื่อหรือข้อมูลรายบุคคล",
    "en": "Learners registered, learners active, modules completed and certificates issued at the community "
          "digital centres of each district, by month (Thailand time). Counts only: no names, nothing about "
          "any one person.",
}
COLUMNS = (
    Column("province", "string", "จังหวัดของศูนย์", "The province of the centres."),
    Column("district", "string", "อำเภอ (เขต) ของศูนย์", "The district (amphoe or khet) of the centres."),
    Column("month", "string", "เดือน ในรูปแบบ YYYY-MM ปีคริสต์ศักราช ตามเวลาประเทศไทย",
           "The month, as YYYY-MM (Gregorian year), in Thailand time."),
    Column("learners_registered", "integer",
           "จำนวนผู้เรียนที่สร้างบัญชีในเดือนนี้ และลงทะเบียนในรุ่นของศูนย์ในอำเภอนี้ (นับคนละครั้ง)",
           "Learners whose account was made in the month, enrolled in a cohort of a centre of the district "
           "(each once)."),
    Column("learners_active", "integer",
           "จำนวนผู้เรียนของศูนย์ในอำเภอนี้ที่เปิดหรือเรียนจบบทเรียน หรือส่งแบบทดสอบในเดือนนี้ (นับคนละครั้ง)",
           "Learners of the district's centres who opened or finished a lesson, or sent a quiz, in the month "
           "(each once)."),
    Column("modules_completed", "integer",
           "จำนวนหน่วยการเรียนที่ผู้เรียนของศูนย์ในอำเภอนี้เรียนจบในเดือนนี้ "
           "(ทุกบทเรียนเสร็จและผ่านแบบทดสอบ ผู้เรียนหนึ่งคนนับหน่วยละครั้ง)",
           "Modules the district's learners completed in the month (every lesson done and the quiz passed; "
           "once per learner and module)."),
    Column("certificates_issued", "integer",
           "จำนวนเกียรติบัตรที่ศูนย์ในอำเภอนี้ออกครั้งแรกในเดือนนี้ (การออกใหม่เพื่อแก้ชื่อหรือต่ออายุไม่นับเพิ่ม)",
           "Certificates first issued by the district's centres in the month (issuing one again, to correct a "
           "name or renew it, does not count again)."),
)
COUNTS = tuple(column.name for column in COLUMNS if column.type == "integer")


@dataclass(frozen=True)
class DataSet:
    generated_at: datetime
    rows: list[dict]  # by province, district and month; suppressed counts are None


def suppressed(count: int) -> int | None:
    """A count as published: None (suppressed) from 1 to 4."""
    return None if 0 < count < SMALLEST_PUBLISHED else count


def learning_by_district_month() -> DataSet:
    """The data set: a row for each district and month with something to count (four queries in all)."""
    counted = measures.counts(measures.Grouping(true(), (Centre.province, Centre.district), by_month=True))
    rows = [{"province": province, "district": district, "month": month,
             **{name: suppressed(getattr(counted, measure)[(province, district, month)])
                for name, measure in zip(COUNTS, measures.MEASURES, strict=True)}}
            for province, district, month in sorted(counted.keys())]
    return DataSet(utcnow(), rows)


def metadata(data: DataSet) -> dict:
    """What the JSON file says about itself: title, when it was counted, licence, suppression, columns."""
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "generated_at": data.generated_at.isoformat(timespec="seconds"),
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "suppression": {"smallest_published": SMALLEST_PUBLISHED, "marker": None, "rule": SUPPRESSION},
        "columns": [{"name": column.name, "type": column.type, "description": {"th": column.th, "en": column.en}}
                    for column in COLUMNS],
    }
