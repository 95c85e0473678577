"""The accessibility statement of UK PSBAR 2018 / EU Web Accessibility Directive 2016/2102.

A statement is linked from every page, says whether the site is fully, partially or not compliant,
offers a feedback mechanism (contact or form), names the enforcement procedure and is reviewed at
least yearly (its latest date within 12 months of the as-of date). The wording is matched in the
EU languages public bodies most often use for the model statement; every pattern is extendable
with the option `statement_patterns = {link = "...", fully = "...", ...}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from govaudit.checks.identity.html import Anchor, Doc

from govaudit.dates import find_dates
from govaudit.errors import UsageError

PATTERNS: dict[str, str] = {
    "link": (r"accessibility statement|accessibility|déclaration d.accessibilité|accessibilité|"
             r"erklärung zur barrierefreiheit|barrierefreiheit|toegankelijkheidsverklaring|toegankelijkheid|"
             r"declaración de accesibilidad|accesibilidad|dichiarazione di accessibilità|accessibilità|"
             r"tillgänglighetsredogörelse|saavutettavuusseloste|deklaracja dostępności|prohlášení o přístupnosti"),
    "link_url": r"accessib|barrierefrei|toegankelijk|accesibilidad|tillganglighet|saavutettavuus|dostepnosc",
    "statement_word": r"statement|déclaration|erklärung|verklaring|declaración|dichiarazione|redogörelse|seloste|"
                      r"deklaracja|prohlášení",
    # German statements put the standard between the words: "teilweise mit der BITV 2.0 vereinbar".
    "partially": (r"partially compliant|partially conformant|partiellement conforme|\bteilweise\b(?:[^.!?]|\.\d){0,80}?"
                  r"\b(?:vereinbar|konform|barrierefrei)|gedeeltelijk\b(?:[^.!?]|\.\d){0,60}?\bvoldoet|parcialmente conforme|"
                  r"parzialmente conforme"),
    "not": (r"\bnot compliant|\bnon-compliant\b|\bnot conformant|non conforme|\bnicht\b(?:[^.!?]|\.\d){0,80}?\b(?:vereinbar|"
            r"konform|barrierefrei)|voldoet niet|no es conforme|no conforme|non è conforme"),
    "fully": (r"fully compliant|fully conformant|totalement conforme|pleinement conforme|\bvollständig\b(?:[^.!?]|\.\d){0,80}?"
              r"\b(?:vereinbar|konform|barrierefrei)|volledig\b(?:[^.!?]|\.\d){0,60}?\bvoldoet|plenamente conforme|"
              r"pienamente conforme"),
    "feedback": (r"feedback|contact us|contact|report (?:an? )?(?:accessibility )?(?:problem|issue)|tell us|"
                 r"nous contacter|kontakt|contacto|contatt|meld|neem contact"),
    "enforcement": (r"enforcement|equality and human rights commission|\bEHRC\b|equality advisory and support "
                    r"service|\bEASS\b|equality commission for northern ireland|mise en œuvre|défenseur des droits|"
                    r"durchsetzungsverfahren|schlichtungsstelle|handhaving|procedimiento de aplicación|"
                    r"procedura di attuazione|difensore civico|ombudsman"),
}
COMPLIANCE = ("partially", "not", "fully")  # checked in this order: "partially" text often says "non-…"


@dataclass(slots=True)
class StatementVerdict:
    url: str
    compliance: str | None  # fully | partially | not | None
    compliance_text: str
    feedback: str  # the text or link that offers it, "" when none
    enforcement: str
    latest: date | None  # the statement's latest date not after the as-of date
    age_days: int | None
    recent: bool


def compile_patterns(options: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    table = dict(PATTERNS)
    given = options.get("statement_patterns")
    if given is not None:
        if not isinstance(given, dict):
            raise UsageError("checks.identity.statement_patterns must be a table of name -> regex")
        for key, value in given.items():
            if key not in PATTERNS or not isinstance(value, str) or not value:
                raise UsageError(f"checks.identity.statement_patterns: {key!r} must be one of "
                                 f"{', '.join(PATTERNS)} with a regex")
            table[key] = f"{table[key]}|{value}"
    try:
        return {k: re.compile(v, re.I) for k, v in table.items()}
    except re.error as exc:
        raise UsageError(f"checks.identity.statement_patterns: bad regex: {exc}") from None


def find_statement_link(doc: Doc, patterns: dict[str, re.Pattern[str]]) -> Anchor | None:
    """The page's link to its accessibility statement; a link that says "statement" wins."""
    best: tuple[int, Anchor] | None = None
    for a in doc.anchors:
        if a.kind != "http":
            continue
        score = 0
        if patterns["link"].search(a.text):
            score += 2
        if patterns["link_url"].search(a.url):
            score += 1
        if score and patterns["statement_word"].search(a.text + " " + a.url):
            score += 2
        if score and (best is None or score > best[0]):
            best = (score, a)
    return best[1] if best else None


def twelve_months_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def judge_statement(doc: Doc, as_of: date, patterns: dict[str, re.Pattern[str]]) -> StatementVerdict:
    text = doc.text
    compliance, compliance_text = None, ""
    for word in COMPLIANCE:
        m = patterns[word].search(text)
        if m:
            compliance, compliance_text = word, m.group(0)
            break
    feedback = ""
    m = patterns["feedback"].search(text)
    if m:
        feedback = m.group(0)
    elif any(a.kind == "mailto" for a in doc.anchors) or doc.tree.css_first("form textarea") is not None:
        feedback = "e-mail link or form"
    enforcement_m = patterns["enforcement"].search(text)
    dates = [f.value for f in find_dates(text, names=True, dmy=True) if f.value <= as_of]
    latest = max(dates) if dates else None
    age = (as_of - latest).days if latest else None
    recent = latest is not None and latest >= twelve_months_before(as_of)
    return StatementVerdict(doc.url, compliance, compliance_text, feedback,
                            enforcement_m.group(0) if enforcement_m else "", latest, age, recent)
