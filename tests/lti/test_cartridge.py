"""Common Cartridge export: the manifest and every link read back as an LMS would, CC 1.1 checked against the IMS
schemas Moodle validates with (tests/lti/schemas/README.md), and a link's URL launched through the test LMS."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from civiclearn.courses.schema import Bilingual, Course, Module
from civiclearn.lti.cartridge import cartridge, filename
from civiclearn.lti.services import module_keys_in

SCHEMAS = Path(__file__).parent / "schemas"
BLTI = "{http://www.imsglobal.org/xsd/imsbasiclti_v1p0}"
LTICM = "{http://www.imsglobal.org/xsd/imslticm_v1p0}"


@dataclass(frozen=True)
class Profile:
    """What the IMS specifications say each flavour's files hold."""

    manifest: str
    lom: str
    schema: str
    version: str
    link: str
    resource_type: str


PROFILES = {
    "1.1": Profile("{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}",
                   "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}", "IMS Common Cartridge", "1.1.0",
                   "{http://www.imsglobal.org/xsd/imslticc_v1p0}", "imsbasiclti_xmlv1p0"),
    "thin-1.3": Profile("{http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1}",
                        "{http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest}", "IMS Thin Common Cartridge", "1.3.0",
                        "{http://www.imsglobal.org/xsd/imslticc_v1p3}", "imsbasiclti_xmlv1p3"),
}


def opened(app, course: Course, language: str, flavour: str) -> zipfile.ZipFile:
    with app.test_request_context():
        return zipfile.ZipFile(io.BytesIO(cartridge(course, language, flavour)))


@dataclass
class Link:
    item_title: str
    title: str
    description: str
    launch_url: str
    secure_launch_url: str | None
    custom: dict[str, str]
    canvas: dict[str, str]


def links_in(archive: zipfile.ZipFile, profile: Profile) -> list[Link]:
    """The organization's items in order, each read from the link file its resource names, as an importer does."""
    manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    cp = profile.manifest
    resources = {resource.get("identifier"): resource for resource in manifest.iter(f"{cp}resource")}
    [folder] = manifest.findall(f"{cp}organizations/{cp}organization/{cp}item/{cp}item")
    links = []
    for item in folder.findall(f"{cp}item"):
        resource = resources[item.get("identifierref")]
        assert resource.get("type") == profile.resource_type
        [file] = resource.findall(f"{cp}file")
        link = ElementTree.fromstring(archive.read(file.get("href")))
        assert link.tag == f"{profile.link}cartridge_basiclti_link"
        links.append(Link(
            item.findtext(f"{cp}title"), link.findtext(f"{BLTI}title"), link.findtext(f"{BLTI}description"),
            link.findtext(f"{BLTI}launch_url"), link.findtext(f"{BLTI}secure_launch_url"),
            properties(link.find(f"{BLTI}custom")),
            properties(link.find(f"{BLTI}extensions[@platform='canvas.instructure.com']"))))
    return links


def properties(element) -> dict[str, str]:
    return {prop.get("name"): prop.text for prop in element.findall(f"{LTICM}property")}


@pytest.mark.parametrize("flavour", ["1.1", "thin-1.3"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_module_is_one_link_in_course_order_titled_in_the_chosen_language(app, sample, flavour, language):
    profile = PROFILES[flavour]
    archive = opened(app, sample, language, flavour)
    manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    cp, lom = profile.manifest, profile.lom
    assert manifest.tag == f"{cp}manifest"
    assert manifest.findtext(f"{cp}metadata/{cp}schema") == profile.schema
    assert manifest.findtext(f"{cp}metadata/{cp}schemaversion") == profile.version
    general = manifest.find(f"{cp}metadata/{lom}lom/{lom}general")
    assert general.find(f"{lom}title/{lom}string").attrib == {"language": language}
    assert general.findtext(f"{lom}title/{lom}string") == sample.title.in_language(language)
    assert general.findtext(f"{lom}description/{lom}string") == sample.summary.in_language(language)
    [folder] = manifest.findall(f"{cp}organizations/{cp}organization/{cp}item/{cp}item")
    assert folder.findtext(f"{cp}title") == sample.title.in_language(language)

    links = links_in(archive, profile)
    assert [link.item_title for link in links] == [module.title.in_language(language) for module in sample.modules]
    assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", *(f"links/{module.key}.xml"
                                                                     for module in sample.modules)])
    with app.app_context():
        opens = [module_keys_in(link.launch_url) for link in links]
    assert opens == [(sample.key, module.key) for module in sample.modules]
    for link, module in zip(links, sample.modules):
        assert (link.title, link.description) == (module.title.in_language(language),
                                                  module.summary.in_language(language))
        assert link.custom == {"module": f"{sample.key}/{module.key}"}
        assert link.canvas == {"domain": "127.0.0.1:5000", "privacy_level": "name_only",
                               "outcome": str(len(module.quiz.questions))}
        assert link.secure_launch_url is None  # the tests' public URL is plain http


@pytest.mark.parametrize("via", ["target", "custom"])
def test_an_imported_link_launched_with_lti_1_3_opens_its_module(app, lms, registered, launch, sample, via):
    """As Moodle launches it (the link's URL as the target; Moodle drops custom parameters on import), and as a
    platform that keeps the custom parameter but launches the tool's own URL."""
    module = sample.modules[1]
    [_first, link] = links_in(opened(app, sample, "th", "1.1"), PROFILES["1.1"])
    if via == "target":
        lms.next.target = link.launch_url
    else:
        lms.next.custom = link.custom
    launched = launch()
    assert launched.landing.headers["Location"] == f"/courses/{sample.key}/{module.key}"


def test_an_https_server_gives_the_secure_launch_url_too(app, sample):
    app.config["PUBLIC_URL"] = "https://civiclearn.example.go.th"
    links = links_in(opened(app, sample, "en", "thin-1.3"), PROFILES["thin-1.3"])
    assert [link.secure_launch_url for link in links] == [link.launch_url for link in links]
    assert links[0].launch_url == f"https://civiclearn.example.go.th/courses/{sample.key}/{sample.modules[0].key}"
    assert links[0].canvas["domain"] == "civiclearn.example.go.th"


def awkward_course() -> Course:
    """Titles an XML writer must escape, in Thai and English; a module without a quiz."""
    def text(th: str, en: str) -> Bilingual:
        return Bilingual(th=th, en=en)
    module = Module(key="1-first", title=text("หน่วย <1> & 'สอง' \"สาม\"", "Unit <1> & 'two' \"three\" ]]>"),
                    summary=text("สรุป & <ย่อ>", "Summary & <more>"), objectives=[], competences=[], lessons=[],
                    quiz=None)
    return Course(key="awkward", title=text("หลักสูตร <ทดสอบ> & อื่น ๆ", "Course <test> & more"),
                  summary=text("ย่อ & สั้น", "Short & <sweet>"), audience=text("ทุกคน", "everyone"),
                  competences=[], pass_mark=60, order=1, modules=[module])


@pytest.mark.parametrize("language", ["th", "en"])
def test_thai_and_characters_xml_reserves_come_back_as_written(app, language):
    course = awkward_course()
    archive = opened(app, course, language, "1.1")
    [link] = links_in(archive, PROFILES["1.1"])
    module = course.modules[0]
    assert link.item_title == link.title == module.title.in_language(language)
    assert link.description == module.summary.in_language(language)
    assert link.canvas == {"domain": "127.0.0.1:5000", "privacy_level": "name_only"}  # no quiz: no grade
    manifest = archive.read("imsmanifest.xml")
    assert manifest.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    if language == "th":  # as UTF-8 text, readable in the file, not as character references
        assert "หลักสูตร".encode() in manifest


@pytest.mark.parametrize("course", ["sample", "awkward"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_cc_1_1_cartridge_is_valid_against_the_ims_schemas(app, sample, course, language):
    """The XSDs Moodle validates an imported CC 1.1 manifest with (and its link files); no CC 1.3 or Thin CC 1.3
    XSDs could be obtained, so that flavour is checked by structure only."""
    etree = pytest.importorskip("lxml.etree")
    schemas = SCHEMAS / "cc-1.1"
    manifest_schema = etree.XMLSchema(etree.parse(str(schemas / "ccv1p1_imscp_v1p2_v1p0.xsd")))
    link_schema = etree.XMLSchema(etree.parse(str(schemas / "imslticc_v1p0p1.xsd")))
    archive = opened(app, sample if course == "sample" else awkward_course(), language, "1.1")
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    assert manifest_schema.validate(manifest), manifest_schema.error_log
    for name in archive.namelist():
        if name != "imsmanifest.xml":
            link = etree.fromstring(archive.read(name))
            assert link_schema.validate(link), (name, link_schema.error_log)
            link.remove(link.find(f"{BLTI}vendor"))
            assert not link_schema.validate(link)  # the schema has teeth: a link must name its vendor


def test_moodle_recognises_a_cc_1_1_manifest_by_its_first_bytes(app, sample):
    """Moodle's importer looks for the CC 1.1 namespace as the default one in the manifest's first 500 bytes."""
    start = opened(app, sample, "th", "1.1").read("imsmanifest.xml")[:500].decode(errors="ignore")
    assert 'xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"' in start


def test_the_same_course_gives_the_same_file_with_a_name_that_says_what_it_is(app, sample):
    with app.test_request_context():
        assert cartridge(sample, "en", "thin-1.3") == cartridge(sample, "en", "thin-1.3")
    assert filename(sample, "en", "thin-1.3") == "getting-started-en-thin-cc-1.3.imscc"
    assert filename(sample, "th", "1.1") == "getting-started-th-cc-1.1.imscc"


@pytest.mark.parametrize(("language", "flavour"), [("fr", "1.1"), ("th", "1.2"), ("en", "thin")])
def test_a_language_or_flavour_we_do_not_make_is_refused(app, sample, language, flavour):
    with app.test_request_context(), pytest.raises(ValueError):
        cartridge(sample, language, flavour)


def test_the_command_writes_a_cartridge(runner, sample, tmp_path):
    written = tmp_path / "course.imscc"
    result = runner.invoke(args=["lti", "cartridge", sample.key, "--language", "en", "--flavour", "thin-1.3",
                                 "-o", str(written)])
    assert result.exit_code == 0, result.output
    links = links_in(zipfile.ZipFile(written), PROFILES["thin-1.3"])
    assert [link.title for link in links] == [module.title.en for module in sample.modules]
    missing = runner.invoke(args=["lti", "cartridge", "no-such-course"])
    assert missing.exit_code == 1 and "no course" in missing.output


def test_staff_download_it_from_the_course_page(client, sample, make_staff, staff_sign_in):
    staff_sign_in(make_staff("admin"))
    page = client.get(f"/courses/{sample.key}").get_data(as_text=True)
    assert f"/lti/courses/{sample.key}/cartridge.imscc" in page
    download = client.get(f"/lti/courses/{sample.key}/cartridge.imscc?language=en&flavour=1.1")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="getting-started-en-cc-1.1.imscc"'
    links = links_in(zipfile.ZipFile(io.BytesIO(download.data)), PROFILES["1.1"])
    assert [link.title for link in links] == [module.title.en for module in sample.modules]
    assert client.get(f"/lti/courses/{sample.key}/cartridge.imscc?flavour=2.0").status_code == 400


def test_learners_see_no_cartridge(client, learner, sample):
    assert "cartridge.imscc" not in client.get(f"/courses/{sample.key}").get_data(as_text=True)
