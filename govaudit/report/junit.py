"""JUnit XML for CI jobs: one testcase per indicator, plus one per check.

A failed veto or deduction indicator is a <failure>; an indicator or check that could not be
evaluated is an <error>; a not-applicable indicator or skipped check is <skipped>. A bonus or info
indicator that "fails" only missed extra credit, so it passes with a note: otherwise every portal
without all bonuses would break its build.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from govaudit.model import AuditResult
from govaudit.report.view import finding_groups, fmt_number, report_findings

MAX_FINDINGS_LISTED = 50
# Characters XML 1.0 cannot carry at all (not even escaped); site text may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: object) -> str:
    return _XML_ILLEGAL.sub("\ufffd", "" if text is None else str(text))


def render_junit(result: AuditResult) -> str:
    scored = result.scored
    by_id = {rf.id: rf for rf in report_findings(result)}
    root = ET.Element("testsuites", name="govaudit")
    ind_suite = ET.SubElement(root, "testsuite", name=_x(f"govaudit.{scored.profile_id}"))
    if result.started_at:
        ind_suite.set("timestamp", _x(result.started_at))
    props = ET.SubElement(ind_suite, "properties")
    for name, value in (("site", result.site_url), ("as_of", result.as_of.isoformat()),
                        ("profile", scored.profile_id), ("score", fmt_number(scored.score.value)),
                        ("max", fmt_number(scored.score.max)), ("grade", scored.score.grade),
                        ("vetoes", " ".join(scored.score.vetoes)), ("run_id", result.run_id)):
        ET.SubElement(props, "property", name=name, value=_x(value))
    for ind in scored.indicators:
        case = ET.SubElement(ind_suite, "testcase", name=_x(f"{ind.id}: {ind.title}"),
                             classname=_x(f"{scored.profile_id}.{ind.group or ind.kind}"), time="0")
        message = _x(f"{ind.kind} {ind.result} ({fmt_number(ind.points)} points): {ind.detail}")
        groups = finding_groups([by_id[f] for f in dict.fromkeys(ind.findings) if f in by_id])
        listed = groups[:MAX_FINDINGS_LISTED]
        body = "\n".join(
            _x(f"{g.first.id} {g.rule} [{g.first.finding.status if g.first.finding.status is not None else '-'}] "
               + (f"{g.first.finding.page}" if len(g.pages) == 1 else f"{len(g.pages)} pages ({g.first.finding.page} …)")
               + (f" -> {g.target}" if g.target else "") + f": {g.message}")
            for g in listed
        )
        rest = sum(g.occurrences for g in groups[MAX_FINDINGS_LISTED:])
        if rest:
            body += f"\n... {rest} more in report.json"
        if ind.result == "fail" and ind.kind in ("veto", "deduct"):
            ET.SubElement(case, "failure", message=message, type=_x(ind.kind)).text = body
        elif ind.result == "error":
            ET.SubElement(case, "error", message=message, type="error").text = body
        elif ind.result == "not_applicable":
            ET.SubElement(case, "skipped", message=message)
        elif ind.result == "fail":
            ET.SubElement(case, "system-out").text = f"not earned: {message}"
    check_suite = ET.SubElement(root, "testsuite", name="govaudit.checks")
    for cid, chk in result.checks.items():
        case = ET.SubElement(check_suite, "testcase", name=_x(cid), classname="govaudit.checks",
                             time=f"{chk.duration_s:.3f}")
        if chk.status == "error":
            ET.SubElement(case, "error", message=_x(chk.error or "check failed"), type="error")
        elif chk.status == "skipped":
            ET.SubElement(case, "skipped", message=_x(chk.error or "skipped"))
    for suite in (ind_suite, check_suite):
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        for tag in ("failure", "error", "skipped"):
            suite.set(tag + ("s" if tag != "skipped" else ""), str(sum(1 for c in cases if c.find(tag) is not None)))
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in (ind_suite, check_suite))))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
