"""YAML that remembers where things are, so a course problem can be reported as path:line."""

import yaml


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


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) that builds LineMap and LineList."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
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
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"YAML syntax error: {error.problem or error.context}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax error: {error}", 1) from None
