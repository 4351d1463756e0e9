"""Open data: anonymised data sets of counts per district and month (learning; civic actions), with their data
dictionaries.

Only counts of districts, never of centres or people, and any count from 1 to 4 is suppressed (published
empty), so that nobody in a small group can be picked out. No totals are published (no province, no year,
no country row): a total would give a suppressed count back by subtraction. So the civic actions are one cell
per district, month, kind and channel, with neither a kind's total over the channels nor a channel's over the kinds.
What each count means is
`civiclearn.overview.measures`; here "active" is active in that month. The demo data is never in it (the
measures leave it out).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import true

from civiclearn.centres.models import Centre
from civiclearn.database import utcnow
from civiclearn.overview import measures

SMALLEST_PUBLISHED = 5  # counts from 1 to SMALLEST_PUBLISHED - 1 are suppressed; 0 is published as 0
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as a JSON Schema type: "string" or "integer"
    th: str
    en: str


@dataclass(frozen=True)
class DataSet:
    """A download: when it was counted, and its rows (by province, district and month; suppressed counts None)."""

    generated_at: datetime
    rows: list[dict]


@dataclass(frozen=True)
class Published:
    """A data set as the page and its files describe it, and how to count it."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    suppression: dict[str, str]
    columns: tuple[Column, ...]
    count: Callable[[], list[dict]]

    def download(self) -> DataSet:
        return DataSet(utcnow(), self.count())


def suppressed(count: int) -> int | None:
    """A count as published: None (suppressed) from 1 to 4."""
    return None if 0 < count < SMALLEST_PUBLISHED else count


PLACE_COLUMNS = (
    Column("province", "string", "จังหวัดของศูนย์", "The province of the centres."),
    Column("district", "string", "อำเภอ (เขต) ของศูนย์", "The district (amphoe or khet) of the centres."),
)
NO_TOTALS = {
    "th": "ไม่มีแถวรวมของจังหวัด ปี หรือทั้งประเทศ จึงคำนวณค่าที่ไม่เผยแพร่ย้อนกลับไม่ได้",
    "en": "There are no totals by province, year or country, so a suppressed count cannot be worked out by "
          "subtraction.",
}
SMALL_COUNTS = {
    "th": "ค่าที่อยู่ระหว่าง 1 ถึง 4 ไม่เผยแพร่ (ช่องว่างใน CSV, null ใน JSON) เพื่อไม่ให้ระบุตัวบุคคลในกลุ่มเล็กได้ "
          "ค่า 0 เผยแพร่ตามจริง",
    "en": "Counts from 1 to 4 are suppressed (an empty cell in CSV, null in JSON) so that nobody in a small group "
          "can be picked out; 0 is published as 0.",
}


# -- Learning by district and month -------------------------------------------------------------------------

LEARNING_COLUMNS = (
    *PLACE_COLUMNS,
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
LEARNING_COUNTS = tuple(column.name for column in LEARNING_COLUMNS if column.type == "integer")


def learning_by_district_month() -> list[dict]:
    """A row for each district and month with something to count (four queries in all)."""
    counted = measures.counts(measures.Grouping(true(), (Centre.province, Centre.district), by_month=True))
    return [{"province": province, "district": district, "month": month,
             **{name: suppressed(getattr(counted, measure)[(province, district, month)])
                for name, measure in zip(LEARNING_COUNTS, measures.MEASURES, strict=True)}}
            for province, district, month in sorted(counted.keys())]


LEARNING = Published(
    "learning-by-district-month",
    {"th": "การเรียนรู้รายอำเภอรายเดือน", "en": "Learning by district and month"},
    {"th": "จำนวนผู้เรียนที่ลงทะเบียน ผู้เรียนที่เข้าเรียน หน่วยการเรียนที่เรียนจบ และเกียรติบัตรที่ออก "
           "ของศูนย์ดิจิทัลชุมชนในแต่ละอำเภอ แยกตามเดือน (เวลาประเทศไทย) "
           "เป็นจำนวนนับเท่านั้น ไม่มีชื่อหรือข้อมูลรายบุคคล",
     "en": "Learners registered, learners active, modules completed and certificates issued at the community "
           "digital centres of each district, by month (Thailand time). Counts only: no names, nothing about "
           "any one person."},
    {code: f"{SMALL_COUNTS[code]} {NO_TOTALS[code]}" for code in ("th", "en")},
    LEARNING_COLUMNS, learning_by_district_month)


# -- Civic actions by district and month --------------------------------------------------------------------

KIND_CODES = {
    "reported_problem": "แจ้งปัญหา", "joined_forum_or_hearing": "เข้าร่วมเวทีประชาคมหรือการรับฟังความคิดเห็น",
    "commented_on_plan": "แสดงความคิดเห็นต่อแผนพัฒนาท้องถิ่น", "asked_for_information": "ขอข้อมูลข่าวสารของราชการ",
    "helped_someone": "ช่วยผู้อื่นทำอย่างใดอย่างหนึ่งข้างต้น",
}
CHANNEL_CODES = {
    "traffy_fondue": "Traffy Fondue", "hotline_1111": "สายด่วน 1111", "lgo_line_or_page": "LINE หรือเพจของ อปท.",
    "in_person": "ไปด้วยตนเอง", "phone": "โทรศัพท์", "other": "ช่องทางอื่น",
}


def _codes(meanings: dict[str, str]) -> str:
    return ", ".join(f"{code} ({meaning})" for code, meaning in meanings.items())


CIVIC_COLUMNS = (
    *PLACE_COLUMNS,
    Column("month", "string", "เดือนที่ลงมือทำ ในรูปแบบ YYYY-MM ปีคริสต์ศักราช ตามวันที่ผู้เรียนบันทึก",
           "The month the action was done, as YYYY-MM (Gregorian year), from the day the learner gave."),
    Column("kind", "string", f"สิ่งที่ทำ: {_codes(KIND_CODES)}",
           "What was done: reported_problem, joined_forum_or_hearing (a village forum or public hearing), "
           "commented_on_plan (the local development plan), asked_for_information (public information), "
           "helped_someone (helped someone else do one of these)."),
    Column("channel", "string", f"ช่องทาง: {_codes(CHANNEL_CODES)}",
           "How: traffy_fondue, hotline_1111 (the government's call centre), lgo_line_or_page (the LINE or "
           "Facebook page of the local government), in_person, phone, other."),
    Column("actions", "integer", "จำนวนการมีส่วนร่วมที่ผู้เรียนของศูนย์ในอำเภอนี้บันทึกไว้ (เองหรือโดยผู้นำที่ช่วยโดยได้รับความยินยอม)",
           "Actions the learners of the district's centres logged (themselves, or a leader who helped them, with "
           "their agreement)."),
    Column("fixed_after_30_days", "integer",
           "ในจำนวนนี้ ที่บันทึกไว้อย่างน้อย 30 วันก่อนวันนับ และผู้เรียนแจ้งว่าได้รับการแก้ไขหรือได้รับคำตอบแล้ว "
           "(เดือนล่าสุดส่วนใหญ่ยังไม่ครบ 30 วัน)",
           "Of these, the ones logged at least 30 days before the count that the learner said were fixed or "
           "answered (most of the latest month's are not 30 days old yet)."),
)


def fixed_published(actions: int, fixed: int) -> int | None:
    """`fixed` as published: suppressed as any count, and also when `actions` is, or when the actions not fixed
    (actions - fixed) are from 1 to 4, since the row would give them by subtraction."""
    if suppressed(actions) is None or suppressed(actions - fixed) is None:
        return None
    return suppressed(fixed)


def civic_actions_by_district_month() -> list[dict]:
    """A row for each district, month, kind and channel with an action (one query)."""
    counted = measures.civic_actions(true(), (Centre.province, Centre.district))
    cells: dict[tuple, Counter] = {}
    for (*key, state), count in counted.items():
        cells.setdefault(tuple(key), Counter())[state] += count
    return [{**dict(zip(("province", "district", "month", "kind", "channel"), key, strict=True)),
             "actions": suppressed(sum(states.values())),
             "fixed_after_30_days": fixed_published(sum(states.values()), states["fixed"])}
            for key, states in sorted(cells.items())]


CIVIC_ACTIONS = Published(
    "civic-actions-by-district-month",
    {"th": "การมีส่วนร่วมกับท้องถิ่นรายอำเภอรายเดือน", "en": "Civic actions by district and month"},
    {"th": "สิ่งที่ผู้เรียนของศูนย์ดิจิทัลชุมชนในแต่ละอำเภอบันทึกว่าได้ทำจริงกับองค์กรปกครองส่วนท้องถิ่น "
           "(แจ้งปัญหา เข้าร่วมเวที แสดงความคิดเห็นต่อแผน ขอข้อมูล หรือช่วยผู้อื่น) แยกตามเดือน ประเภท และช่องทาง "
           "และจำนวนที่ได้รับการแก้ไขเมื่อถามหลัง 30 วัน เป็นจำนวนนับเท่านั้น ไม่มีชื่อ เลขเรื่อง หรือข้อความที่บันทึก",
     "en": "What the learners of each district's community digital centres logged doing for real with their local "
           "government (reported a problem, joined a forum, commented on a plan, asked for information, helped "
           "someone), by month, kind and channel, and how many were fixed when asked after 30 days. Counts only: "
           "no names, case numbers or notes."},
    {"th": f"{SMALL_COUNTS['th']} จำนวนที่ได้รับการแก้ไขไม่เผยแพร่ด้วย เมื่อจำนวนการมีส่วนร่วมไม่เผยแพร่ หรือเมื่อส่วนที่ยัง"
           f"ไม่ได้รับการแก้ไขอยู่ระหว่าง 1 ถึง 4 {NO_TOTALS['th']}",
     "en": f"{SMALL_COUNTS['en']} The fixed count is suppressed too when the actions are, or when the actions not "
           f"fixed are from 1 to 4. {NO_TOTALS['en']}"},
    CIVIC_COLUMNS, civic_actions_by_district_month)

DATA_SETS = {published.name: published for published in (LEARNING, CIVIC_ACTIONS)}


def metadata(published: Published, data: DataSet) -> dict:
    """What the JSON file says about itself: title, when it was counted, licence, suppression, columns."""
    return {
        "name": published.name,
        "title": published.title,
        "description": published.description,
        "generated_at": data.generated_at.isoformat(timespec="seconds"),
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "suppression": {"smallest_published": SMALLEST_PUBLISHED, "marker": None, "rule": published.suppression},
        "columns": [{"name": column.name, "type": column.type, "description": {"th": column.th, "en": column.en}}
                    for column in published.columns],
    }
