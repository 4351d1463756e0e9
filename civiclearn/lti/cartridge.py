"""A course as an IMS Common Cartridge (.imscc) of LTI links, one per module, for an LMS to import: CC 1.1 for
Moodle and Blackboard, Thin CC 1.3 for Canvas.

Each link launches the module's own page (learning.module), as launch_url and, on an https server,
secure_launch_url. An LMS that imports a cartridge keeps the link's URL and, once CivicLearn is registered with
it as an LTI 1.3 tool, launches that URL as the target_link_uri with the tool whose domain matches; the launch
then opens the module (services.module_of). The tool's launch URL with a custom parameter would not do: Moodle
imports only blti:launch_url and drops blti:custom. The custom parameter `module` ("course/module") still goes
in the link, as in our deep links, for the LMSs that keep it (Canvas). Canvas's extension names our domain (its
import then gathers the links under one tool for that domain, not one each) and gives a module with a quiz a
gradebook column worth its questions.
"""

import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from flask import current_app

from civiclearn.courses.schema import Course, Module
from civiclearn.lti.configuration import DESCRIPTION, TOOL_NAME, tool_values
from civiclearn.lti.services import module_url

XSI = "http://www.w3.org/2001/XMLSchema-instance"
BLTI = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
LTICM = "http://www.imsglobal.org/xsd/imslticm_v1p0"
LTICP = "http://www.imsglobal.org/xsd/imslticp_v1p0"
LTI_LOCATIONS = ((BLTI, "http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd"),
                 (LTICM, "http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticm_v1p0.xsd"),
                 (LTICP, "http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticp_v1p0.xsd"))
CANVAS = "canvas.instructure.com"
VENDOR_CODE = "civiclearn"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same course gives the same bytes


@dataclass(frozen=True)
class Flavour:
    """What differs between the cartridge versions: namespaces, schema locations, the manifest's schema and
    version, the resource type of an LTI link."""

    label: str  # in file names
    manifest: str  # the Content Packaging profile: the manifest's default namespace
    manifest_xsd: str
    lom: str  # the manifest's metadata (IEEE LOM, CC profile)
    lom_xsd: str
    schema: str
    schema_version: str
    link: str  # an LTI link file's default namespace
    link_xsd: str
    link_type: str


FLAVOURS = {
    "1.1": Flavour(
        label="cc-1.1",
        manifest="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
        manifest_xsd="http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
        lom="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest",
        lom_xsd="http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
        schema="IMS Common Cartridge", schema_version="1.1.0",
        link="http://www.imsglobal.org/xsd/imslticc_v1p0",
        link_xsd="http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticc_v1p0.xsd",
        link_type="imsbasiclti_xmlv1p0"),
    "thin-1.3": Flavour(
        label="thin-cc-1.3",
        manifest="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1",
        manifest_xsd="http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd",
        lom="http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest",
        lom_xsd="http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd",
        schema="IMS Thin Common Cartridge", schema_version="1.3.0",
        link="http://www.imsglobal.org/xsd/imslticc_v1p3",
        link_xsd="http://www.imsglobal.org/xsd/lti/ltiv1p3/imslticc_v1p3.xsd",
        link_type="imsbasiclti_xmlv1p3"),
}


def cartridge(course: Course, language: str, flavour: str) -> bytes:
    """The course as a .imscc file: its manifest and one LTI link file per module, titled in `language`.
    Needs a request context (for our URLs: an app's test_request_context() from the command line)."""
    if language not in current_app.config["LANGUAGES"]:
        raise ValueError(f"no language {language!r}")
    if flavour not in FLAVOURS:
        raise ValueError(f"no cartridge flavour {flavour!r} (choose from {', '.join(FLAVOURS)})")
    version = FLAVOURS[flavour]
    files = {"imsmanifest.xml": _xml(manifest(course, language, version))}
    for module in course.modules:
        files[link_path(module)] = _xml(lti_link(module, language, version))
    return _zip(files)


def filename(course: Course, language: str, flavour: str) -> str:
    return f"{course.key}-{language}-{FLAVOURS[flavour].label}.imscc"


def link_path(module: Module) -> str:
    return f"links/{module.key}.xml"


def manifest(course: Course, language: str, version: Flavour) -> ElementTree.Element:
    """imsmanifest.xml: the course's title and summary, an organization with the course as one folder of its
    modules in order, and a resource per module's link."""
    root = ElementTree.Element("manifest", {
        "xmlns": version.manifest, "xmlns:lomimscc": version.lom, "xmlns:xsi": XSI,
        "identifier": f"civiclearn-{course.key}",
        "xsi:schemaLocation": _locations((version.manifest, version.manifest_xsd), (version.lom, version.lom_xsd))})
    root.append(metadata(course, language, version))
    organization = _add(_add(root, "organizations"), "organization",
                        {"identifier": "organization", "structure": "rooted-hierarchy"})
    folder = _add(_add(organization, "item", {"identifier": "root"}), "item", {"identifier": "course"})
    _add(folder, "title", text=course.title.in_language(language))
    resources = _add(root, "resources")
    for module in course.modules:
        item = _add(folder, "item", {"identifier": f"item-{module.key}", "identifierref": f"link-{module.key}"})
        _add(item, "title", text=module.title.in_language(language))
        resource = _add(resources, "resource", {"identifier": f"link-{module.key}", "type": version.link_type})
        _add(resource, "file", {"href": link_path(module)})
    return root


def metadata(course: Course, language: str, version: Flavour) -> ElementTree.Element:
    """The manifest's metadata: the cartridge's profile and version, and the course in LOM."""
    element = ElementTree.Element("metadata")
    _add(element, "schema", text=version.schema)
    _add(element, "schemaversion", text=version.schema_version)
    general = _add(_add(element, "lomimscc:lom"), "lomimscc:general")
    _add(_add(general, "lomimscc:title"), "lomimscc:string", {"language": language},
         course.title.in_language(language))
    _add(general, "lomimscc:language", text=language)
    _add(_add(general, "lomimscc:description"), "lomimscc:string", {"language": language},
         course.summary.in_language(language))
    return element


def lti_link(module: Module, language: str, version: Flavour) -> ElementTree.Element:
    """A module's LTI link (cartridge_basiclti_link), its elements in the order the IMS schema requires."""
    url = module_url(module)
    root = ElementTree.Element("cartridge_basiclti_link", {
        "xmlns": version.link, "xmlns:blti": BLTI, "xmlns:lticm": LTICM, "xmlns:lticp": LTICP, "xmlns:xsi": XSI,
        "xsi:schemaLocation": _locations((version.link, version.link_xsd), *LTI_LOCATIONS)})
    _add(root, "blti:title", text=module.title.in_language(language))
    _add(root, "blti:description", text=module.summary.in_language(language))
    custom = _add(root, "blti:custom")
    _add(custom, "lticm:property", {"name": "module"}, f"{module.course.key}/{module.key}")
    canvas = _add(root, "blti:extensions", {"platform": CANVAS})
    for name, value in canvas_properties(module).items():
        _add(canvas, "lticm:property", {"name": name}, value)
    _add(root, "blti:launch_url", text=url)
    if url.startswith("https://"):
        _add(root, "blti:secure_launch_url", text=url)
    vendor = _add(root, "blti:vendor")
    _add(vendor, "lticp:code", text=VENDOR_CODE)
    _add(vendor, "lticp:name", text=TOOL_NAME)
    _add(vendor, "lticp:description", text=DESCRIPTION)
    _add(vendor, "lticp:url", text=current_app.config["PUBLIC_URL"])
    return root


def canvas_properties(module: Module) -> dict[str, str]:
    """Canvas's import: our domain (its links share one tool); privacy as our tool configuration asks; a graded
    assignment out of the quiz's questions, as deep linking's gradebook column."""
    properties = {"domain": tool_values().domain, "privacy_level": "name_only"}
    if module.quiz and module.quiz.questions:
        properties["outcome"] = str(len(module.quiz.questions))
    return properties


def _locations(*pairs: tuple[str, str]) -> str:
    return " ".join(f"{namespace} {location}" for namespace, location in pairs)


def _add(parent: ElementTree.Element, tag: str, attributes: dict | None = None,
         text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes or {})
    element.text = text
    return element


def _xml(root: ElementTree.Element) -> bytes:
    """UTF-8 XML, written with the names and namespace declarations as built: Moodle recognises a CC 1.1 manifest
    by `xmlns="…imsccv1p1/imscp_v1p1"` in its first bytes, Canvas looks for the link's root unprefixed, and
    ElementTree's own namespace handling would give generated prefixes or refuse unqualified attributes."""
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
