"""Anti-bot challenge pages: a firewall answering in place of the site.

Such an answer is neither the page (its text and links belong to the challenge) nor proof that
the link is broken (a person's browser solves it): the fetcher reports it as error `blocked` and
the audit says so instead of scoring challenge HTML as content or as a dead link.

Signatures are the vendors' own markers, not guesses from wording: Cloudflare's managed
challenge, and the JavaScript cookie challenges common on Chinese government portals (Rivers
Security / 瑞数, Jiasule / 加速乐, Alibaba Cloud WAF's acw_sc__v2), plus a few generic
"checking your browser" interstitials that only count on a refusing status.
"""

from __future__ import annotations

SCAN_BYTES = 32 * 1024  # challenge pages are small; their markers sit near the top
REFUSING = frozenset({202, 403, 412, 429, 503, 521})
_CLOUDFLARE = (b"_cf_chl_opt", b"/cdn-cgi/challenge-platform/", b"cf-browser-verification", b"cf_chl_prog")
_GENERIC = (b"<title>just a moment...</title>", b"checking your browser before accessing",
            b"attention required! | cloudflare", b"ddos-guard", b"please enable javascript and cookies",
            "请开启JavaScript并刷新该页".encode(), "正在进行安全检测".encode(), "浏览器安全检查".encode())


def challenge(status: int | None, headers: dict[str, str], body: bytes | None) -> str | None:
    """Which challenge answered (a short name), or None for an ordinary response.

    `headers` has lower-case keys (as FetchResult.headers); `body` may be None (HEAD).
    """
    if status is None:
        return None
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return "Cloudflare challenge"
    head = (body or b"")[:SCAN_BYTES]
    if not head:
        return None
    low = head.lower()
    if any(m in low for m in _CLOUDFLARE) and status in REFUSING:
        return "Cloudflare challenge"
    # Rivers Security serves its script challenge with 202 or 412; protected pages that passed
    # carry the same script with 200, so the status decides.
    if status in (202, 412) and b"$_ts" in head and (b"r='m'" in head or b'r="m"' in head):
        return "Rivers Security (瑞数) challenge"
    if b"_jsl_clearance" in head and (status == 521 or len(head) < 4096):
        return "Jiasule (加速乐) challenge"
    if b"acw_sc__v2" in head and len(head) < 8192:
        return "Alibaba Cloud WAF challenge"
    if status in REFUSING and any(m in low for m in _GENERIC):
        return "anti-bot challenge"
    return None
