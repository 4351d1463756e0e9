"""Markdown page files (lessons, teacher guides): front matter, then a ::: th and a ::: en section.

The checker looks inside each section (unsafe HTML, title headings, images) and compares the
two: the Thai and English versions of a page must have the same structure.
"""

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from civiclearn.config import LANGUAGES  # the languages of the UI are the languages of content
from civiclearn.courses import markdown
from civiclearn.courses.fields import LANGUAGE_NAMES, FieldReader
from civiclearn.courses.schema import Bilingual, printable
from civiclearn.courses.yamlfile import LineMap

SECTION_OPEN = re.compile(r"^:::\s*([a-zA-Z-]+)\s*$")
SECTION_CLOSE = ":::"
IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})


@dataclass
class Page:
    front: LineMap  # the front matter, lines as in the file
    body: Bilingual  # the Markdown of each section


def read_page(reader: FieldReader, path: str, allowed_fields: set[str]) -> Page | None:
    """Front matter and both sections of the page file at `path`, each checked."""
    lines = reader.source.text(path).splitlines()
    if not lines or lines[0].strip() != "---":
        reader.problem(path, 1, "a page starts with front matter: a line ---, title: with th and en, then ---")
        return None
    end = next((index for index in range(1, len(lines)) if lines[index].strip() == "---"), None)
    if end is None:
        reader.problem(path, 1, "front matter is not closed: add a line --- after it")
        return None
    front = reader.yaml_file(path, line_offset=1, text="\n".join(lines[1:end]))
    if front is None:
        return None
    reader.fields(path, front, allowed_fields)
    body = _sections(reader, path, lines, end + 1)
    return Page(front, body) if body else None


def _sections(reader: FieldReader, path: str, lines: list[str], start: int) -> Bilingual | None:
    """Split a page body into its ::: th and ::: en sections and check each, then the pair."""
    texts: dict[str, str] = {}
    first_lines: dict[str, int] = {}
    outlines: dict[str, list] = {}
    language, first_line, collected = None, 0, []
    for index in range(start, len(lines)):
        line = lines[index]
        opening = SECTION_OPEN.match(line.strip())
        if language is None:
            if opening:
                language, first_line, collected = opening.group(1), index + 1, []
                if language not in LANGUAGES:
                    reader.problem(path, index + 1, f'unknown language section "{language}" (use ::: th or ::: en)')
                elif language in texts:
                    reader.problem(path, index + 1, f"duplicate section: {LANGUAGE_NAMES[language]} appears twice")
            elif line.strip():
                reader.problem(path, index + 1, "text outside a ::: th or ::: en section")
        elif line.strip() == SECTION_CLOSE:
            if language in LANGUAGES and language not in texts:
                texts[language], first_lines[language] = "\n".join(collected), first_line
                outlines[language] = check_markdown(reader, path, first_line, texts[language], language)
            language = None
        else:
            collected.append(line)
    if language is not None:
        reader.problem(path, first_line, f'section "{language}" is not closed: add a line ::: after it')
    for missing in (lang for lang in LANGUAGES if not texts.get(lang, "").strip()):
        reader.problem(path, start + 1, f"missing {LANGUAGE_NAMES[missing]} text: add a ::: {missing} section")
    if not all(texts.get(lang, "").strip() for lang in LANGUAGES):
        return None
    _compare_structure(reader, path, outlines, first_lines)
    return Bilingual(**texts)


def check_markdown(reader: FieldReader, path: str, first_line: int, text: str, language: str) -> list:
    """Report unsafe HTML, title headings and images that are missing or lack alt text; return the outline."""
    found = markdown.inspect(text)
    for line, refusal in found.unsafe_html:
        reader.problem(path, first_line + line + 1, f"unsafe HTML: {refusal}")
    for line in found.title_headings:
        reader.problem(path, first_line + line + 1, "a level-1 heading (#) would repeat the page title; use ## and below")
    for image in found.images:
        line = first_line + image.line + 1
        if not image.alt:
            reader.problem(path, line, f"image {image.src} has no {LANGUAGE_NAMES[language]} alt text: describe it in ![...]")
        check_image(reader, path, line, image.src)
    return found.outline


def check_image(reader: FieldReader, path: str, line: int, src) -> str | None:
    """The course-relative path of a picture a page shows, if it is a picture file in the course."""
    target = image_path(path, src) if isinstance(src, str) else None
    if target is None:
        reader.problem(path, line, f"image {src} must be a file in the course folder, not a web address or a path outside it")
    elif posixpath.splitext(target)[1].lower() not in IMAGE_SUFFIXES:
        reader.problem(path, line, f"image {src} is not a picture file ({', '.join(sorted(IMAGE_SUFFIXES))})")
    elif not reader.source.has_media(target):
        reader.problem(path, line, f"missing image: {src} (looked for {reader.source.shown(target)})")
    else:
        reader.used_media.add(target)
        return target
    return None


def _compare_structure(reader: FieldReader, path: str, outlines: dict[str, list], first_lines: dict[str, int]) -> None:
    """Report the first place where the Thai and English sections stop having the same parts."""
    thai, english = (outlines[lang] for lang in LANGUAGES)
    for index in range(max(len(thai), len(english))):
        th_part = thai[index] if index < len(thai) else None
        en_part = english[index] if index < len(english) else None
        if th_part is None or en_part is None or th_part.kind != en_part.kind:
            where_th = f"{th_part.kind} (line {first_lines['th'] + th_part.line + 1})" if th_part else "nothing more"
            where_en = f"{en_part.kind} (line {first_lines['en'] + en_part.line + 1})" if en_part else "nothing more"
            line = first_lines["th"] + th_part.line + 1 if th_part else first_lines["en"] + en_part.line + 1
            reader.problem(path, line, f"Thai and English differ in structure: Thai has {where_th} where English has {where_en}")
            return


def image_path(page_path: str, src: str) -> str | None:
    """The course-relative path of an image written in a page, or None if it points outside the course."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path or src.startswith("/"):
        return None
    written = unquote(parts.path)  # Markdown percent-encodes spaces and Thai letters in paths
    if printable(written) != written:  # %00, %0A, a right-to-left mark...: no course file has such a name
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), written))
    return None if resolved.startswith("../") or resolved == ".." else resolved
