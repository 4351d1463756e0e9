"""A spreadsheet opened in Excel runs nothing. Learners, a cohort, a centre, its district and province, feedback
and its answer, a civic action's note are named like formulas; every CSV and XLSX export of the app is downloaded
by the staff member who may see it and read back with the csv module and openpyxl: no cell is a formula, no text
starts with =, +, -, @, a tab or a carriage return unless an apostrophe comes first, the dangerous names are there (with
their apostrophe), and numbers are still numbers. The export routes come from the app's URL map, so an export
added without a line in EXPORTS fails `test_every_export_route_is_downloaded_here`.

The world is built once for the module (on each database backend): downloading every export is what takes time.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from civiclearn import codes, create_app
from civiclearn.accounts.models import User
from civiclearn.accounts.services import create_staff, grant_role
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.civic.models import CivicAction
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.exports import csv_chunks, xlsx_file
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.schools.models import Assignment, ClassMember, School, SchoolClass
from tests.conftest import SAMPLE_COURSE, _empty_tables, _test_config
from tests.helpers import record_finished, submit, visible_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK, PLUS, MINUS, AT, TAB, CR = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tแถบ", "\rขึ้นบรรทัด")
LEARNERS = (HYPERLINK, PLUS, MINUS, AT, TAB, CR)
COHORT, CENTRE, DISTRICT, PROVINCE = "+รุ่นที่ 1", "=ศูนย์ทดสอบ", "-แม่ริม", "@เชียงใหม่"
COMMENT, ANSWER = "=1+1", "-ขอบคุณครับ"
NOTE = "@ไฟถนนดับ"  # a civic action's note
PASSWORD = "long enough passphrase"
MODULE = "getting-started/how-it-works"


@dataclass(frozen=True)
class Export:
    """How to download one export route: the address (with the world's ids), who may, the formats it offers,
    the dangerous texts that must be in it (escaped), and whether it holds numbers."""
    address: str
    visitor: str
    formats: tuple[str, ...]
    holds: tuple[str, ...]
    numbers: bool


EXPORTS = {
    "reports.export_dashboard": Export("/centres/{centre}/dashboard.{format}?course=getting-started", "trainer",
                                       ("csv", "xlsx"), (*LEARNERS, COHORT), numbers=True),
    "reports.export_quiz_report": Export(f"/centres/{{centre}}/courses/{MODULE}/quiz.{{format}}", "trainer",
                                         ("csv", "xlsx"), (), numbers=True),  # the course's own words and counts
    "reports.export_activity": Export("/centres/{centre}/activity.{format}", "trainer", ("csv", "xlsx"), (),
                                      numbers=True),  # keys, codes and ids: no names
    "reports.export_class_report": Export("/classes/{class_}/report.{format}", "teacher", ("csv", "xlsx"), LEARNERS,
                                          numbers=False),
    "civic_staff.export_centre_actions": Export("/centres/{centre}/actions.{format}", "trainer", ("csv", "xlsx"),
                                                (*LEARNERS, NOTE), numbers=False),
    "feedback_staff.export_module": Export(f"/staff/feedback/{MODULE}.{{format}}", "trainer", ("csv", "xlsx"),
                                           (*LEARNERS, COMMENT, ANSWER), numbers=True),
    "overview.export": Export("/overview.{format}?by=centre", "admin", ("csv", "xlsx"), (PROVINCE, DISTRICT, CENTRE),
                              numbers=True),
    "overview.export_reach": Export("/overview/reach.{format}", "admin", ("csv", "xlsx"), (), numbers=True),
    "overview.export_actions": Export("/overview/actions.{format}", "admin", ("csv", "xlsx"), (), numbers=True),
    "overview.export_schools": Export("/overview/schools.{format}", "admin", ("csv", "xlsx"), (PROVINCE, DISTRICT),
                                      numbers=True),
    "centres.roster_example": Export("/centres/{centre}/roster/example.csv", "trainer", ("csv",), (COHORT,),
                                     numbers=False),
    "opendata.download": Export("/open-data/learning-by-district-month.{format}", "anonymous", ("csv",),
                                (PROVINCE, DISTRICT), numbers=False),  # (its JSON is no spreadsheet)
}


@dataclass
class World:
    ids: dict[str, int]
    browsers: dict[str, FlaskClient]


def build_world(app) -> dict[str, int]:
    """A centre, cohort, school and class whose learners are all named like formulas and finished the first module
    (so there are scores, events and counts), feedback on it answered like a formula, and a trainer, teacher and
    admin. Names are set on the rows directly: what people may type is the forms' business, not this test's."""
    with app.app_context():
        load_courses(SAMPLE_COURSE)
    with app.test_request_context():
        module = catalogue().course("getting-started").modules[0]
        centre = Centre(name_th=CENTRE, name_en="=Centre", province=PROVINCE, district=DISTRICT, subdistrict="ริมใต้",
                        lgo_name="เทศบาล")
        school = School(name_th="โรงเรียน", name_en="School", province=PROVINCE, district=DISTRICT)
        db.session.add_all([centre, school])
        db.session.flush()
        cohort = Cohort(centre_id=centre.id, name=COHORT)
        school_class = SchoolClass(school_id=school.id, name="ม.2/1", grade="ม.2", year=2569, join_code="KEM347")
        learners = [User(display_name=name, learner_code=codes.new_code()) for name in LEARNERS]
        db.session.add_all([cohort, school_class, *learners])
        db.session.flush()
        db.session.add(Assignment(class_id=school_class.id, module_id=module.id))
        for learner in learners:
            db.session.add_all([Enrolment(person_id=learner.id, cohort_id=cohort.id),
                                ClassMember(class_id=school_class.id, person_id=learner.id),
                                ModuleFeedback(person_id=learner.id, module_id=module.id, rating=4, comment=COMMENT,
                                               language="th", reply=ANSWER, replied_at=datetime.now(UTC)),
                                CivicAction(person_id=learner.id, token="safety", kind="reported_problem",
                                            channel="traffy_fondue", done_on=date(2026, 3, 2), note=NOTE)])
        staff = {}
        for role, scope in (("trainer", {"centre_id": centre.id}), ("teacher", {"school_id": school.id}),
                            ("admin", {})):
            staff[role] = create_staff(None, role, role, None, PASSWORD)
            grant_role(None, staff[role], role, **scope)
        db.session.commit()
        ids = {"centre": centre.id, "class_": school_class.id, "learners": [learner.id for learner in learners]}
    for person_id in ids["learners"]:
        record_finished(app, person_id, [module])
    return ids


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory) -> World:
    app = create_app(_test_config(database_url, ROOT / "courses",
                                  CERTIFICATE_BATCHES_DIR=tmp_path_factory.mktemp("batches")))
    ids = build_world(app)
    browsers = {"anonymous": app.test_client()}
    for role in ("trainer", "teacher", "admin"):
        browsers[role] = app.test_client()
        assert submit(browsers[role], "/staff/sign-in", {"login": role, "password": PASSWORD}).status_code == 303
    yield World(ids, browsers)
    _empty_tables(app)  # (as make_app does after each test)
    with app.app_context():
        db.engine.dispose()


def download(world: World, export: Export, file_format: str) -> bytes:
    with world.browsers[export.visitor].get(export.address.format(format=file_format, **world.ids)) as response:
        assert response.status_code == 200, export.address
        return response.get_data()


def csv_cells(data: bytes) -> list[str]:
    """Every cell of a CSV file as Excel's CSV reader splits it (a carriage return inside quotes stays)."""
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def xlsx_cells(data: bytes) -> list:
    """Every cell of the workbook's sheets, as openpyxl reads them back."""
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def unescaped(texts) -> list[str]:
    return [text for text in texts if isinstance(text, str) and text.startswith(FORMULA_STARTS)]


def test_every_export_route_is_downloaded_here(world):
    app = world.browsers["anonymous"].application
    spreadsheets = {rule.endpoint for rule in app.url_map.iter_rules()
                    if rule.rule.endswith((".csv", ".xlsx", ".<file_format>"))}
    assert spreadsheets == set(EXPORTS)


@pytest.mark.parametrize("endpoint", sorted(EXPORTS))
def test_no_cell_of_a_csv_export_can_run_as_a_formula(world, endpoint):
    export = EXPORTS[endpoint]
    cells = csv_cells(download(world, export, "csv"))
    assert unescaped(cells) == []
    for text in export.holds:
        assert "'" + text in cells, text  # there, and escaped: the test is not vacuous
    if export.numbers:
        assert any(cell.isdigit() for cell in cells)  # counts and scores as plain digits, no apostrophe


@pytest.mark.parametrize("endpoint", sorted(name for name, export in EXPORTS.items() if "xlsx" in export.formats))
def test_no_cell_of_an_xlsx_export_is_a_formula(world, endpoint):
    export = EXPORTS[endpoint]
    cells = xlsx_cells(download(world, export, "xlsx"))
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert unescaped(cell.value for cell in cells) == []
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for text in export.holds:
        assert "'" + text in texts, text
    if export.numbers:
        assert any(cell.data_type == "n" and isinstance(cell.value, int) for cell in cells)


def test_the_pages_show_the_names_as_typed(world):
    """Only files are escaped: the dashboard page shows "-2+3" and "+1+1", not "'-2+3"."""
    page = visible_text(world.browsers["trainer"].get(
        f"/centres/{world.ids['centre']}/dashboard?course=getting-started").get_data(as_text=True))
    assert MINUS in page and PLUS in page and "'" + MINUS not in page


def test_numbers_dates_and_booleans_stay_what_they_are_only_text_is_escaped():
    """The writers themselves: a negative number stays a number, text that merely contains "=" is untouched,
    and text that looks like an error value ("#N/A") stays text in XLSX."""
    header = ["name", "score", "ratio", "day", "at", "passed", "nothing"]
    row = ["-5", -5, -0.25, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), True, None]
    also = ["a=b", 0, 1.5, None, None, False, "#N/A"]
    text = "".join(csv_chunks(header, [row, also]))
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))) == [
        header, ["'-5", "-5", "-0.25", "2026-01-02", "2026-01-02T03:04:05+00:00", "True", ""],
        ["a=b", "0", "1.5", "", "", "False", "#N/A"]]
    with xlsx_file(header, [row, also], "Data") as spooled:
        sheet = load_workbook(spooled).active
    first, second = ([cell for cell in line] for line in sheet.iter_rows(min_row=2))
    assert [cell.value for cell in first] == ["'-5", -5, -0.25, datetime(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5),
                                              True, None]
    assert [cell.data_type for cell in first[:3]] == ["s", "n", "n"] and first[5].data_type == "b"
    assert (second[0].value, second[6].value, second[6].data_type) == ("a=b", "#N/A", "s")
