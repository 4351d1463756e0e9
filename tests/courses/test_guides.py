"""Teacher guides and their printable handouts; references; what a curriculum course requires."""

import io
import shutil

import pytest
from pypdf import PdfReader

from civiclearn.courses.store import check_courses
from civiclearn.pdf import resources_for
from civiclearn.pdf_engine import ORIGIN, LocalFetcher
from tests.courses.test_reader import edit
from tests.helpers import csrf_token, embedded_fonts, visible_text

MODULE = "/courses/getting-started/take-part"
GUIDE = "take-part/teacher-guide.md"


def test_the_guide_shows_objectives_the_timed_plan_questions_and_the_handout(client, sample):
    module = sample.modules[1]
    page = visible_text(client.get(f"{MODULE}/guide").get_data(as_text=True))
    assert all(objective.th in page for objective in module.objectives)
    assert "นาทีที่ 0-5" in page and "นาทีที่ 40-45" in page
    assert all(question.th in page for question in module.guide.discussion)
    assert "รายงานปัญหาที่ดีมีสามอย่าง" in page  # the handout
    assert "พิมพ์เอกสารแจก (PDF, English)" in page
    module_page = client.get(MODULE).get_data(as_text=True)
    assert f'href="{MODULE}/guide"' in module_page
    assert "Traffy Fondue" in visible_text(module_page) and "25 พ.ย. 2569" in visible_text(module_page)


def test_the_guide_shows_the_one_goal_then_the_centre_plan_then_the_school_plan_in_both_languages(client, sample):
    guide = sample.modules[1].guide
    assert sum(step.minutes for step in guide.plan) == 45 and sum(step.minutes for step in guide.school_plan) == 50
    html = client.get(f"{MODULE}/guide").get_data(as_text=True)
    for language, headings in (("th", ("เป้าหมายเดียวของการสอนครั้งนี้", "ที่ศูนย์ดิจิทัลชุมชน: 45 นาที",
                                       "ในคาบเรียนที่โรงเรียน: 50 นาที")),
                               ("en", ("The one goal of this session", "At a community digital centre: 45 minutes",
                                       "In a school period: 50 minutes"))):
        if language == "en":
            client.post("/language", data={"lang": "en", "csrf_token": csrf_token(html)})
            html = client.get(f"{MODULE}/guide").get_data(as_text=True)
        page = visible_text(html)
        goal, centre, school = (page.index(heading) for heading in headings)
        assert goal < centre < school < page.index(guide.discussion[0].in_language(language))
        assert guide.goal.in_language(language) in page[goal:centre]
        centre_plan, school_plan = page[centre:school], page[school:]
        assert all(step.step.in_language(language) in centre_plan for step in guide.plan)
        assert all(step.step.in_language(language) in school_plan for step in guide.school_plan)
        assert guide.school_plan[-1].step.in_language(language) not in centre_plan
        last_row = "45-50 min" if language == "en" else "นาทีที่ 45-50"
        assert last_row in school_plan and last_row not in centre_plan
    # each table is named by its heading, for screen readers that list tables
    assert '<h2 id="centre-plan">' in html and '<table class="plan session-plan" aria-labelledby="centre-plan">' in html
    assert '<h2 id="school-plan">' in html and '<table class="plan session-plan" aria-labelledby="school-plan">' in html


def test_a_guide_without_a_goal_or_school_plan_shows_the_centre_plan_alone(client, courses_dir, load_courses):
    guide = courses_dir / "getting-started" / GUIDE
    text = guide.read_text(encoding="utf-8")
    for field, next_field in (("goal:", "plan:"), ("school_plan:", "discussion:")):
        text = text[:text.index(field)] + text[text.index(next_field, text.index(field)):]
    guide.write_text(text, encoding="utf-8")
    assert problems_of(courses_dir) == []  # the sample course does not require teacher guides
    load_courses(courses_dir)
    page = visible_text(client.get(f"{MODULE}/guide").get_data(as_text=True))
    assert "ที่ศูนย์ดิจิทัลชุมชน: 45 นาที" in page and "นาทีที่ 40-45" in page
    assert "ในคาบเรียนที่โรงเรียน" not in page and "เป้าหมายเดียว" not in page


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_handout_prints_as_a_pdf_with_sarabun_embedded(client, sample, language):
    response = client.get(f"{MODULE}/handout.pdf?lang={language}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    fonts = embedded_fonts(reader)
    assert fonts and all("Sarabun" in name for name in fonts) and all(fonts.values())
    if language == "en":  # Thai is compared on the rendered page, not by extraction (WeasyPrint #2841)
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "A good report has three things" in text and sample.modules[1].title.en in text


def test_no_handout_without_a_guide_or_in_an_unknown_language(client, sample):
    assert client.get("/courses/getting-started/how-it-works/handout.pdf").status_code == 404
    assert client.get(f"{MODULE}/handout.pdf?lang=fr").status_code == 404
    assert client.get("/courses/getting-started/how-it-works/guide").status_code == 404


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "https://example.com/logo.png", f"{ORIGIN}/static/../../setup.cfg",
    f"{ORIGIN}/static/%2Fetc%2Fpasswd", f"{ORIGIN}/static/..%2F..%2Fsetup.cfg", f"{ORIGIN}/fonts/%2Fetc%2Fhostname",
    f"{ORIGIN}/fonts/..%5C..%5Csetup.cfg", f"{ORIGIN}/courses/getting-started/media/course.yml", f"{ORIGIN}/other/thing",
])
def test_pdfs_fetch_only_civiclearns_own_files(app, sample, url):
    with app.test_request_context():
        fetcher = LocalFetcher(resources_for(f'<a href="{url}">'))
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_pdfs_fetch_the_stylesheet_fonts_and_course_pictures(app, sample):
    picture = f"{ORIGIN}/courses/getting-started/media/images/take-part.svg"
    with app.test_request_context():
        fetcher = LocalFetcher(resources_for(f'<img src="{picture}">'))
    for url in (f"{ORIGIN}/static/css/pdf.css", f"{ORIGIN}/fonts/Sarabun-Regular.ttf", picture):
        assert fetcher.fetch(url).status == 200
    with app.test_request_context():
        assert LocalFetcher(resources_for("<p>no picture</p>")).local_file(picture) is None  # not on this page


def problems_of(courses_dir) -> list[str]:
    return [problem.message for _source, _course, found in check_courses(courses_dir) for problem in found]


def test_a_session_plan_must_add_up_to_45_minutes(courses_dir):
    edit(courses_dir / "getting-started", GUIDE, "  - minutes: 15\n", "  - minutes: 10\n")
    assert "the session plan (plan:) adds up to 40 minutes; make it 45" in problems_of(courses_dir)


def test_a_school_plan_must_add_up_to_50_minutes_of_whole_steps(courses_dir):
    course = courses_dir / "getting-started"
    first_step = "school_plan:\n  - minutes: 7\n"
    edit(course, GUIDE, first_step, first_step.replace("7", "5"))
    assert "the school-period plan (school_plan:) adds up to 48 minutes; make it 50" in problems_of(courses_dir)
    for bad in ("0", "51", "2.5", "ten"):
        edit(course, GUIDE, "school_plan:\n  - minutes: 5\n", f"school_plan:\n  - minutes: {bad}\n")
        assert "minutes must be a whole number from 1 to 50" in problems_of(courses_dir), bad
        edit(course, GUIDE, f"school_plan:\n  - minutes: {bad}\n", "school_plan:\n  - minutes: 5\n")
    edit(course, GUIDE, "school_plan:\n", "school_plan: []\nold_school_plan:\n")
    assert "school_plan must list at least one step" in problems_of(courses_dir)


def test_a_goal_is_one_short_sentence_in_both_languages(courses_dir):
    course = courses_dir / "getting-started"
    edit(course, GUIDE, "goal:\n  th: ", "goal:\n  th: " + "ยาวมาก" * 25)
    assert ("goal is longer than 120 characters: keep the one goal to one short sentence that fits on one line of "
            "the board") in problems_of(courses_dir)
    edit(course, GUIDE, "goal:\n  th: ", "goal:\n  xx: ")
    found = problems_of(courses_dir)
    assert "missing Thai (th) text in goal of the session" in found
    assert 'unknown language "xx" in goal of the session (use th and en)' in found


def test_a_course_that_requires_guides_requires_their_goal_and_school_plan(courses_dir):
    course = courses_dir / "getting-started"
    edit(course, "course.yml", "pass_mark: 60", "pass_mark: 60\nrequires: [teacher_guide]")
    edit(course, "how-it-works/module.yml", "quiz: quiz.yml", "quiz: quiz.yml\nteacher_guide: guide.md")
    (course / "how-it-works/guide.md").write_text((course / GUIDE).read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(courses_dir) == []
    edit(course, "how-it-works/guide.md", "goal:", "aim:")
    edit(course, "how-it-works/guide.md", "school_plan:", "schoolplan:")
    found = problems_of(courses_dir)
    assert any(message.startswith("missing goal: this course requires teacher guides, and each names the one goal "
                                  "of the session in one short sentence") for message in found)
    assert any(message.startswith("missing school_plan: this course requires teacher guides, and each has a "
                                  "50-minute plan for a school period as well") for message in found)
    assert 'unknown field "schoolplan" (expected one of: discussion, goal, plan, school_plan)' in found


def test_a_curriculum_course_requires_objectives_references_guide_and_quiz(courses_dir):
    course = courses_dir / "getting-started"
    edit(course, "course.yml", "pass_mark: 60", "pass_mark: 60\nrequires: [objectives, references, teacher_guide, quiz]\nquiz_questions: 5")
    found = problems_of(courses_dir)
    assert "this course requires references in every module: add references:" in found
    assert "this course requires teacher guide in every module: add teacher_guide:" in found
    assert "this course needs at least 5 questions per quiz" in found  # how-it-works has 3
    assert "facts_checked must be a date written YYYY-MM-DD, not in the future" in found  # how-it-works has none


def test_references_need_a_title_a_source_and_a_proper_address(courses_dir):
    course = courses_dir / "getting-started"
    edit(course, "take-part/module.yml", "    source: Khaosod English; Bangkok Post\n", "    url: www.nstda.or.th\n")
    edit(course, "take-part/module.yml", "facts_checked: 2026-11-25", "facts_checked: 2999-01-01")
    found = problems_of(courses_dir)
    assert "missing source (a text)" in found
    assert "url must start with https:// or http://, not 'www.nstda.or.th'" in found
    assert "facts_checked must be a date written YYYY-MM-DD, not in the future" in found


def test_a_thai_source_needs_its_thai_title_and_a_translated_title_its_language(courses_dir):
    course = courses_dir / "getting-started"
    edit(course, "take-part/module.yml", "    source: Khaosod English; Bangkok Post\n",
         "    source: Khaosod English; Bangkok Post\n    language: th\n")
    edit(course, "take-part/module.yml", "    language: th\n    date: \"2022\"", "    date: \"2022\"")
    edit(course, "take-part/module.yml", "      en: LGO websites\n    language: th\n", "      en: LGO websites\n    language: fr\n")
    found = problems_of(courses_dir)
    assert "a Thai source needs its Thai title: give title as th (the Thai title) and en" in found
    assert "a title in Thai and English needs the language the source was published in (language: th or en)" in found
    assert "language must be th or en, not 'fr'" in found


def test_sources_name_themselves_in_the_page_language_and_say_when_they_are_in_another(client, sample):
    thai = client.get(MODULE).get_data(as_text=True)
    assert '<span lang="th">หน้าเปิดเผยข้อมูลสาธารณะ (ITA/OIT) บนเว็บไซต์ อปท.</span>' in thai
    assert "ราชกิจจานุเบกษา" in thai and "Royal Gazette" not in thai
    # an English newspaper keeps its English title, marked as English for readers and screen readers
    assert '<span lang="en">The 1111 government complaint centre</span> <span class="meta">(ภาษาอังกฤษ)</span>' in thai
    token = csrf_token(thai)
    assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 303
    english = client.get(MODULE).get_data(as_text=True)
    assert ('<span lang="en">Integrity and transparency (ITA/OIT) pages of LGO websites</span> '
            '<span class="meta">(in Thai)</span>') in english
    assert "Royal Gazette" in english and "(in English)" not in english


def test_a_leader_pathway_must_name_courses_and_modules_that_exist(courses_dir):
    leader = courses_dir / "leader"
    shutil.copytree(courses_dir / "getting-started", leader)
    pathway = """leader_pathway:
  entry: {course: getting-started, modules: [how-it-works, no-such-module], min_score: 80}
  practicum:
    sessions: 3
    mentees: 10
    mentee_modules: [take-part]
    description: {th: ฝึกงาน, en: Practicum}
"""
    edit(leader, "course.yml", "order: 10\n", "order: 11\n" + pathway)
    results = {source.key: [p.message for p in found] for source, _course, found in check_courses(courses_dir)}
    assert results == {"getting-started": [], "leader": ['unknown reference: module "no-such-module" is not in course "getting-started"']}
    edit(leader, "course.yml", "[how-it-works, no-such-module]", "[how-it-works]")
    [(source, course, found)] = [item for item in check_courses(courses_dir) if item[0].key == "leader"]
    assert found == [] and course.leader_pathway.min_score == 80 and course.leader_pathway.valid_years == 2


def test_a_handout_embeds_its_pictures_also_when_the_app_is_mounted_under_a_prefix(client, courses_dir, load_courses):
    from PIL import Image  # a bitmap picture: it becomes an image object in the PDF that can be counted
    Image.new("RGB", (40, 30), "#0b5394").save(courses_dir / "getting-started/images/sign.png")
    guide = courses_dir / "getting-started/take-part/teacher-guide.md"
    text = guide.read_text(encoding="utf-8")
    text = text.replace("## ช่องทางที่ใช้ได้", "![ป้ายสีน้ำเงิน](../images/sign.png)\n\n## ช่องทางที่ใช้ได้")
    guide.write_text(text.replace("## Channels you can use", "![A blue sign](../images/sign.png)\n\n## Channels you can use"),
                     encoding="utf-8")
    load_courses(courses_dir)
    for prefix in ("", "/civic"):
        response = client.get(f"{MODULE}/handout.pdf?lang=en", environ_overrides={"SCRIPT_NAME": prefix})
        images = [name for page in PdfReader(io.BytesIO(response.data)).pages
                  for name in page["/Resources"].get("/XObject", {})]
        assert images, f"the picture is missing from the PDF (prefix {prefix!r})"


def test_handouts_are_tagged_for_screen_readers(client, sample):
    reader = PdfReader(io.BytesIO(client.get(f"{MODULE}/handout.pdf?lang=en").data))
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_an_svg_that_could_do_more_than_show_a_picture_is_refused(courses_dir):
    picture = courses_dir / "getting-started/images/take-part.svg"
    for evil, message in (('<script>alert(1)</script>', "<script> is not allowed in a picture"),
                          ('<image href="https://civiclearn.invalid/static/%2Fetc%2Fpasswd"/>',
                           "a picture may not link to 'https://civiclearn.invalid/static/%2Fetc%2Fpasswd'"),
                          ('<rect onclick="x()"/>', 'attribute "onclick" is not allowed in a picture')):
        picture.write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{evil}</svg>', encoding="utf-8")
        assert f"unsafe picture: {message}" in problems_of(courses_dir)
