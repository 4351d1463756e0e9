"""Where a course's files come from: a folder on disk, or the snapshot stored when it was loaded."""

import hashlib
import re
from pathlib import Path
from xml.etree import ElementTree

TEXT_SUFFIXES = (".yml", ".yaml", ".md")
COURSE_FILE = "course.yml"
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)  # url(...) to anything but an id in the file


class CourseSource:
    """The files of one course: text files by relative path, and a digest of every other file (images)."""

    def __init__(self, key: str, label: str, files: dict[str, str], media: dict[str, str],
                 not_utf8: list[str] = (), folder: Path | None = None, unsafe_svg: dict[str, str] | None = None):
        self.key = key
        self.folder = folder  # the course folder on disk; images are served from it
        self.label = label  # how paths are shown in problems, e.g. "courses/sample"
        self.files = files
        self.media = dict(sorted(media.items()))  # path -> short digest, which versions image URLs
        self.not_utf8 = list(not_utf8)  # text files that could not be decoded
        self.unsafe_svg = unsafe_svg or {}  # SVG pictures that could do more than show a picture, and why

    def text(self, path: str) -> str | None:
        return self.files.get(path)

    def has_media(self, path: str) -> bool:
        return path in self.media

    def shown(self, path: str) -> str:
        return f"{self.label}/{path}"

    def content_hash(self) -> str:
        """Changes whenever any file of the course changes; equal hashes mean nothing to load."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(f"{path}\0{self.files[path]}\0".encode())
        for path, media_digest in self.media.items():
            digest.update(f"{path}\0{media_digest}\0".encode())
        return digest.hexdigest()

    def snapshot(self) -> dict:
        """What the database keeps, so the app can serve this version after the files change."""
        return {"files": self.files, "media": self.media}

    @classmethod
    def from_snapshot(cls, key: str, snapshot: dict) -> "CourseSource":
        return cls(key, key, dict(snapshot["files"]), dict(snapshot["media"]))

    @classmethod
    def from_directory(cls, folder: Path) -> "CourseSource":
        """Read every text file of the course folder, and a digest of every other file."""
        files: dict[str, str] = {}
        media: dict[str, str] = {}
        not_utf8: list[str] = []
        unsafe_svg: dict[str, str] = {}
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            relative = path.relative_to(folder).as_posix()
            if path.suffix not in TEXT_SUFFIXES:
                content = path.read_bytes()
                media[relative] = hashlib.sha256(content).hexdigest()[:12]
                refusal = svg_refusal(content) if path.suffix.lower() == ".svg" else None
                if refusal:
                    unsafe_svg[relative] = refusal
                continue
            try:
                files[relative] = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                not_utf8.append(relative)
        return cls(folder.name, _label(folder), files, media, not_utf8, folder.resolve(), unsafe_svg)


def svg_refusal(content: bytes) -> str | None:
    """Why an SVG file could do more than show a picture (a script, an event handler, a link to
    another file or site), or None. Browsers and the PDF maker would otherwise follow such links."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        return f"not a readable SVG file ({error})"
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            return f"<{tag}> is not allowed in a picture"
        if tag == "style" and ("@import" in (element.text or "") or _OUTSIDE_URL.search(element.text or "")):
            return "a <style> in a picture may not load other files"
        for name, value in element.attrib.items():
            attribute = name.rsplit("}", 1)[-1]
            if attribute.startswith("on"):
                return f'attribute "{attribute}" is not allowed in a picture'
            if attribute == "href" and not value.startswith(("#", "data:image/")):
                return f"a picture may not link to {value!r}"
            if _OUTSIDE_URL.search(value):
                return f"a picture may not load {value!r}"
    return None


def _label(folder: Path) -> str:
    """The folder as the person running the command would type it."""
    try:
        return folder.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return folder.as_posix()


def course_folders(root: Path) -> list[Path]:
    """The course folders in `root`, or `root` itself when it is one course."""
    if (root / COURSE_FILE).is_file():
        return [root]
    return sorted(path.parent for path in root.glob(f"*/{COURSE_FILE}"))
