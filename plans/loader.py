"""Parse a plan file (YAML or JSON) keeping each value's line number.

Numbers with a fractional part become ``Decimal`` built from the text as
written, so "58.0" and "88.60" keep the precision the city published.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path as FilePath
from typing import Any

import yaml
from django.utils.translation import gettext as _

Path = tuple[str | int, ...]


class PlanFileError(Exception):
    """Raised with every problem found in a plan file, one line each."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class PlanDocument:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)


def path_label(path: Path) -> str:
    """Return e.g. 'policies[0].indicators[1].baseline_value'."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else f".{part}" if label else part
    return label or "(root)"


def plan_document_read(file_path: str | FilePath) -> PlanDocument:
    """Read a .yaml/.yml/.json plan file; the format follows the suffix."""
    file_path = FilePath(file_path)
    try:
        text = file_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = _("ファイルを読み込めません（%(error)s）") % {"error": exc}
        raise PlanFileError([f"{file_path.name}: {message}"]) from None
    fmt = "json" if file_path.suffix.lower() == ".json" else "yaml"
    return plan_document_parse(text, source_name=file_path.name, fmt=fmt)


def plan_document_parse(text: str, *, source_name: str, fmt: str = "yaml") -> PlanDocument:
    """Parse ``text``; raise PlanFileError citing the line on syntax errors."""
    if fmt == "json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            message = _("JSON の書式が正しくありません（%(detail)s）") % {"detail": exc.msg}
            raise PlanFileError([f"{source_name}:{exc.lineno}: {message}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        if fmt == "json":
            # Valid JSON that PyYAML (YAML 1.1) rejects: parse without lines.
            return PlanDocument(json.loads(text, parse_float=Decimal))
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        message = _("YAML の書式が正しくありません（%(detail)s）") % {"detail": exc.problem or exc}
        raise PlanFileError([f"{source_name}:{line}: {message}"]) from None
    except yaml.YAMLError as exc:
        raise PlanFileError([f"{source_name}: {exc}"]) from None
    if node is None:
        raise PlanFileError([f"{source_name}:1: " + _("ファイルが空です")])
    builder = _Builder(source_name)
    data = builder.build(node, ())
    if builder.errors:
        raise PlanFileError(builder.errors)
    return PlanDocument(data, builder.lines)


class _Builder:
    """Turn a composed YAML node tree into Python values, noting lines."""

    def __init__(self, source_name: str):
        self.source_name = source_name
        self.lines: dict[Path, int] = {}
        self.errors: list[str] = []
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                pass  # .inf / .nan: left as float for the validator to reject
        return self._constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.errors.append(
                    f"{self.source_name}:{line}: {path_label(path)}: " + _("項目名は文字列にしてください")
                )
                continue
            key = key_node.value
            if key in result:
                message = _("項目「%(key)s」が重複しています") % {"key": key}
                self.errors.append(f"{self.source_name}:{line}: {path_label(path)}: {message}")
                continue
            result[key] = self.build(value_node, (*path, key))
            # Cite the key's line: a block value starts on the next line.
            self.lines[(*path, key)] = line
        return result
