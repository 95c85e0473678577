"""Serious misstatements (严重表述错误): a dictionary of wrong forms matched against page text.

The dictionary is data (checks/content/misstatements.yaml, format described there); a site adds its
own files with the option `dictionary` and may drop the shipped one with `replace_default`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from govaudit.errors import UsageError

SEVERITIES = ("error", "warning")
EXCERPT = 30  # characters either side of a hit
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@dataclass(slots=True)
class Entry:
    pattern: re.Pattern[str]
    shown: str  # the wrong form as written in the dictionary
    right: str
    category: str
    severity: str = "error"
    exceptions: tuple[str, ...] = ()
    note: str = ""
    origin: str = ""


@dataclass(slots=True)
class Hit:
    entry: Entry
    found: str
    excerpt: str
    position: int


@dataclass(slots=True)
class Dictionary:
    entries: list[Entry] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def scan(self, text: str) -> list[Hit]:
        """Every hit in `text` (white space between Chinese characters removed first)."""
        flat = _CJK_GAP.sub("", text)
        hits: list[Hit] = []
        for entry in self.entries:
            for m in entry.pattern.finditer(flat):
                if _excepted(flat, m.start(), m.end(), entry.exceptions):
                    continue
                start, end = max(0, m.start() - EXCERPT), min(len(flat), m.end() + EXCERPT)
                hits.append(Hit(entry, m.group(0), flat[start:end], m.start()))
        hits.sort(key=lambda h: h.position)
        return hits


def _excepted(text: str, start: int, end: int, exceptions: tuple[str, ...]) -> bool:
    """The hit lies inside one of the entry's allowed phrases."""
    for phrase in exceptions:
        lo = max(0, start - len(phrase))
        window = text[lo:end + len(phrase)]
        pos = window.find(phrase)
        while pos >= 0:
            a = lo + pos
            if a <= start and end <= a + len(phrase):
                return True
            pos = window.find(phrase, pos + 1)
    return False


def default_text() -> str:
    return files("govaudit.checks.content").joinpath("misstatements.yaml").read_text(encoding="utf-8")


def load_dictionary(options: dict[str, Any], base: Path | None = None) -> Dictionary:
    """The shipped dictionary (unless `replace_default`), then each file of `dictionary`, then
    inline `misstatements` entries from the options."""
    out = Dictionary()
    if not options.get("replace_default", False):
        out.entries += parse_entries(default_text(), "checks/content/misstatements.yaml")
        out.sources.append("checks/content/misstatements.yaml")
    extra = options.get("dictionary", [])
    if isinstance(extra, str):
        extra = [extra]
    if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
        raise UsageError("checks.content.dictionary must be a file name or a list of file names")
    for name in extra:
        path = Path(name) if base is None or Path(name).is_absolute() else base / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"misstatement dictionary not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read misstatement dictionary {path}: {exc}") from None
        out.entries += parse_entries(text, str(path))
        out.sources.append(str(path))
    inline = options.get("misstatements")
    if inline is not None:
        out.entries += _entries({"entries": inline}, "[checks.content] misstatements")
        out.sources.append("options")
    return out


def parse_entries(text: str, origin: str) -> list[Entry]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{origin}: invalid YAML: {str(exc).splitlines()[0]}") from None
    return _entries(data, origin)


def _entries(data: Any, origin: str) -> list[Entry]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise UsageError(f"{origin}: a dictionary holds one key, 'entries', a list")
    out = []
    for n, item in enumerate(data["entries"], 1):
        where = f"{origin}: entry #{n}"
        if not isinstance(item, dict):
            raise UsageError(f"{where} must be a mapping")
        unknown = set(item) - {"wrong", "pattern", "right", "category", "severity", "except", "note"}
        if unknown:
            raise UsageError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        wrong, pattern = item.get("wrong"), item.get("pattern")
        if (wrong is None) == (pattern is None):
            raise UsageError(f"{where} needs exactly one of 'wrong' (text) or 'pattern' (regex)")
        source = wrong if wrong is not None else pattern
        if not isinstance(source, str) or not source.strip():
            raise UsageError(f"{where}: 'wrong'/'pattern' must be non-empty text")
        try:
            compiled = re.compile(re.escape(source) if wrong is not None else source)
        except re.error as exc:
            raise UsageError(f"{where}: bad regex {source!r}: {exc}") from None
        severity = item.get("severity", "error")
        if severity not in SEVERITIES:
            raise UsageError(f"{where}: severity must be error or warning, got {severity!r}")
        exceptions = item.get("except", [])
        if isinstance(exceptions, str):
            exceptions = [exceptions]
        if not isinstance(exceptions, list) or not all(isinstance(e, str) and e for e in exceptions):
            raise UsageError(f"{where}: 'except' must be a list of text")
        out.append(Entry(compiled, source, str(item.get("right", "")), str(item.get("category", "")),
                         severity, tuple(exceptions), str(item.get("note", "")), origin))
    return out
