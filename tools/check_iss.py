r"""Static check of an Inno Setup 6 script, for machines without the Inno Setup compiler.

ISCC runs only on Windows (or under 32-bit Wine, which this build machine cannot install),
so on Linux this catches what breaks a Windows build most often: unknown sections or entry
parameters, unbalanced quotes and preprocessor blocks, entries without their required
parameters, flags Inno Setup does not know, and [Code] functions that entries name but the
script never defines (or Pascal blocks that do not close). The Windows build itself is
``iscc installer\windows\roadwatch.iss`` (installer/README.md).

    python tools/check_iss.py installer/windows/roadwatch.iss   # exit 1 and a list on problems
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

SETUP_SECTIONS = {"Setup", "Languages", "Messages", "CustomMessages", "LangOptions"}
ENTRY_PARAMETERS: dict[str, set[str]] = {
    section: set(names.split())
    for section, names in {
        "Tasks": "Name Description GroupDescription Flags Components Check",
        "Files": "Source DestDir DestName Flags Excludes Permissions Check Tasks Components "
        "Attribs StrongAssemblyName AfterInstall BeforeInstall ExternalSize FontInstall Languages",
        "Dirs": "Name Permissions Flags Attribs Check Tasks Components",
        "Icons": "Name Filename Parameters WorkingDir IconFilename IconIndex Comment Flags Tasks "
        "Components Check AppUserModelID HotKey",
        "Registry": "Root Subkey ValueType ValueName ValueData Flags Check Permissions Tasks "
        "Components",
        "Run": "Filename Parameters WorkingDir StatusMsg Description Flags Check Tasks "
        "Components RunOnceId Verb BeforeInstall AfterInstall",
        "UninstallRun": "Filename Parameters WorkingDir Flags RunOnceId Check StatusMsg",
        "InstallDelete": "Type Name Check Tasks Components",
        "UninstallDelete": "Type Name Check Tasks Components",
    }.items()
}
REQUIRED: dict[str, set[str]] = {
    "Tasks": {"Name", "Description"},
    "Files": {"Source", "DestDir"},
    "Dirs": {"Name"},
    "Icons": {"Name", "Filename"},
    "Registry": {"Root", "Subkey"},
    "Run": {"Filename"},
    "UninstallRun": {"Filename"},
    "InstallDelete": {"Type", "Name"},
    "UninstallDelete": {"Type", "Name"},
}
FLAG_WORDS = """
    ignoreversion recursesubdirs createallsubdirs unchecked nowait postinstall skipifsilent
    runhidden waituntilterminated shellexec uninsdeletekey uninsdeletevalue uninsdeletekeyifempty
    preservestringtype restartreplace uninsneveruninstall onlyifdoesntexist uninsdeletedir
    runascurrentuser runasoriginaluser exclusive checkedonce dontcopy skipifsourcedoesntexist
    replacesameversion createvalueifdoesntexist"""
KNOWN_FLAGS = set(FLAG_WORDS.split())
REQUIRED_SETUP = {"AppName", "AppVersion", "DefaultDirName"}
PREPROCESSOR_OPEN = ("#if", "#ifdef", "#ifndef")


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def split_parameters(entry: str) -> list[str]:
    """``Name: "a; b"; Flags: x`` -> ['Name: "a; b"', 'Flags: x'] (quotes keep semicolons)."""
    parts, current, quoted = [], [], False
    for char in entry:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def check_entry(section: str, line_no: int, text: str, problems: list[Problem]) -> set[str]:
    """Problems of one [Files]-style entry; returns the [Code] names it calls."""
    if text.count('"') % 2:
        problems.append(Problem(line_no, "unbalanced double quotes"))
        return set()
    called: set[str] = set()
    seen: set[str] = set()
    for part in split_parameters(text):
        name, colon, value = part.partition(":")
        name = name.strip()
        if not colon or name not in ENTRY_PARAMETERS[section]:
            problems.append(Problem(line_no, f"[{section}] has no parameter '{name}'"))
            continue
        seen.add(name)
        value = value.strip()
        if name == "Flags":
            for flag in value.split():
                if flag not in KNOWN_FLAGS:
                    problems.append(Problem(line_no, f"unknown flag '{flag}'"))
        if name == "Check":
            called.add(re.split(r"[\s(]", value.removeprefix("not "), maxsplit=1)[0])
        called.update(re.findall(r"\{code:(\w+)", value))
    for missing in sorted(REQUIRED[section] - seen):
        problems.append(Problem(line_no, f"[{section}] entry without its {missing}"))
    return called


def check_code(lines: list[tuple[int, str]], problems: list[Problem]) -> set[str]:
    """Defined function/procedure names; checks that begin/case/try blocks close."""
    defined: set[str] = set()
    depth = 0
    for line_no, raw in lines:
        text = re.sub(r"//.*|'[^']*'", "", raw).lower()
        match = re.match(r"\s*(function|procedure)\s+(\w+)", raw, re.IGNORECASE)
        if match:
            defined.add(match.group(2))
        depth += len(re.findall(r"\b(begin|case|try)\b", text))
        depth -= len(re.findall(r"\bend\b", text))
        if depth < 0:
            problems.append(Problem(line_no, "'end' without a matching 'begin'"))
            depth = 0
    if depth:
        problems.append(Problem(lines[-1][0] if lines else 0, f"{depth} unclosed Pascal block(s)"))
    return defined


def check(script: str) -> list[Problem]:
    problems: list[Problem] = []
    section = ""
    setup_keys: set[str] = set()
    called: dict[str, int] = {}
    code: list[tuple[int, str]] = []
    preprocessor_depth = 0
    for line_no, raw in enumerate(script.splitlines(), start=1):
        text = raw.strip()
        if text.startswith("#"):
            word = text.split()[0]
            preprocessor_depth += word in PREPROCESSOR_OPEN
            preprocessor_depth -= word == "#endif"
            continue
        heading = re.fullmatch(r"\[(\w+)\]", text)
        if heading:
            section = heading.group(1)
            if section not in SETUP_SECTIONS | set(ENTRY_PARAMETERS) | {"Code"}:
                problems.append(Problem(line_no, f"unknown section [{section}]"))
            continue
        if section == "Code":
            code.append((line_no, raw))
            continue
        if not text or text.startswith(";"):
            continue
        if not section:
            problems.append(Problem(line_no, "text before the first section"))
        elif section == "Setup":
            key, equals, _ = text.partition("=")
            if not equals:
                problems.append(Problem(line_no, "[Setup] lines are Directive=Value"))
            setup_keys.add(key.strip())
        elif section in ENTRY_PARAMETERS:
            for name in check_entry(section, line_no, text, problems):
                called.setdefault(name, line_no)
    if preprocessor_depth:
        problems.append(Problem(0, "a preprocessor #if/#ifdef/#ifndef without #endif"))
    for missing in sorted(REQUIRED_SETUP - setup_keys):
        problems.append(Problem(0, f"[Setup] lacks {missing}"))
    defined = check_code(code, problems)
    for name, line_no in sorted(called.items()):
        if name not in defined:
            problems.append(Problem(line_no, f"[Code] defines no function '{name}'"))
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_iss.py SCRIPT.iss", file=sys.stderr)
        return 2
    problems = check(Path(argv[0]).read_text(encoding="utf-8"))
    for problem in problems:
        print(f"{argv[0]}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{argv[0]}: OK (static check; the Windows build runs iscc)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
