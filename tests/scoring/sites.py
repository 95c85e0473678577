"""Check results of whole sites for scoring tests: identity, content and interaction builders, and
clean sites (every check ok, nothing to deduct) per country.

The builders mirror what checks/identity, checks/content and checks/interaction publish: a case
changes a few metrics, and the dependent metrics and the findings follow as the check derives them
(a missing footer mark is a `footer-…-missing` finding and one more `footer_marks_missing`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from govaudit.checks.identity.check import FAMILY_RULES
from govaudit.checks.identity.check import MARK_RULES as CHECK_MARK_RULES

from govaudit.audit import number_findings
from govaudit.model import CheckResult, Finding
from tests.a11y.profile_cases import a11y
from tests.freshness.test_profile import freshness
from tests.scoring.helpers import availability, links_result

AS_OF = date(2026, 11, 20)  # the as_of of the freshness and interaction cases
CN_HOME = "https://www.qingshan.gov.cn/"
US_HOME = "https://www.agency.gov/"
UK_HOME = "https://www.council.gov.uk/"

# ---- identity (checks/identity/check.py) --------------------------------------------------------

# footer mark metric -> the rule the check publishes when the mark is missing (its MARK_RULES)
MARK_RULES = {("site_id_code" if mark == "site_id" else mark) + "_present": rule
              for mark, (rule, _label) in CHECK_MARK_RULES.items()}
# site-level metric -> the rule published when it reads 0
FLAG_RULES = {
    "gov_domain": "domain-not-gov", "search_present": "search-missing", "ipv6": "ipv6-missing",
    "robots_txt": "robots-missing", "sitemap_xml": "sitemap-missing", "missing_page_404": "missing-page-not-404",
    "viewport": "viewport-missing", "dap": "dap-missing", "banner": "banner-missing", "https": "https-unavailable",
}
WARNINGS = {"robots-missing", "sitemap-missing", "footer-icp-unlinked", "footer-police-unlinked",
            "a11y-statement-missing", "a11y-statement-unlinked"}
US_LINKS = ("usa_gov", "privacy", "foia", "accessibility", "no_fear", "about")
STATEMENT_PARTS = {  # metric -> the rule published when a found statement lacks the part
    "a11y_statement_compliance": "a11y-statement-no-compliance",
    "a11y_statement_feedback": "a11y-statement-no-feedback",
    "a11y_statement_enforcement": "a11y-statement-no-enforcement",
    "a11y_statement_recent": "a11y-statement-outdated",
}
NO_STATEMENT: dict[str, Any] = {  # pages_unlinked: every page (the check counts them all)
    "a11y_statement_found": 0, "a11y_statement_compliance": 0,
    "a11y_statement_feedback": 0, "a11y_statement_enforcement": 0, "a11y_statement_recent": 0,
    "a11y_statement_age_days": None, "a11y_statement_status": "none",
}
GOOD_STATEMENT: dict[str, Any] = {
    "a11y_statement_found": 1, "a11y_statement_pages_unlinked": 0, "a11y_statement_compliance": 1,
    "a11y_statement_feedback": 1, "a11y_statement_enforcement": 1, "a11y_statement_recent": 1,
    "a11y_statement_age_days": 120, "a11y_statement_status": "partially",
}
_TRANSPORT_OK: dict[str, Any] = {
    "gov_domain": 1, "search_present": 1, "search_answers": 1, "https": 1, "http_redirects_https": 1,
    "tls_valid": 1, "hsts": 1, "ipv6": 1, "ipv6_judged": 1, "robots_txt": 1, "sitemap_xml": 1, "missing_page_404": 1,
    "findings_dropped": 0,
}
# A Chinese portal with every mark of 政府网站发展指引 and no US marks (it needs none).
IDENTITY_CN: dict[str, Any] = {
    "home": CN_HOME, "pages": 36, "families": {"cn"}, **_TRANSPORT_OK, **dict.fromkeys(MARK_RULES, 1),
    "site_id_code_valid": 1, "icp_linked": 1, "police_linked": 1, "meta_pages_judged": 36, "meta_pages_missing": 0, "meta_missing_fields": 0,
    "meta_missing_home": 0, "meta_missing_column": 0, "meta_invalid": 0, "siteidcode_mismatch": 0,
    "viewport": 1, "dap": 0, "banner": 0, "required_links": dict.fromkeys(US_LINKS, ""), **NO_STATEMENT,
}
# A US federal site: every mark of M-23-22 / 21st Century IDEA, none of the Chinese footer or metadata.
IDENTITY_US: dict[str, Any] = {
    "home": US_HOME, "pages": 30, "families": {"us"}, **_TRANSPORT_OK, **dict.fromkeys(MARK_RULES, 0),
    "site_id_code_valid": 0, "icp_linked": 0, "police_linked": 0, "meta_pages_judged": 30, "meta_pages_missing": 30, "meta_missing_fields": 80,
    "meta_missing_home": 1, "meta_missing_column": 9, "meta_invalid": 0, "siteidcode_mismatch": 0,
    "viewport": 1, "dap": 1, "banner": 1,
    "required_links": {k: f"{US_HOME}{k.replace('_', '-')}/" for k in US_LINKS}, **GOOD_STATEMENT,
}
# A UK council (or any EU public body): a linked, complete accessibility statement; neither the US
# marks nor the Chinese ones.
IDENTITY_UK: dict[str, Any] = {
    **IDENTITY_US, "home": UK_HOME, "pages": 40, "families": {"eu"}, "meta_pages_judged": 40, "meta_pages_missing": 40,
    "meta_missing_fields": 110, "dap": 0, "banner": 0, "required_links": dict.fromkeys(US_LINKS, ""),
}


def identity(base: dict[str, Any] = IDENTITY_CN, **changes: Any) -> CheckResult:
    """The identity check's result for `base` with `changes`; derived metrics and findings follow.
    `ipv6=None`: not judged (an audit by IP address). Findings of another country's marks are left
    out as the check leaves them out (its `families`), while every metric stays."""
    m = {**base, **changes}
    home, pages, families = m.pop("home"), m.pop("pages"), m.pop("families")
    if not m["site_id_code_present"]:
        m["site_id_code_valid"] = 0
    for mark in ("icp", "police"):
        if not m[f"{mark}_present"]:
            m[f"{mark}_linked"] = 0
    if not m["search_present"]:
        m["search_answers"] = 0  # the check publishes 0 for "no box" too (profiles guard on search_present)
    if not m["https"]:
        m.update(http_redirects_https=0, tls_valid=None, hsts=0)
    if not m["a11y_statement_found"]:
        m.update(NO_STATEMENT, a11y_statement_pages_unlinked=pages)
    elif not m["a11y_statement_compliance"]:
        m["a11y_statement_status"] = "none"
    m["footer_marks_missing"] = sum(not m[k] for k in MARK_RULES)
    m["record_numbers_shown"] = int(bool(m["icp_present"])) + int(bool(m["police_present"]))
    m.setdefault("siteidcode_compared", m["meta_pages_judged"] - m["meta_pages_missing"]
                 if m["site_id_code_present"] else 0)
    m["meta_missing_article"] = m["meta_pages_missing"] - m["meta_missing_home"] - m["meta_missing_column"]
    m["meta_missing_fields"] = max(m["meta_missing_fields"], m["meta_pages_missing"])
    m["required_links"] = {k: int(bool(v)) for k, v in m["required_links"].items()}
    m["required_links_missing"] = sum(not v for v in m["required_links"].values())
    m["ipv6_judged"] = int(m["ipv6"] is not None)
    every = _identity_findings(m, home)
    findings = [f for f in every if _family(f.rule) in families | {None}]
    m["findings_hidden_other_countries"] = len(every) - len(findings)
    return CheckResult(status="ok", metrics=m, findings=findings)


def _family(rule: str) -> str | None:
    return next((family for family, prefixes in FAMILY_RULES.items() if rule.startswith(prefixes)), None)


def _identity_findings(m: dict[str, Any], home: str) -> list[Finding]:
    out: list[Finding] = []

    def add(rule: str, page: str = home, **evidence: Any) -> None:
        out.append(Finding(rule, page, rule.replace("-", " "), severity="warning" if rule in WARNINGS else "error",
                           evidence=evidence))

    for metric, rule in MARK_RULES.items():
        if not m[metric]:
            add(rule, mark=metric.removesuffix("_present").removesuffix("_code"))
    if m["site_id_code_present"] and not m["site_id_code_valid"]:
        add("footer-site-id-malformed", code="12345")
    for mark in ("icp", "police"):
        if m[f"{mark}_present"] and not m[f"{mark}_linked"]:
            add(f"footer-{mark}-unlinked", number="京ICP备05070218号")
    for metric, rule in FLAG_RULES.items():
        if m[metric] == 0:
            add(rule)
    if m["search_present"] and m["search_answers"] == 0:
        add("search-no-answer")
    if m["https"]:
        if m["tls_valid"] == 0:
            add("tls-invalid")
        if m["http_redirects_https"] == 0:
            add("https-no-redirect")
        if not m["hsts"]:
            add("hsts-missing", header="")
    fields = m["meta_missing_fields"]
    for n in range(m["meta_pages_missing"]):
        extra = fields - m["meta_pages_missing"] if n == 0 else 0  # the first page lacks the spare fields
        for k in range(1 + extra):
            add("meta-missing", f"{home}art/{n}.html", field=f"Field{k}", kind="article")
    for n in range(m["meta_invalid"]):
        add("meta-invalid", f"{home}col/{n}/", field="ColumnType", kind="column", value="x")
    for n in range(m["siteidcode_mismatch"]):
        add("meta-siteidcode-mismatch", f"{home}art/{n}.html", field="SiteIDCode", meta="9999999999",
            footer="1234560001", kind="article")
    for key, present in m["required_links"].items():
        if not present:
            add("required-link-missing", link=key)
    if not m["a11y_statement_found"]:
        add("a11y-statement-missing", pages=m["a11y_statement_pages_unlinked"])
    else:
        for n in range(m["a11y_statement_pages_unlinked"]):
            add("a11y-statement-unlinked", f"{home}p/{n}.html")
        for metric, rule in STATEMENT_PARTS.items():
            if not m[metric]:
                add(rule, latest=None)
    return out


# ---- content (checks/content/check.py) ----------------------------------------------------------

CONTENT_CLEAN: dict[str, Any] = {
    "pages_scanned": 36, "misstatements": 0, "misstatements_review": 0, "misstatements_by_category": {},
    "hidden_links": 0, "hidden_spam_links": 0, "hijacked_links": 0, "parked_links": 0, "harmful_links": 0,
    "external_checked": 24, "external_readable": 22, "external_left_out": 0, "findings_dropped": 0,
}


def content(misstatements: int = 0, review: int = 0, hidden: int = 0, hidden_spam: int = 0, hijacked: int = 0,
            parked: int = 0, home: str = CN_HOME) -> CheckResult:
    """The content check with this many hits of each kind, one finding each."""
    findings: list[Finding] = []
    for n in range(misstatements):
        findings.append(Finding("misstatement", f"{home}art/{n}.html", "'中华人名共和国' should read '中华人民共和国' (国名)",
                                evidence={"wrong": "中华人名共和国", "right": "中华人民共和国", "category": "国名"}))
    for n in range(review):
        findings.append(Finding("misstatement-review", f"{home}art/r{n}.html", "historical wording",
                                severity="warning", evidence={"category": "historical"}))
    for n in range(hidden):
        findings.append(Finding("hidden-link", home, "hidden off-site link", severity="warning", element="a",
                                target=f"http://tpl{n}.example.com/", evidence={"category": None}))
    for n in range(hidden_spam):
        findings.append(Finding("hidden-spam-link", home, "hidden gambling link", element="a",
                                target=f"http://bet{n}.example.com/", evidence={"category": "gambling"}))
    for n in range(hijacked):
        findings.append(Finding("hijacked-link", f"{home}links.html", "the link now leads to a gambling page",
                                element="a", target=f"http://old{n}.example.org/", status=200,
                                evidence={"category": "gambling"}))
    for n in range(parked):
        findings.append(Finding("parked-link", f"{home}links.html", "the link now leads to a parked page",
                                severity="warning", element="a", target=f"http://lapsed{n}.example.net/",
                                status=200, evidence={"category": "parked"}))
    metrics = dict(CONTENT_CLEAN, misstatements=misstatements, misstatements_review=review,
                   misstatements_by_category=({"国名": misstatements} if misstatements else {})
                   | ({"historical": review} if review else {}),
                   hidden_links=hidden + hidden_spam, hidden_spam_links=hidden_spam, hijacked_links=hijacked,
                   parked_links=parked, harmful_links=hidden_spam + hijacked)
    return CheckResult(status="ok", metrics=metrics, findings=findings)


# ---- interaction (checks/interaction/check.py) --------------------------------------------------

INTERACTION_CLEAN: dict[str, Any] = {
    "channels": 3, "consultation_channels": 1, "survey_channels": 1, "interview_channels": 1,
    "excluded_channels": 1, "form_channels": 0, "boards": 1, "boards_readable": 1, "boards_unreadable": 0,
    "boards_incomplete": 0, "messages": 120, "answered": 118, "unanswered": 2, "unknown": 0, "overdue": 0,
    "overdue_found": 0, "median_reply_days": 6.5, "p90_reply_days": 14.0, "max_reply_days": 31.0,
    "latest_reply": "2026-11-12", "latest_reply_age_days": 8, "no_reply_2_months": 0, "surveys_in_window": 7,
    "interviews_in_window": 6, "selectors_used": 0, "list_pages_read": 9, "details_fetched": 0, "requests": 14,
    "renders": 0, "limit_days": 91.3,
}
BOARD = f"{CN_HOME}hdjl/xzxx/"


def interaction(consultation: int = 1, overdue: int = 0, latest_reply: str | None = "2026-11-12",
                surveys: int | None = 7, interviews: int | None = 6, board_readable: bool = True) -> CheckResult:
    """The interaction check on a portal with one 县长信箱 board, one survey list and one interview
    list (as_of 2026-11-20). `surveys`/`interviews` None: that list could not be read."""
    m = dict(INTERACTION_CLEAN, consultation_channels=consultation, surveys_in_window=surveys,
             interviews_in_window=interviews)
    findings: list[Finding] = []
    if consultation == 0:
        m.update(channels=2, boards=0, boards_readable=0, messages=0, answered=0, unanswered=0, overdue=None,
                 median_reply_days=None, p90_reply_days=None, max_reply_days=None, latest_reply=None,
                 latest_reply_age_days=None, no_reply_2_months=None)
        findings.append(Finding("interaction-no-channel", CN_HOME, "no online consultation channel found",
                                evidence={"searched": [CN_HOME], "excluded": [f"{CN_HOME}xf/"]}))
    elif not board_readable:
        m.update(boards_readable=0, boards_unreadable=1, messages=0, answered=0, unanswered=0, overdue=None,
                 median_reply_days=None, p90_reply_days=None, max_reply_days=None, latest_reply=None,
                 latest_reply_age_days=None, no_reply_2_months=None)
        findings.append(Finding("interaction-board-unreadable", BOARD, "县长信箱: board could not be read",
                                evidence={"board": "县长信箱", "status": "not-readable", "scripted": True}))
    else:
        m.update(overdue=overdue, overdue_found=overdue, unanswered=2 + overdue)
        for n in range(overdue):
            findings.append(Finding("interaction-overdue", f"{BOARD}{n}.html", "message still unanswered",
                                    evidence={"board": "县长信箱", "asked": "2026-07-01", "replied": None,
                                              "reason": "unanswered", "days": 142.0}))
        m.update(latest_reply=latest_reply,
                 latest_reply_age_days=None if latest_reply is None else _days_before_as_of(latest_reply))
        if latest_reply is None or latest_reply < "2026-09-20":  # as_of - 2 months, as the check's cutoff
            m["no_reply_2_months"] = 1
            findings.append(Finding("interaction-no-recent-reply", BOARD, "县长信箱: no reply in the 2 months",
                                    severity="warning", evidence={"board": "县长信箱", "latest_reply": latest_reply,
                                                                  "since": "2026-09-20"}))
    for kind, count in (("survey", surveys), ("interview", interviews)):
        url = f"{CN_HOME}hdjl/{kind}/"
        if count is None:
            findings.append(Finding("interaction-activity-unreadable", url, "list could not be read",
                                    evidence={"kind": kind, "status": "not-readable", "reason": "no dated list"}))
        else:
            findings.append(Finding("interaction-activity-count", url, f"{count} items in the 12 months",
                                    severity="info", evidence={"kind": kind, "in_window": count,
                                                               "latest": "2026-10-15" if count else None}))
    return CheckResult(status="ok", metrics=m, findings=findings)


def _days_before_as_of(day: str) -> int:
    return (AS_OF - date.fromisoformat(day)).days


# ---- clean sites --------------------------------------------------------------------------------


def clean_cn_site(without: tuple[str, ...] = (), **replace: CheckResult) -> dict[str, CheckResult]:
    """A Chinese portal on which every check ran and found nothing the profiles deduct for, less the
    checks in `without`, with `replace` swapped in; numbered f-1… across checks as the runner does."""
    checks = {
        "links": links_result(), "availability": availability(2), "freshness": freshness()["freshness"],
        "identity": identity(), "content": content(), "interaction": interaction(),
        "accessibility": a11y()["accessibility"], "services": services(),
    }
    return _assemble(checks, without, replace)


def clean_us_site(without: tuple[str, ...] = (), **replace: CheckResult) -> dict[str, CheckResult]:
    """A US federal site with every mark its profile reads (the Chinese footer marks absent)."""
    checks = {"links": links_result(), "identity": identity(IDENTITY_US), "content": content(home=US_HOME),
              "accessibility": a11y()["accessibility"]}
    return _assemble(checks, without, replace)


def clean_uk_site(without: tuple[str, ...] = (), **replace: CheckResult) -> dict[str, CheckResult]:
    """A UK / EU public-sector site with a complete accessibility statement linked from every page."""
    checks = {"links": links_result(), "identity": identity(IDENTITY_UK), "content": content(home=UK_HOME),
              "accessibility": a11y()["accessibility"]}
    return _assemble(checks, without, replace)


def _assemble(checks: dict[str, CheckResult], without: tuple[str, ...],
              replace: dict[str, CheckResult]) -> dict[str, CheckResult]:
    unknown = set(without) | set(replace)
    assert unknown <= set(checks), f"no such check in this site: {sorted(unknown - set(checks))}"
    out = {k: replace.get(k, v) for k, v in checks.items() if k not in without}
    number_findings(out)
    return out


# ---- services (checks/services) -------------------------------------------------------------------

SERVICES_CLEAN: dict[str, Any] = {
    "no_services": 0, "portal": 1, "not_measured": 0, "guides": 12, "guides_incomplete": 0,
    "missing_element_types": 0, "service_entries": 15, "portal_links": 1, "portal_links_not_crawled": 0,
    "interpretations": 4, "interpretations_linked": 4, "interpretations_linked_share": 1.0,
    "online_entries": 3, "data_open_entries": 1, "response_entries": 1, "smart_qa_entries": 1,
}


def services(base: dict[str, Any] = SERVICES_CLEAN, **changes: Any) -> CheckResult:
    """The services check's result; a guide missing elements is a `guide-incomplete` finding, an
    entry kind with none found an `entry-KIND-missing` one, as the check publishes them."""
    m = dict(base, **changes)
    findings: list[Finding] = []
    for n in range(m["guides_incomplete"]):
        missing = ["办理时间", "联系电话"][: max(1, m["missing_element_types"])]
        findings.append(Finding(rule="guide-incomplete", page=f"{CN_HOME}bsfw/bszn_{n}.html",
                                message="办事指南缺少要素", evidence={"missing": missing}))
    if m["service_entries"] == 0:
        findings.append(Finding(rule="service-none", page=CN_HOME, message="未发现办事服务入口"))
    for kind in ("online", "data_open", "response", "smart_qa"):
        rule = f"entry-{kind}" if m[f"{kind}_entries"] else f"entry-{kind}-missing"
        findings.append(Finding(rule=rule, page=CN_HOME, message=kind, severity="info", evidence={"kind": kind}))
    unlinked = m["interpretations"] - m["interpretations_linked"]
    for n in range(m["interpretations"]):
        rule = "interpretation-unlinked" if n < unlinked else "interpretation-linked"
        findings.append(Finding(rule=rule, page=f"{CN_HOME}zcjd/{n}.html", message="解读", severity="warning"))
    return CheckResult(status="ok", metrics=m, findings=findings)
