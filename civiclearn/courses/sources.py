"""Where a course's files come from: a folder on disk, or the snapshot stored when it was loaded.

A course folder is untrusted input: only plain files in real folders are read. A link (symbolic or
hard), a device or pipe, a name with a hidden character and a file over its size limit are refused
(each a checker problem), and `read_file` opens every step below the course folder without following
links, so neither the checker, nor the media view, nor the PDF maker can be led to another file.
"""

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from itertools import islice
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from civiclearn.courses.schema import HIDDEN_CATEGORIES, Course, printable

TEXT_SUFFIXES = (".yml", ".yaml", ".md")
COURSE_FILE = "course.yml"
# Largest file of each kind, in bytes; the shipped courses' largest are 18 KB (YAML) and 12 KB (a page).
# They bound the checker's time: PyYAML reads about 35 KB a second of the densest YAML, and markdown-it-py
# takes time that grows with the square of the length on some made-up input (64 KB: a few seconds).
SIZE_LIMITS = {".yml": 128 * 1024, ".yaml": 128 * 1024, ".md": 64 * 1024}
PICTURE_LIMIT = 5 * 1024 * 1024  # larger pictures are too slow for learners' phones anyway
MAX_FILES = 2000  # files and folders in one course; the largest shipped course has 99 files
COURSE_LIMIT = 50 * 1024 * 1024  # bytes in one course; the largest shipped course has 0.6 MB
TOO_MANY = f"the course folder holds more than {MAX_FILES:,} files and folders: keep only the course in it"
TOO_LARGE = f"the course folder holds more than {COURSE_LIMIT // 1024**2} MB: keep only the course in it"
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)  # url(...) to anything but an id in the file
_NOFOLLOW = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
_FOLDER = _NOFOLLOW | os.O_DIRECTORY


class CourseSource:
    """The files of one course: text files by relative path, a digest of every other file (images), and
    the files refused before reading (links, odd names, too large, not UTF-8, unsafe pictures) with why."""

    def __init__(self, key: str, label: str, files: dict[str, str], media: dict[str, str],
                 folder: Path | None = None, refused: dict[str, str] | None = None):
        self.key = key
        self.folder = folder  # the course folder on disk; images are served from it
        self.label = label  # how paths are shown in problems, e.g. "courses/sample"
        self.files = files
        self.media = dict(sorted(media.items()))  # path -> short digest, which versions image URLs
        self.refused = refused or {}  # path ("" for the course folder itself) -> why it was not read

    def text(self, path: str) -> str | None:
        return self.files.get(path)

    def has_media(self, path: str) -> bool:
        return path in self.media

    def shown(self, path: str) -> str:
        return f"{self.label}/{path}" if path else self.label

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
        """Read every text file of the course folder and a digest of every other file; refuse what is not safe to read."""
        source = cls(printable(folder.name), _label(folder), {}, {}, folder.resolve())
        if folder.is_symlink():
            source.refused[""] = "the course folder is a link (symbolic link): put the folder itself here"
            return source
        total = 0
        for relative, refusal in sorted(_walk(folder)):
            if total > COURSE_LIMIT:
                source.refused[""] = TOO_LARGE
                break
            content = None if refusal else read_file(folder, relative)
            total += len(content or b"")
            source.add(relative, content, refusal)
        return source

    def add(self, path: str, content: bytes | None, refusal: str | None = None) -> None:
        """Keep one file read from the course folder: its text, a picture's digest, or why it was refused."""
        if content is None:
            self.refused[path] = refusal or "file cannot be read"
        elif PurePosixPath(path).suffix in TEXT_SUFFIXES:
            try:
                self.files[path] = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.refused[path] = "file is not UTF-8 text"
        else:
            self.media[path] = media_digest(content)
            unsafe = svg_refusal(content) if path.lower().endswith(".svg") else None
            if unsafe:
                self.refused[path] = f"unsafe picture: {unsafe}"


def media_digest(content: bytes) -> str:
    """The short digest of a picture that versions its URL and proves it is the one that was checked."""
    return hashlib.sha256(content).hexdigest()[:12]


def size_limit(path: str) -> int:
    return SIZE_LIMITS.get(PurePosixPath(path).suffix, PICTURE_LIMIT)


def name_refusal(name: str) -> str | None:
    """Why a file or folder name has no place in a course, or None: a name that looks like another one,
    or that breaks addresses or a problem's line."""
    hidden = next((char for char in name if unicodedata.category(char) in HIDDEN_CATEGORIES), None)
    if hidden is not None:
        return f"the name has a hidden or control character ({printable(hidden)}): rename it"
    if "\\" in name:
        return "the name has a backslash (\\): rename it"
    return None


def read_file(folder: str | Path, relative: str) -> bytes | None:
    """The content of the file at `relative` ("images/a.png") in the course `folder`, or None unless it is
    a plain file (not a link, not a hard link) within its size limit, reached through real folders.

    Every step, the course folder included, is opened without following a link (O_NOFOLLOW), relative to
    the step before, so a link, or a file or folder swapped for one after any check, cannot lead elsewhere.
    """
    parts = relative.split("/")
    if any(not part or part.startswith(".") or name_refusal(part) for part in parts):  # "", ".", "..", hidden
        return None
    limit = size_limit(relative)
    try:
        directory = os.open(folder, _FOLDER)
    except OSError:
        return None
    try:
        for part in parts[:-1]:
            inner = os.open(part, _FOLDER, dir_fd=directory)
            os.close(directory)
            directory = inner
        descriptor = os.open(parts[-1], _NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)  # a pipe must not block
    except OSError:
        return None
    finally:
        os.close(directory)
    with open(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            return None
        content = file.read(limit + 1)
    return content if len(content) <= limit else None


def checked_picture(course: Course | None, path: str) -> bytes | None:
    """A picture of a served course, exactly as checked when the course was loaded, or None: the media view
    and the PDF maker both use this, so neither serves a link, another file, or a picture edited since."""
    return None if course is None else checked_media(course.media_dir, course.media, path)


def checked_media(media_dir: str | Path, media: dict[str, str], path: str) -> bytes | None:
    """The picture at `path` in `media_dir` if `media` (path -> digest, as checked at loading) names it and the
    file is still that plain file; else None."""
    if path not in media:
        return None
    content = read_file(media_dir, path)
    return content if content is not None and media_digest(content) == media[path] else None


def _walk(folder: Path) -> Iterator[tuple[str, str | None]]:
    """Each file under `folder` as (relative path, why it is refused or None), entering real folders only.

    Names starting with a dot are skipped, as before. A refused folder is reported and not entered. After
    MAX_FILES entries the walk stops, reporting the course folder ("") as refused.
    """
    pending, seen = [""], 0
    while pending:
        prefix = pending.pop()
        try:
            with os.scandir(folder / prefix) as listing:
                entries = list(islice(listing, MAX_FILES + 1 - seen))
        except OSError:
            yield prefix.rstrip("/"), "folder cannot be read"
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_FILES:
                yield "", TOO_MANY
                return
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            refusal = name_refusal(entry.name) or _entry_refusal(entry, relative)
            if refusal is None and entry.is_dir(follow_symlinks=False):
                pending.append(relative + "/")
            else:
                yield relative, refusal


def _entry_refusal(entry: os.DirEntry, relative: str) -> str | None:
    """Why a folder entry may not be read as part of a course, or None."""
    if entry.is_symlink():
        return "links (symbolic links) are not allowed in a course: put the file or folder itself here"
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return "file cannot be read"
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "not a plain file (a device, pipe or socket)"
    if info.st_nlink > 1:
        return "the file has another name on this disk (a hard link): copy it into the course folder instead"
    if info.st_size > size_limit(relative):
        return f"file is too large: {_kilobytes(info.st_size)}, at most {_kilobytes(size_limit(relative))} for this kind of file"
    return None


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1024):,} KB"


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
    """The folder as the person running the command would type it (a linked course folder as the link)."""
    folder = folder.parent.resolve() / folder.name
    try:
        return printable(folder.relative_to(Path.cwd()).as_posix())
    except ValueError:
        return printable(folder.as_posix())


def course_folders(root: Path) -> list[Path]:
    """The course folders in `root`, or `root` itself when it is one course."""
    if (root / COURSE_FILE).is_file():
        return [root]
    return sorted(path.parent for path in root.glob(f"*/{COURSE_FILE}"))
