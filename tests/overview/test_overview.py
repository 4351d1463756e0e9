"""The programme overview: totals by place, who is reached, each admin limited to their scope, exports.
Every number is the hand count of the `programme` fixture (see conftest)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from civiclearn.accounts.models import User
from civiclearn.centres.models import Cohort, Enrolment
from civiclearn.certificates.models import Certificate
from civiclearn.civic.models import CivicAction
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.schools.models import ClassMember, School, SchoolClass
from tests.helpers import visible_text
from tests.overview.conftest import BANGKOK, CHIANG_MAI, seed_demo, table_rows

MEASURES = ["Learners registered", "Active in the last 30 days", "Modules completed", "Certificates issued"]
HEADLINE = [*MEASURES, "School students", "Centre learners and school students, each person once"]


def headline(html: str, figures_id: str = "") -> dict[str, int]:
    """The figures at the top of the page (every learner of the scope, once), or of the list `figures_id`."""
    named = f' id="{figures_id}"' if figures_id else ""
    found = re.search(rf'<dl class="figures"{named}>(.*?)</dl>', html, re.S)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(\d+)", found.group(1))
    return {name: int(value) for name, value in pairs}


def by_name(rows: list[list[str]], places: int) -> dict[tuple, list[int]]:
    """Rows keyed by their place cells, with their four numbers."""
    return {tuple(row[:places]): [int(value) for value in row[places:]] for row in rows}


def test_an_admin_of_everything_sees_the_hand_count(client, programme, sign_in_admin):
    sign_in_admin()
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html) == dict(zip(HEADLINE, [6, 3, 5, 2, 0, 6], strict=True))  # no school yet
    assert by_name(table_rows(html), 2) == {  # by district, the default
        (CHIANG_MAI, "แม่ริม"): [4, 3, 4, 1],  # L2, enrolled at both Rim centres, counts once
        (CHIANG_MAI, "แม่แตง"): [1, 0, 0, 0],
        (CHIANG_MAI, "สันทราย"): [0, 0, 0, 0],  # a district with no learners yet keeps its row
        (BANGKOK, "บางรัก"): [1, 0, 1, 1],  # a reissued certificate is still one certificate
    }


@pytest.mark.parametrize(("by", "places", "expected"), [
    ("province", 1, {(CHIANG_MAI,): [5, 3, 4, 1], (BANGKOK,): [1, 0, 1, 1]}),
    ("centre", 3, {
        (CHIANG_MAI, "แม่ริม", "Rim Tai Centre"): [3, 2, 4, 1],  # L6 deleted their data and still counts
        (CHIANG_MAI, "แม่ริม", "Rim Nuea Centre"): [2, 2, 1, 0],  # L3 failed the quiz: nothing completed
        (CHIANG_MAI, "แม่แตง", "Mae Taeng Centre"): [1, 0, 0, 0],
        (CHIANG_MAI, "สันทราย", "San Sai Centre"): [0, 0, 0, 0],
        (BANGKOK, "บางรัก", "Bang Rak Centre"): [1, 0, 1, 1],
    }),
])
def test_totals_by_province_and_by_centre(client, programme, sign_in_admin, by, places, expected):
    sign_in_admin()
    html = client.get("/overview", query_string={"by": by}).get_data(as_text=True)
    assert by_name(table_rows(html), places) == expected


def test_who_is_reached_by_age_band_and_gender(client, programme, sign_in_admin):
    sign_in_admin()
    html = client.get("/overview").get_data(as_text=True)
    assert table_rows(html, "reach-ages") == [["Under 18", "1"], ["18 to 39", "2"], ["40 to 59", "1"],
                                              ["60 and over", "1"], ["Not recorded", "1"]]
    assert table_rows(html, "reach-genders") == [["Female", "3"], ["Male", "1"], ["Other", "1"],
                                                 ["Not recorded", "1"]]


@pytest.mark.parametrize(("scope", "headline_numbers", "rows"), [
    ({"province": CHIANG_MAI}, [5, 3, 4, 1, 0, 5], {(CHIANG_MAI, "แม่ริม"): [4, 3, 4, 1],
                                              (CHIANG_MAI, "แม่แตง"): [1, 0, 0, 0],
                                              (CHIANG_MAI, "สันทราย"): [0, 0, 0, 0]}),
    ({"province": CHIANG_MAI, "district": "แม่แตง"}, [1, 0, 0, 0, 0, 1], {(CHIANG_MAI, "แม่แตง"): [1, 0, 0, 0]}),
])
def test_a_scoped_admin_sees_only_their_area(client, programme, sign_in_admin, scope, headline_numbers, rows):
    sign_in_admin(**scope)
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html) == dict(zip(HEADLINE, headline_numbers, strict=True))
    assert by_name(table_rows(html), 2) == rows
    assert BANGKOK not in visible_text(html) and "บางรัก" not in html
    reach = sum(int(count) for _group, count in table_rows(html, "reach-genders"))
    assert reach == headline_numbers[0]
    for by in ("province", "district", "centre", "month"):
        exported = client.get("/overview.csv", query_string={"by": by}).get_data().decode("utf-8-sig")
        assert BANGKOK not in exported and "Bang Rak" not in exported, by


def test_the_csv_export_opens_with_its_thai_names(client, programme, sign_in_admin):
    sign_in_admin()
    response = client.get("/overview.csv?by=centre")
    assert response.headers["Content-Disposition"] == 'attachment; filename="overview-by-centre.csv"'
    assert response.get_data().startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to show Thai
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Province", "District", "Centre", *MEASURES]
    assert [CHIANG_MAI, "แม่ริม", "Rim Tai Centre", "3", "2", "4", "1"] in rows
    assert len(rows) == 6


def test_the_excel_export_holds_the_same_table(client, programme, sign_in_admin):
    sign_in_admin()
    with client.get("/overview.xlsx?by=province") as response:
        sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Province", *MEASURES], [BANGKOK, 1, 0, 1, 1], [CHIANG_MAI, 5, 3, 4, 1]]


def test_who_is_reached_exports_too(client, programme, sign_in_admin):
    sign_in_admin(province=BANGKOK)
    rows = list(csv.reader(io.StringIO(client.get("/overview/reach.csv").get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Measure", "Group", "Learners"]
    assert ["Age", "40 to 59", "1"] in rows and ["Gender", "Female", "1"] in rows
    assert sum(int(row[2]) for row in rows[1:]) == 2  # one learner in Bangkok, by age and by gender


def test_each_measure_has_a_chart_beside_the_table(client, programme, sign_in_admin):
    sign_in_admin()
    html = client.get("/overview?by=province").get_data(as_text=True)
    charts = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title \1-desc"', html)
    assert len(charts) == 7  # four measures, ages, genders, civic actions by kind (none by month yet)
    for chart in charts:
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    learners = re.search(r'<title id="chart-measure-0-title">(.*?)</title>(.*?)</svg>', html, re.S)
    assert learners.group(1) == "Learners registered by province"
    widths = [float(width) for width in re.findall(r'class="chart-bar"[^>]*width="([\d.]+)"', learners.group(2))]
    assert widths[1] == 5 * widths[0]  # Chiang Mai's 5 learners, Bangkok's 1
    assert " style=" not in html  # the CSP allows no inline styles: colours come from app.css


def test_the_demo_data_changes_no_figure(app, client, programme, schools, load_courses, sign_in_admin, tmp_path):
    """The hand count, then the demo added (with the shipped courses: progress, certificates, a second province,
    a school with its class), one demo learner also enrolled at a real centre and in a real class: every table is
    as it was, with no row for the demo's places or school."""
    load_courses()
    sign_in_admin()

    def figures() -> dict:
        pages = {by: client.get("/overview", query_string={"by": by}).get_data(as_text=True)
                 for by in ("province", "district", "centre", "month")}
        return {by: (headline(html), headline(html, "action-figures"),
                     *(table_rows(html, table) for table in ("totals", "reach-ages", "reach-genders", "schools",
                                                             "actions-by-kind", "actions-by-channel")))
                for by, html in pages.items()}

    before = figures()
    seed_demo(app, tmp_path)
    with app.app_context():
        demo_learner = db.session.scalar(select(User.id).where(User.is_demo, User.learner_code == "CAT347"))
        rim_tai = db.session.scalar(select(Cohort.id).where(Cohort.centre_id == programme.centres["rim_tai"]))
        db.session.add_all([Enrolment(person_id=demo_learner, cohort_id=rim_tai),
                            ClassMember(class_id=schools["ม.2/1"], person_id=demo_learner)])
        db.session.commit()
        assert db.session.scalar(select(func.count(ClassMember.id)).join(User, User.id == ClassMember.person_id)
                                 .where(User.is_demo)) >= 2  # the demo's class has students
        demo_certificates = select(func.count(Certificate.id)).join(User, User.id == Certificate.person_id)
        assert db.session.scalar(demo_certificates.where(User.is_demo)) >= 5  # the demo has something to count
        assert db.session.scalar(select(func.count(CivicAction.id)).join(User, User.id == CivicAction.person_id)
                                 .where(User.is_demo)) >= 3
    assert figures() == before
    assert headline(client.get("/overview").get_data(as_text=True)) == dict(zip(HEADLINE, [6, 3, 5, 2, 4, 9],
                                                                                strict=True))


@pytest.fixture
def schools(app, programme, make_school, make_learner):
    """Beside the programme's centres, two schools (see the conftest's hand count for the centres):
        Rim School (Chiang Mai, แม่ริม): ม.2/1 (2569): L1 (also a learner of Rim Tai) and S1; ม.2/2 (2569): S1 again;
            an LMS course's class (2569): S2, who left the LMS course since; ม.3/1 (2568): nobody yet.
        Bang Rak School (Bangkok): ป.6/1 (2569): S3.
    and the demo's school, whose students never count (test_the_demo_data_changes_no_figure)."""
    rim, bang_rak = make_school("โรงเรียนริม", CHIANG_MAI, "แม่ริม"), make_school("โรงเรียนบางรัก", BANGKOK, "บางรัก")
    students = {name: make_learner(f"นักเรียน {name}").id for name in ("S1", "S2", "S3")}
    students["L1"] = programme.learners["L1"]
    with app.app_context():
        db.session.execute(update(School).where(School.id == rim).values(name_en="Rim School"))
        db.session.execute(update(School).where(School.id == bang_rak).values(name_en="Bang Rak School"))
        classes = {}
        for school, name, grade, year, code in ((rim, "ม.2/1", "ม.2", 2569, "TRY347"),
                                                (rim, "ม.2/2", "ม.2", 2569, "TRY349"),
                                                (rim, "Digital citizenship (Moodle)", "LMS", 2569, "TRY374"),
                                                (rim, "ม.3/1", "ม.3", 2568, "TRY379"),
                                                (bang_rak, "ป.6/1", "ป.6", 2569, "TRY394")):
            school_class = SchoolClass(school_id=school, name=name, grade=grade, year=year, join_code=code)
            db.session.add(school_class)
            db.session.flush()
            classes[name] = school_class.id
        db.session.add_all(ClassMember(class_id=classes[name], person_id=students[person], left_at=left)
                           for name, person, left in (("ม.2/1", "L1", None), ("ม.2/1", "S1", None),
                                                      ("ม.2/2", "S1", None),
                                                      ("Digital citizenship (Moodle)", "S2", utcnow()),
                                                      ("ป.6/1", "S3", None)))
        db.session.commit()
    return classes


EVERY_SCHOOL = "All classes, each student once"


def test_school_students_are_counted_by_school_and_class_beside_the_centres_learners(client, schools,
                                                                                      sign_in_admin):
    sign_in_admin()
    html = client.get("/overview").get_data(as_text=True)
    # 4 students (L1, S1, S2 who left the LMS course, S3); the 6 centre learners and S1, S2, S3: L1 is one person.
    assert headline(html) == dict(zip(HEADLINE, [6, 3, 5, 2, 4, 9], strict=True))
    rows = [
        [BANGKOK, "บางรัก", "Bang Rak School", EVERY_SCHOOL, "", "1"],
        [BANGKOK, "บางรัก", "Bang Rak School", "ป.6/1", "2569", "1"],
        [CHIANG_MAI, "แม่ริม", "Rim School", EVERY_SCHOOL, "", "3"],  # S1, in two classes, once
        [CHIANG_MAI, "แม่ริม", "Rim School", "Digital citizenship (Moodle)", "2569", "1"],  # S2, who left
        [CHIANG_MAI, "แม่ริม", "Rim School", "ม.2/1", "2569", "2"],
        [CHIANG_MAI, "แม่ริม", "Rim School", "ม.2/2", "2569", "1"],
        [CHIANG_MAI, "แม่ริม", "Rim School", "ม.3/1", "2568", "0"],  # a class with nobody yet keeps its row
    ]
    assert table_rows(html, "schools") == rows
    assert "In your area, each student once 4" in visible_text(html)
    exported = list(csv.reader(io.StringIO(client.get("/overview/schools.csv").get_data().decode("utf-8-sig"))))
    assert exported == [["Province", "District", "School", "Class", "Academic year", "Students"], *rows,
                        ["In your area, each student once", "", "", "", "", "4"]]
    with client.get("/overview/schools.xlsx") as response:
        sheet = [list(row) for row in load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True)]
    assert sheet[3] == [CHIANG_MAI, "แม่ริม", "Rim School", EVERY_SCHOOL, None, 3] and sheet[-1][-1] == 4


def test_a_scoped_admin_counts_the_schools_of_their_area_only(client, schools, sign_in_admin):
    sign_in_admin(province=BANGKOK)
    html = client.get("/overview").get_data(as_text=True)
    assert headline(html) == dict(zip(HEADLINE, [1, 0, 1, 1, 1, 2], strict=True))  # L5 at Bang Rak, and S3
    assert [row[2:4] for row in table_rows(html, "schools")] == [["Bang Rak School", EVERY_SCHOOL],
                                                                ["Bang Rak School", "ป.6/1"]]
    assert "Rim School" not in client.get("/overview/schools.csv").get_data().decode("utf-8-sig")
