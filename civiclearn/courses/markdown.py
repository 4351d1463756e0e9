"""Lesson Markdown: what the checker looks at (images, raw HTML, headings) and safe rendering.

Authors may use a small set of harmless HTML tags in lessons (<kbd>, <abbr title>, <details>...).
The checker reports anything else as unsafe HTML; rendering sanitises with nh3 all the same,
so a file that skipped the checker still cannot put script into a page.

Raw HTML is read with html.parser, which takes time growing with the square of the length of an
unclosed tag or comment (before Python 3.11.13) and raises AssertionError on some <!...> declarations:
so one piece of raw HTML is at most MAX_RAW_HTML characters, and declarations are refused.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

# Raw HTML an author may write; Markdown itself produces the rest of RENDERED_TAGS.
RAW_HTML_TAGS = frozenset({
    "abbr", "br", "dd", "del", "details", "dl", "dt", "kbd", "mark", "q", "s", "small", "sub",
    "summary", "sup",
})
RAW_HTML_ATTRIBUTES = {"abbr": frozenset({"title"}), "*": frozenset({"lang"})}
MAX_RAW_HTML = 2000  # characters in one piece of raw HTML; the shipped lessons' longest has 322
_DECLARATION = "<!...> and <?...> declarations are not allowed"

RENDERED_TAGS = RAW_HTML_TAGS | {
    "a", "blockquote", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
RENDERED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "loading", "decoding"},
    "ol": {"start"},
    "table": {"tabindex"},
    **{heading: {"id"} for heading in HEADINGS},
    "*": {"lang"},
}
# A heading's id is its place among the page's headings: the checker makes both languages have the same
# headings in the same order, so "section-3" is the same part of a lesson in Thai and in English (the
# language switch comes back to it). Only ids of that form, which rendering itself gives, are kept.
SECTION_ID = re.compile(r"section-[1-9][0-9]{0,3}")

_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _keep_attribute(_tag: str, name: str, value: str) -> str | None:
    if name == "id" and not SECTION_ID.fullmatch(value):
        return None
    return None if name == "tabindex" and value != "0" else value


_cleaner = nh3.Cleaner(
    tags=set(RENDERED_TAGS),
    attributes=RENDERED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
)


@dataclass(frozen=True)
class Image:
    line: int  # 0-based, within the Markdown text
    src: str
    alt: str


@dataclass
class Inspection:
    """What the checker needs to know about one Markdown text."""

    images: list[Image] = field(default_factory=list)
    unsafe_html: list[tuple[int, str]] = field(default_factory=list)
    title_headings: list[int] = field(default_factory=list)  # lines of level-1 headings
    outline: list["Part"] = field(default_factory=list)  # see structure()


class _RawHtmlChecker(HTMLParser):
    """Collects every tag or attribute in a piece of raw HTML that lessons may not use."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refusals: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in RAW_HTML_TAGS:
            self.refusals.append(f"<{tag}> is not allowed")
            return
        allowed = RAW_HTML_ATTRIBUTES.get(tag, frozenset()) | RAW_HTML_ATTRIBUTES["*"]
        for name, _value in attrs:
            if name not in allowed:
                self.refusals.append(f'attribute "{name}" on <{tag}> is not allowed')

    handle_startendtag = handle_starttag

    def handle_decl(self, _declaration: str) -> None:
        self.refusals.append(_DECLARATION)

    handle_pi = unknown_decl = handle_decl


def _refusals(html: str) -> list[str]:
    if len(html) > MAX_RAW_HTML:
        return [f"one piece of raw HTML may have at most {MAX_RAW_HTML} characters: use Markdown, "
                "or leave an empty line between the parts"]
    checker = _RawHtmlChecker()
    try:
        checker.feed(html)
        checker.close()
    except AssertionError:  # html.parser's way of saying it cannot read a <!...> declaration
        return [_DECLARATION]
    return checker.refusals


def _inline_children(tokens: list[Token]) -> Iterator[tuple[int, Token]]:
    """Each inline token with the 0-based line it sits on (counting line breaks inside paragraphs)."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            yield line, child
            if child.type != "image":  # raw HTML and text may span lines
                line += child.content.count("\n")


def inspect(text: str) -> Inspection:
    """Find the images, unsafe HTML and level-1 headings in a lesson's Markdown."""
    found = Inspection()
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type == "html_block":
            found.unsafe_html.extend((token.map[0], refusal) for refusal in _refusals(token.content))
        elif token.type == "heading_open" and token.tag == "h1":
            found.title_headings.append(token.map[0])
    for line, child in _inline_children(tokens):
        if child.type == "image":
            found.images.append(Image(line, child.attrs.get("src", ""), child.content.strip()))
        elif child.type == "html_inline":
            found.unsafe_html.extend((line, refusal) for refusal in _refusals(child.content))
    found.outline = _outline(tokens, found.images)
    return found


@dataclass(frozen=True)
class Part:
    kind: str  # "heading 2", "list", "numbered list", "table", "quote", "image", "details"...
    line: int  # 0-based, within the Markdown text


_BLOCK_KINDS = {"bullet_list_open": "list", "ordered_list_open": "numbered list", "table_open": "table",
                "blockquote_open": "quote", "hr": "line", "fence": "code", "code_block": "code"}


def _outline(tokens: list[Token], images: list[Image]) -> list[Part]:
    """The outline of a text, for comparing languages: headings, lists, tables, quotes, images, details.

    Paragraphs are left out, since a translation may well split or join them.
    """
    parts = []
    for token in tokens:
        if token.type == "heading_open":
            parts.append(Part(f"heading {token.tag[1]}", token.map[0]))
        elif token.type in _BLOCK_KINDS and token.level == 0:
            parts.append(Part(_BLOCK_KINDS[token.type], token.map[0] if token.map else 0))
        elif token.type == "html_block" and "<details" in token.content:
            parts.append(Part("details", token.map[0]))
    parts += [Part("image", image.line) for image in images]
    return sorted(parts, key=lambda part: part.line)


def render(text: str, image_url: Callable[[str], str]) -> Markup:
    """Markdown to sanitised HTML; `image_url` turns an image path as written into its URL."""
    tokens = _markdown.parse(text)
    headings = (token for token in tokens if token.type == "heading_open")
    for number, heading in enumerate(headings, start=1):
        heading.attrSet("id", f"section-{number}")
    for table in (token for token in tokens if token.type == "table_open"):
        table.attrSet("tabindex", "0")  # a table wider than a phone scrolls within itself: keyboards must reach it
    for _line, child in _inline_children(tokens):
        if child.type == "image":
            child.attrs["src"] = image_url(str(child.attrs.get("src", "")))
            child.attrs["loading"] = "lazy"
            child.attrs["decoding"] = "async"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(_cleaner.clean(html))  # noqa: S704 - cleaned by nh3 just now
