"""YAML loading that remembers where every value came from, so errors can name a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_FILE_BYTES = 2 * 1024 * 1024  # a site file for hundreds of cameras is ~200 KB


class YamlFileError(ValueError):
    """The file cannot be read as YAML at all (syntax, encoding, size)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """Parsed YAML data plus the means to find the line of any path inside it."""

    data: Any
    path: Path | None

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node of ``location`` that exists in the file."""
        node: Any = self.data
        line: int | None = _start_line(node)
        for part in location:
            if isinstance(node, CommentedMap):
                if part in node:
                    line = node.lc.key(part)[0] + 1
                    node = node[part]
                    if _start_line(node) is not None and isinstance(
                        node, CommentedMap | CommentedSeq
                    ):
                        line = line if node.lc.line is None else min(line, node.lc.line + 1)
                    continue
                if node.get("type") == part:  # pydantic names the tag of a discriminated union
                    continue
                break
            if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
                continue
            break
        return line


def _start_line(node: Any) -> int | None:
    if isinstance(node, CommentedMap | CommentedSeq) and node.lc.line is not None:
        return int(node.lc.line) + 1
    return None


def parse_yaml_text(text: str, path: Path | None = None) -> YamlDocument:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlFileError(f"not valid YAML: {problem}", line) from None
    except YAMLError as exc:
        raise YamlFileError(f"not valid YAML: {exc}") from None
    return YamlDocument(data=data, path=path)


def load_yaml_file(path: Path) -> YamlDocument:
    """Read and parse ``path``; size, encoding and syntax problems raise :class:`YamlFileError`."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise YamlFileError(f"file not found: {path}") from None
    except OSError as exc:
        raise YamlFileError(f"cannot read {path}: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise YamlFileError(
            f"file is {size / 1e6:.1f} MB; a site file may be at most {MAX_FILE_BYTES // 2**20} MB"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlFileError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            line,
        ) from None
    return parse_yaml_text(text, path)
