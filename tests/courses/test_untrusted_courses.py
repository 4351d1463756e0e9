"""A malicious or broken course package: it may neither read the server's files nor stop other courses.

Links and path tricks are checker problems, and pictures are served (and put into PDFs) only from plain
files inside the course folder, exactly as checked. Input that makes a parser fail is a path:line
problem, not a traceback. One bad course never keeps the others from loading.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from civiclearn.courses import markdown, sources, yamlfile
from civiclearn.courses.store import catalogue, check_courses
from civiclearn.pdf import resources_for
from civiclearn.pdf_engine import ORIGIN, LocalFetcher
from tests.courses.test_reader import LESSON, edit, problems

PICTURE = "images/language-switch.svg"  # shown by LESSON only, in both languages
PICTURE_URL = f"/courses/getting-started/media/{PICTURE}"
SECRET = "root:x:0:0:the server's own file"
PROBLEM_LINE = re.compile(r"^\S+:\d+: .+$")


@pytest.fixture
def server_file(tmp_path) -> Path:
    """A file outside every course folder that stands for /etc/passwd."""
    path = tmp_path / "server-secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def show_picture(course: Path, name: str) -> None:
    """Make LESSON show images/<name> instead of PICTURE, in both languages."""
    (course / PICTURE).unlink()
    edit(course, LESSON, "../images/language-switch.svg", f"../images/{name}", count=2)


# Links and path tricks are checker problems

def test_a_link_to_a_server_file_is_a_problem_and_is_not_read(course, server_file):
    show_picture(course, "secret.png")
    (course / "images/secret.png").symlink_to(server_file)
    source = sources.CourseSource.from_directory(course)
    assert "images/secret.png" not in source.media
    assert "images/secret.png:1: links (symbolic links) are not allowed in a course: put the file or folder itself here" in problems(course)


def test_a_linked_folder_in_a_course_is_a_problem(course, tmp_path):
    shutil.move(course / "images", tmp_path / "images")
    (course / "images").symlink_to(tmp_path / "images", target_is_directory=True)
    assert "images:1: links (symbolic links) are not allowed in a course: put the file or folder itself here" in problems(course)


def test_a_linked_course_yml_is_reported_as_a_link_only(course, tmp_path):
    shutil.move(course / "course.yml", tmp_path / "course.yml")
    (course / "course.yml").symlink_to(tmp_path / "course.yml")
    assert problems(course) == ["course.yml:1: links (symbolic links) are not allowed in a course: put the file or folder itself here"]


def test_a_linked_course_folder_is_a_problem(courses_dir, tmp_path):
    shutil.move(courses_dir / "getting-started", tmp_path / "elsewhere")
    (courses_dir / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    [(source, course, found)] = check_courses(courses_dir)
    assert course is None and source.label.endswith("courses/linked")
    assert [str(problem) for problem in found] == [f"{source.label}:1: the course folder is a link (symbolic link): put the folder itself here"]


def test_a_hard_link_is_a_problem_because_its_other_name_may_be_a_server_file(course, server_file):
    show_picture(course, "secret.png")
    os.link(server_file, course / "images/secret.png")
    assert ("images/secret.png:1: the file has another name on this disk (a hard link): copy it into the course folder instead"
            in problems(course))


def test_a_pipe_is_a_problem_and_does_not_hang_the_checker(course):
    os.mkfifo(course / "images/pipe.png")
    assert "images/pipe.png:1: not a plain file (a device, pipe or socket)" in problems(course)


@pytest.mark.parametrize(("name", "shown"), [
    ("bell\x07.svg", "images/bell\\x07.svg"),
    ("new\nline.svg", "images/new\\x0aline.svg"),
    ("gnp.\u202esvg", "images/gnp.\\u202esvg"),  # shows as "gnp.gvs": right-to-left
    (os.fsdecode(b"not-utf8-\xff.svg"), "images/not-utf8-\\xff.svg"),
    ("back\\slash.svg", "images/back\\slash.svg"),
])
def test_a_file_name_with_a_hidden_character_is_a_problem_printed_on_one_line(course, name, shown):
    (course / "images" / name).write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    found = [line for line in problems(course) if line.startswith(shown)]
    assert len(found) == 1 and "rename it" in found[0]
    assert PROBLEM_LINE.match(found[0]) and found[0].isprintable()


@pytest.mark.parametrize("src", ["/etc/passwd", "//example.com/x.png", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "../images/language-switch.svg%00.png", "../images/%E2%80%AEgvs.png"])
def test_an_image_path_outside_the_course_or_with_hidden_characters_is_a_problem(course, src):
    line = edit(course, LESSON, "(../images/language-switch.svg)", f"({src})")
    assert f"{LESSON}:{line}: image {src} must be a file in the course folder, not a web address or a path outside it" in problems(course)


def test_a_course_folder_with_thousands_of_files_is_a_problem(course):
    for number in range(sources.MAX_FILES):
        (course / f"images/copy-{number}.txt").touch()
    assert problems(course)[0].endswith("getting-started:1: the course folder holds more than 2,000 files and folders: keep only the course in it")


def test_a_course_folder_of_more_than_50_mb_is_a_problem(course):
    for number in range(sources.COURSE_LIMIT // sources.PICTURE_LIMIT + 1):
        with open(course / f"images/big-{number}.png", "wb") as file:
            file.truncate(sources.PICTURE_LIMIT)  # sparse: nothing is written
    assert problems(course)[0].endswith("getting-started:1: the course folder holds more than 50 MB: keep only the course in it")


# Pictures are served, and put into PDFs, only from plain files inside the course folder, as checked

def test_a_linked_server_file_is_never_served(app, client, courses_dir, load_courses, server_file):
    course = courses_dir / "getting-started"
    show_picture(course, "secret.png")
    (course / "images/secret.png").symlink_to(server_file)
    assert [result.status for result in load_courses(courses_dir)] == ["not loaded"]
    response = client.get("/courses/getting-started/media/images/secret.png")
    assert response.status_code == 404 and SECRET not in response.get_data(as_text=True)


def swap_picture_for_a_link(course: Path, outside: Path) -> None:
    shutil.copy(course / PICTURE, outside / "copy.svg")  # the same bytes: only the link is wrong
    (course / PICTURE).unlink()
    (course / PICTURE).symlink_to(outside / "copy.svg")


def swap_folder_for_a_link(course: Path, outside: Path) -> None:
    shutil.move(course / "images", outside / "images")
    (course / "images").symlink_to(outside / "images", target_is_directory=True)


def swap_picture_for_a_hard_link(course: Path, outside: Path) -> None:
    shutil.move(course / PICTURE, outside / "copy.svg")
    os.link(outside / "copy.svg", course / PICTURE)


def swap_course_folder_for_a_link(course: Path, outside: Path) -> None:
    shutil.move(course, outside / "course")
    course.symlink_to(outside / "course", target_is_directory=True)


def edit_picture(course: Path, _outside: Path) -> None:
    (course / PICTURE).write_text("<svg xmlns='http://www.w3.org/2000/svg'><script>steal()</script></svg>")


@pytest.mark.parametrize("swap", [swap_picture_for_a_link, swap_folder_for_a_link, swap_picture_for_a_hard_link,
                                  swap_course_folder_for_a_link, edit_picture])
def test_a_picture_changed_on_disk_after_loading_is_neither_served_nor_printed(app, client, courses_dir, load_courses,
                                                                             tmp_path, swap):
    """Defence in depth: the database still names the picture, but the file is no longer the plain file checked."""
    load_courses(courses_dir)
    with app.test_request_context():
        fetcher = LocalFetcher(resources_for(f'<img src="{PICTURE_URL}">'))
    assert fetcher.fetch(f"{ORIGIN}{PICTURE_URL}").status == 200
    assert client.get(PICTURE_URL).status_code == 200
    swap(courses_dir / "getting-started", tmp_path)
    assert client.get(PICTURE_URL).status_code == 404
    with pytest.raises(ValueError):
        fetcher.fetch(f"{ORIGIN}{PICTURE_URL}")


def test_an_edited_picture_is_served_again_once_loaded(client, courses_dir, load_courses):
    load_courses(courses_dir)
    picture = courses_dir / "getting-started" / PICTURE
    picture.write_text(picture.read_text().replace("#083d6d", "#000000"))
    assert client.get(PICTURE_URL).status_code == 404
    assert [result.status for result in load_courses(courses_dir)] == ["loaded"]
    response = client.get(PICTURE_URL)
    assert response.status_code == 200 and b"#000000" in response.data and response.mimetype == "image/svg+xml"


@pytest.mark.parametrize("path", ["images/../images/language-switch.svg", "images//language-switch.svg",
                                  "./images/language-switch.svg", "/images/language-switch.svg"])
def test_the_picture_reader_takes_no_detour(course, path):
    assert sources.read_file(course, PICTURE) is not None
    assert sources.read_file(course, path) is None


# Input that makes a parser fail is a path:line problem, not a traceback

def add_to_course_yml(course: Path, lines: str) -> int:
    """Add `lines` to course.yml; return the line of the first."""
    return edit(course, "course.yml", "pass_mark: 60\n", f"{lines}\npass_mark: 60\n")


def test_yaml_nested_thousands_deep_is_a_problem(course):
    line = add_to_course_yml(course, "deep: " + "[" * 5000 + "]" * 5000)
    assert problems(course) == [f"course.yml:{line}: nested more than {yamlfile.MAX_DEPTH} levels deep"]


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, ":".join(["59"] * 3000)])
def test_a_number_of_thousands_of_digits_is_a_problem(course, number):
    line = edit(course, "course.yml", "pass_mark: 60", f"pass_mark: {number}")
    assert problems(course) == [f"course.yml:{line}: {number[:8] + '...' + number[-8:]!r} is too long for a whole number: "
                                "put it in quotes if it is a text"]


def test_a_date_that_does_not_exist_is_a_problem(course):
    line = add_to_course_yml(course, "when: 2024-13-45")
    assert problems(course) == [f"course.yml:{line}: '2024-13-45' is not a real date (write YYYY-MM-DD): put it in quotes if it is a text"]


def test_a_yaml_alias_bomb_is_a_problem(course):
    laughs = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"lol{level}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 9)}]\n" for level in range(9))
    line = add_to_course_yml(course, laughs)
    assert problems(course) == [f"course.yml:{line + 1}: aliases (*a) are not allowed in course files: write the value out"]


def test_a_list_as_a_key_is_a_problem(course):
    line = add_to_course_yml(course, "? [a, b]\n: c")
    assert problems(course) == [f"course.yml:{line}: a key must be a single word or text, not a list or a mapping"]


def test_a_control_character_in_yaml_is_a_problem_with_its_line(course):
    line = add_to_course_yml(course, "note: bell\x07")
    assert problems(course) == [f"course.yml:{line}: YAML syntax error: character U+0007 is not allowed in a YAML file"]


def test_a_binary_file_is_a_problem(course):
    (course / "course.yml").write_bytes(bytes(range(256)) * 4)
    assert problems(course) == ["course.yml:1: file is not UTF-8 text"]


@pytest.mark.parametrize(("path", "limit"), [("course.yml", "128 KB"), (LESSON, "64 KB"), ("images/big.png", "5,120 KB")])
def test_a_file_over_its_size_limit_is_a_problem(course, path, limit):
    with open(course / path, "ab") as file:
        file.truncate(sources.size_limit(path) + 1)  # sparse: nothing is written
    found = [line for line in problems(course) if line.startswith(f"{path}:1: file is too large")]
    assert found and found[0].endswith(f"at most {limit} for this kind of file")


def test_an_unreadable_html_declaration_in_a_lesson_is_a_problem(course):
    line = edit(course, LESSON, "## ไปบทต่อไป\n", "<dl>\n<![<![x\n\n## ไปบทต่อไป\n")
    assert problems(course) == [f"{LESSON}:{line}: unsafe HTML: <!...> and <?...> declarations are not allowed"]


def test_raw_html_too_long_for_the_checker_is_a_problem(course):
    unclosed = "<dl " + "title='x' " * markdown.MAX_RAW_HTML  # html.parser would take minutes over it
    line = edit(course, LESSON, "## ไปบทต่อไป\n", f"{unclosed}\n\n## ไปบทต่อไป\n")
    assert problems(course) == [f"{LESSON}:{line}: unsafe HTML: one piece of raw HTML may have at most "
                                f"{markdown.MAX_RAW_HTML} characters: use Markdown, or leave an empty line between the parts"]


@pytest.mark.parametrize("text", ["> " * 5000 + "deep", "".join("  " * level + "- item\n" for level in range(150)),
                                  "[" * 20000, "*a " * 10000, "<!--" * 10000])
def test_pathological_markdown_reads_without_a_traceback(course, text):
    lesson = (course / LESSON).read_text(encoding="utf-8")
    (course / LESSON).write_text(lesson.replace("## ไปบทต่อไป\n", f"{text}\n\n## ไปบทต่อไป\n", 1), encoding="utf-8")
    assert all(PROBLEM_LINE.match(line) for line in problems(course))


def test_a_title_too_long_for_the_database_is_a_problem(course):
    line = edit(course, "course.yml", "  en: Getting started with CivicLearn", "  en: " + "Long " * 61)
    assert problems(course) == [f"course.yml:{line - 2}: title is longer than 300 characters: shorten it"]


# One bad course never keeps the others from loading

@pytest.fixture
def three_courses(courses_dir) -> Path:
    """Two good courses and one with a problem (a link to a server file), side by side."""
    shutil.copytree(courses_dir / "getting-started", courses_dir / "second-good")
    bad = courses_dir / "bad-links"
    shutil.copytree(courses_dir / "getting-started", bad)
    show_picture(bad, "secret.png")
    (bad / "images/secret.png").symlink_to("/etc/passwd")
    return courses_dir


def test_load_loads_every_good_course_and_reports_the_bad_one(app, runner, three_courses):
    result = runner.invoke(args=["courses", "load", str(three_courses)])
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "bad-links/images/secret.png:1: links" in line]
    assert all(PROBLEM_LINE.match(line) for line in result.stdout.splitlines())
    for status in ("bad-links: not loaded", "getting-started: loaded (version 1)", "second-good: loaded (version 1)"):
        assert status in result.stderr
    with app.test_request_context():
        assert [course.key for course in catalogue().courses] == ["getting-started", "second-good"]


def test_check_reports_the_bad_course_by_name(runner, three_courses):
    result = runner.invoke(args=["courses", "check", str(three_courses)])
    assert result.exit_code == 1
    assert "3 course(s) checked, 3 problem(s). Not loadable: bad-links." in result.stderr


def test_a_course_the_checker_fails_on_is_its_problem_alone(app, runner, three_courses, monkeypatch, caplog):
    from civiclearn.courses import store
    real = store.read_course

    def failing_on_one(source):
        if source.key == "second-good":
            raise RecursionError("a parser bug no limit foresaw")
        return real(source)
    monkeypatch.setattr(store, "read_course", failing_on_one)
    result = runner.invoke(args=["courses", "load", str(three_courses)])
    assert result.exit_code == 1
    assert re.search(r"second-good/course.yml:1: the checker failed on this course \(RecursionError\)", result.stdout)
    assert "getting-started: loaded (version 1)" in result.stderr and "second-good: not loaded" in result.stderr
    assert "a parser bug no limit foresaw" in caplog.text  # the operator's log has the trace


def test_a_course_whose_entry_course_has_problems_is_reported_and_the_others_load(app, runner, courses_dir):
    leader = courses_dir / "leader"
    shutil.copytree(courses_dir / "getting-started", leader)
    entry = courses_dir / "entry"
    shutil.copytree(courses_dir / "getting-started", entry)
    edit(entry, "course.yml", "  en: Getting started with CivicLearn\n", "")
    line = edit(leader, "course.yml", "order: 10\n", "order: 11\nleader_pathway:\n"
                "  entry: {course: entry, modules: [how-it-works], min_score: 80}\n"
                "  practicum: {sessions: 3, mentees: 10, mentee_modules: [take-part], description: {th: ฝึกงาน, en: Practicum}}\n") + 1
    result = runner.invoke(args=["courses", "load", str(courses_dir)])
    assert result.exit_code == 1
    assert (f'leader/course.yml:{line}: leader pathway entry course "entry" has problems (listed with its files), '
            "so this course cannot be checked against it: fix that course first") in result.stdout
    assert "leader: not loaded" in result.stderr and "getting-started: loaded (version 1)" in result.stderr
