"""YAML that remembers where things are, so a course problem can be reported as path:line.

Course files are untrusted, so the loader refuses what could make it (or any code walking what it
returns) run out of stack, time or memory: nesting deeper than MAX_DEPTH, and aliases (*name), which
let a few lines stand for billions of values. A value Python cannot build (a date that does not exist,
a number of thousands of digits) and a key that is a list or mapping are problems with their line.
File sizes are limited before parsing (civiclearn.courses.sources.SIZE_LIMITS).
"""

from collections.abc import Hashable

import yaml

MAX_DEPTH = 20  # levels of nesting; the shipped courses need 7
MAX_NUMBER_LENGTH = 20  # characters of a whole number: more would not fit the database, and
#                         Python refuses to turn one of over 4,300 digits into text or back
_INT_TAG = "tag:yaml.org,2002:int"
_CANNOT_BUILD = {_INT_TAG: "is too long for a whole number", "tag:yaml.org,2002:timestamp": "is not a real date (write YYYY-MM-DD)"}


class LineMap(dict):
    """A YAML mapping with the line of the mapping and of each key."""

    line: int = 1

    def __init__(self):
        super().__init__()
        self.key_lines: dict = {}
        self.repeated_keys: list[tuple[object, int]] = []

    def line_of(self, key) -> int:
        """Line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence with the line of each item."""

    line: int = 1

    def __init__(self):
        super().__init__()
        self.item_lines: list[int] = []


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that course files may not use; `problem` says why, `problem_mark` where."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) that builds LineMap and LineList, within the limits above."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"aliases (*{event.anchor}) are not allowed in course files: write the value out", event.start_mark)
        if self.depth == MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self.depth += 1
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node

    def construct_object(self, node, deep=False):
        if node.tag == _INT_TAG and len(node.value) > MAX_NUMBER_LENGTH:  # 0x... and 1:2:3 are not limited by int()
            raise _cannot_build(node)
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):  # raised by int(), date() and the like on the text of one value
            raise _cannot_build(node) from None


def _cannot_build(node: yaml.ScalarNode) -> "_Refused":
    text = node.value if len(node.value) <= 20 else f"{node.value[:8]}...{node.value[-8:]}"
    what = _CANNOT_BUILD.get(node.tag, "cannot be read")
    return _Refused(f"{text!r} {what}: put it in quotes if it is a text", node.start_mark)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, Hashable):
            raise _Refused("a key must be a single word or text, not a list or a mapping", key_node.start_mark)
        if key in mapping:
            mapping.repeated_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList()
    sequence.line = node.start_mark.line + 1
    for item in node.value:
        sequence.append(loader.construct_object(item, deep=True))
        sequence.item_lines.append(item.start_mark.line + 1)
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlError(ValueError):
    """A file that is not valid YAML; `line` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse(text: str):
    """Parse YAML text into LineMap/LineList/scalars, or raise YamlError with the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except _Refused as error:
        raise YamlError(error.problem, error.problem_mark.line + 1) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, error.position) + 1
        raise YamlError(f"YAML syntax error: character U+{error.character:04X} is not allowed in a YAML file", line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"YAML syntax error: {error.problem or error.context}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax error: {error}", 1) from None
