"""The 21 competences of DigComp 2.2 (the EU's Digital Competence Framework for Citizens, JRC 2022), and the map
of every module against them that docs/curriculum.md shows.

The map is made from the modules' `competences:` lists, never written by hand, so it cannot drift from the
course files; a test compares the two (tests/courses/test_competences.py).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from civiclearn.courses.schema import Course

PREFIX = "DigComp "  # how course files name a DigComp competence: "DigComp 4.1"
MARK = "✓"


@dataclass(frozen=True)
class Competence:
    code: str  # "4.1"
    name: str  # the framework's own English name
    thai: str  # our Thai rendering, not an official translation


AREAS = {
    "1": ("Information and data literacy", "การรู้สารสนเทศและข้อมูล"),
    "2": ("Communication and collaboration", "การสื่อสารและการทำงานร่วมกัน"),
    "3": ("Digital content creation", "การสร้างเนื้อหาดิจิทัล"),
    "4": ("Safety", "ความปลอดภัย"),
    "5": ("Problem solving", "การแก้ปัญหา"),
}

COMPETENCES = (
    Competence("1.1", "Browsing, searching and filtering data, information and digital content",
               "การเลือกดู ค้นหา และคัดกรองข้อมูล สารสนเทศ และเนื้อหาดิจิทัล"),
    Competence("1.2", "Evaluating data, information and digital content", "การประเมินข้อมูล สารสนเทศ และเนื้อหาดิจิทัล"),
    Competence("1.3", "Managing data, information and digital content", "การจัดการข้อมูล สารสนเทศ และเนื้อหาดิจิทัล"),
    Competence("2.1", "Interacting through digital technologies", "การติดต่อสื่อสารผ่านเทคโนโลยีดิจิทัล"),
    Competence("2.2", "Sharing through digital technologies", "การแบ่งปันผ่านเทคโนโลยีดิจิทัล"),
    Competence("2.3", "Engaging in citizenship through digital technologies",
               "การมีส่วนร่วมในฐานะพลเมืองผ่านเทคโนโลยีดิจิทัล"),
    Competence("2.4", "Collaborating through digital technologies", "การทำงานร่วมกันผ่านเทคโนโลยีดิจิทัล"),
    Competence("2.5", "Netiquette", "มารยาทในโลกดิจิทัล (เน็ตติเคต)"),
    Competence("2.6", "Managing digital identity", "การจัดการตัวตนดิจิทัล"),
    Competence("3.1", "Developing digital content", "การพัฒนาเนื้อหาดิจิทัล"),
    Competence("3.2", "Integrating and re-elaborating digital content", "การบูรณาการและเรียบเรียงเนื้อหาดิจิทัลใหม่"),
    Competence("3.3", "Copyright and licences", "ลิขสิทธิ์และสัญญาอนุญาตให้ใช้งาน"),
    Competence("3.4", "Programming", "การเขียนโปรแกรม"),
    Competence("4.1", "Protecting devices", "การปกป้องอุปกรณ์"),
    Competence("4.2", "Protecting personal data and privacy", "การปกป้องข้อมูลส่วนบุคคลและความเป็นส่วนตัว"),
    Competence("4.3", "Protecting health and well-being", "การดูแลสุขภาพและความเป็นอยู่ที่ดี"),
    Competence("4.4", "Protecting the environment", "การปกป้องสิ่งแวดล้อม"),
    Competence("5.1", "Solving technical problems", "การแก้ปัญหาทางเทคนิค"),
    Competence("5.2", "Identifying needs and technological responses", "การระบุความต้องการและเทคโนโลยีที่ตอบสนอง"),
    Competence("5.3", "Creatively using digital technologies", "การใช้เทคโนโลยีดิจิทัลอย่างสร้างสรรค์"),
    Competence("5.4", "Identifying digital competence gaps", "การระบุช่องว่างด้านสมรรถนะดิจิทัล"),
)
BY_CODE = {competence.code: competence for competence in COMPETENCES}
MEANS_DIGCOMP = re.compile(r"^dig\s*comp", re.IGNORECASE)

BEGIN = ("<!-- The competence map below is generated: edit the modules' competences, then run "
         "`flask --app wsgi courses competences --update docs/curriculum.md`. -->")
END = "<!-- End of the generated competence map. -->"


def digcomp(code: str) -> Competence | None:
    """The DigComp competence a course file's code names ("DigComp 4.1"); None for other frameworks' codes."""
    return BY_CODE.get(code.removeprefix(PREFIX)) if code.startswith(PREFIX) else None


def code_problem(code: str) -> str | None:
    """Why a code meant as DigComp names none of its 21 competences: a typo would silently leave it off the map."""
    if digcomp(code) or not MEANS_DIGCOMP.match(code):
        return None
    ranges = ", ".join(f"{area}.1 to {max(c.code for c in COMPETENCES if c.code.startswith(area + '.'))}"
                       for area in AREAS)
    return f'"{code}" is not a DigComp 2.2 competence: write {PREFIX}and one of {ranges}, such as "DigComp 4.1"'


def taught(courses: Iterable[Course]) -> dict[str, int]:
    """How many modules teach each DigComp competence, by code (0 for those none teaches)."""
    counts = dict.fromkeys(BY_CODE, 0)
    for course in courses:
        for module in course.modules:
            for competence in {digcomp(code) for code in module.competences} - {None}:
                counts[competence.code] += 1
    return counts


def competence_map(courses: Iterable[Course]) -> str:
    """The Markdown map: every module (by course, in the catalogue's order) against the 21 competences, the
    count of modules per competence, what no module teaches yet, and a legend of the names."""
    courses = sorted(courses, key=lambda course: (course.order, course.key))  # as the catalogue lists them
    counts = taught(courses)
    rows = [_row(["Module", *BY_CODE, "Other frameworks"]), _row(["---", *[":-:"] * len(BY_CODE), "---"])]
    for course in courses:
        rows.append(_row([f"**{course.title.en}** (`{course.key}`)", *[""] * len(BY_CODE), ""]))
        for module in course.modules:
            codes = {competence.code for competence in map(digcomp, module.competences) if competence}
            others = [code for code in module.competences if not digcomp(code)]
            rows.append(_row([f"{module.title.en} (`{module.key}`)",
                              *[MARK if code in codes else "" for code in BY_CODE], ", ".join(others)]))
    reached = [code for code, count in counts.items() if count]
    rows.append(_row(["**Modules teaching it**", *map(str, counts.values()), ""]))
    missing = [f"{code} {BY_CODE[code].name}" for code, count in counts.items() if not count]
    lines = [BEGIN, "", *rows, "", f"DigComp 2.2 competences taught: **{len(reached)} of {len(BY_CODE)}**."
             + (f" Not taught yet: {'; '.join(missing)}." if missing else ""), "", *_legend(), "", END]
    return "\n".join(lines) + "\n"


def _legend() -> list[str]:
    lines = [_row(["Code", "DigComp 2.2 competence", "In Thai (our rendering)"]), _row(["---"] * 3)]
    for area, (name, thai) in AREAS.items():
        lines.append(_row([f"**{area}**", f"**{name}**", f"**{thai}**"]))
        lines += [_row([c.code, c.name, c.thai]) for c in COMPETENCES if c.code.startswith(area + ".")]
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def replace_map(document: str, new_map: str) -> str:
    """`document` (docs/curriculum.md) with the map between its markers replaced by `new_map`."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the file has no generated map to replace: put the two lines\n{BEGIN}\n{END}\n"
                         "where the map belongs")
    return document[:start] + new_map + document[end + len(END):].removeprefix("\n")


def current_map(document: str) -> str | None:
    """The generated map in `document`, markers included, as `competence_map` writes it; None without markers."""
    start, end = document.find(BEGIN), document.find(END)
    return document[start:end + len(END)] + "\n" if 0 <= start < end else None
