"""Rewrite one generated part of a Markdown report, keeping the rest of the file.

docs/ACCURACY.md has parts written by different tools (simulator, real footage) and parts
written by hand; each generated part sits between ``<!-- BEGIN name -->`` and
``<!-- END name -->`` so a tool rewrites its own part and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from console.atomic_files import write_text_atomic


def markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN {name} (generated: do not edit by hand) -->", f"<!-- END {name} -->"


def replace_section(path: Path, name: str, body: str) -> None:
    """Put ``body`` between the ``name`` markers of ``path``; appended when they are absent."""
    begin, end = markers(name)
    block = f"{begin}\n{body.rstrip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(begin)
    if start >= 0:
        stop = text.find(end, start)
        if stop < 0:
            raise ValueError(f"{path}: '{begin}' has no '{end}' after it")
        text = text[:start] + block + text[stop + len(end) :]
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + block + "\n"
    write_text_atomic(path, text)
