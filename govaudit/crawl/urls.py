"""URL normalisation: one canonical string per resource, the way a browser would request it.

Resolution follows the WHATWG URL standard for the special schemes http/https (backslashes count
as slashes, `http:foo` is relative to an http base, leading slashes before the host are skipped,
hosts go through UTS #46 to punycode, IPv4 numbers in any notation are canonicalised). Percent-
encoding is then canonicalised the RFC 3986 way (every character outside the RFC's sets encoded,
hex upper-case, escapes of unreserved characters decoded) so that two spellings of one URL compare
equal. The result is idempotent: normalize_url(normalize_url(x)) == normalize_url(x).

Every public function here is total: hostile input gives None / "" / "invalid", never an exception.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import unquote_to_bytes

import idna

from govaudit.crawl.charset import resolve_encoding

DEFAULT_PORTS = {"http": 80, "https": 443}

# WHATWG strips leading/trailing C0 controls and space, and removes tab/CR/LF anywhere.
_C0_SPACE = "".join(chr(i) for i in range(0x21))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")

# RFC 3986 character sets (percent signs are handled separately).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Each token is a valid escape, a stray '%', or a run of characters that must be encoded.
_PATH_TOKENS = re.compile(r"%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]+")
_QUERY_TOKENS = re.compile(r"%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+")
_USER_TOKENS = re.compile(r"%[0-9A-Fa-f]{2}|%|[^A-Za-z0-9\-._~!$&'()*+,;=:%]+")
_SURROGATE = re.compile("[\ud800-\udfff]")

# WHATWG forbidden domain code points (plus "%" once the host has been percent-decoded).
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_IPV4_LAST = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_HEX_PART = re.compile(r"0[xX][0-9A-Fa-f]*")
_OCT_PART = re.compile(r"0[0-7]+")
_DEC_PART = re.compile(r"0|[1-9][0-9]*")

# Kinds of link, see link_kind().
PLACEHOLDER_SCHEMES = frozenset({"javascript", "about"})
_PROBE_BASE = "http://probe.invalid/"


def clean(raw: str) -> str:
    """The URL text a browser would use: C0/space trimmed, tab/CR/LF removed."""
    s = raw.strip(_C0_SPACE)
    if "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\t", "").replace("\n", "").replace("\r", "")
    return s


def normalize_url(url: str, base: str | None = None, encoding: str = "utf-8") -> str | None:
    """Absolute, canonical http(s) URL for `url` (resolved against `base`), or None.

    None means: not http/https, not resolvable (relative without a base), or malformed (bad host,
    bad port). `encoding` is the page's encoding, used for the query string as browsers do.
    """
    if base is not None and isinstance(url, str):
        # Most hrefs repeat from page to page (menus, footers, breadcrumbs) and resolve the same
        # against every page of one folder: resolved once per folder, not once per page.
        first = url.lstrip(_C0_SPACE)[:1]
        folder = _folder(base) if first and first not in "?#" else None
        if folder is not None:
            return _normalize_in_folder(url, folder, encoding)
    try:
        return _normalize(url, base, encoding)
    except Exception:  # a hostile URL must never stop a crawl; None is "unusable URL"
        return None


def _folder(base: str) -> str | None:
    """A canonical `base` cut after its last path slash (query dropped); None for any other base
    (odd bases go the long way, where the general parser decides)."""
    cut = base.find("#")
    plain = base if cut < 0 else base[:cut]
    if not _is_fast_absolute(plain):
        return None
    q = plain.find("?")
    path_end = len(plain) if q < 0 else q
    return plain[: plain.rfind("/", 0, path_end) + 1]


@lru_cache(maxsize=16_384)
def _normalize_in_folder(url: str, folder: str, encoding: str) -> str | None:
    try:
        return _normalize(url, folder, encoding)
    except Exception:  # a hostile URL must never stop a crawl; None is "unusable URL"
        return None


# Already-canonical forms, by far the most common hrefs, skip the general parser (the property
# tests check that both paths agree): an absolute URL with a lower-case DNS name or a dotted IPv4
# address without leading zeros, a port only when it is not the scheme's default, no userinfo,
# no escapes, no dot segments; and a root-relative path of the same kind. (Without the address
# and port forms every link of a site served at 127.0.0.1:8711 took the general parser and missed
# the per-folder cache: 2.7 s of 7 s CPU on a 3,000-page crawl.)
_PATH_CHARS = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]*"
_QUERY_PART = r"(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?]+)?"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_FAST_ABSOLUTE = re.compile(
    rf"(?P<scheme>https?)://(?P<host>(?:[a-z0-9_\-]{{1,63}}\.)*[a-z][a-z0-9_\-]{{0,62}}\.?|{_OCTET}(?:\.{_OCTET}){{3}})"
    rf"(?::(?P<port>[1-9][0-9]{{0,4}}))?/{_PATH_CHARS}{_QUERY_PART}"
)


def _is_fast_absolute(url: str) -> bool:
    m = _FAST_ABSOLUTE.fullmatch(url)
    if m is None or len(m.group("host")) > 254:
        return False
    port = m.group("port")
    return port is None or (int(port) <= 65535 and int(port) != DEFAULT_PORTS[m.group("scheme")])

_FAST_ROOTED = re.compile(rf"/(?![/\\]){_PATH_CHARS}{_QUERY_PART}")
# A folder-relative path of the same kind ("xwdt/index.html", "../zcwj/"): its first segment has no
# ':' (that would be a scheme or invalid), and it is neither a bare "?query" nor "//host".
_FAST_RELATIVE = re.compile(rf"(?=[^?/])[A-Za-z0-9\-._~!$&'()*+,;=@]*(?:/{_PATH_CHARS})?{_QUERY_PART}")


@lru_cache(maxsize=4096)
def _canonical_folder(base: str) -> tuple[str, str] | None:
    """(origin, path) of a canonical base that ends in '/' with no query: relative paths of the
    fast kind resolve against it by joining and removing dot segments, nothing else."""
    if not base.endswith("/") or "?" in base or "#" in base or not _is_fast_absolute(base):
        return None
    cut = base.index("/", base.index("://") + 3)
    return base[:cut], base[cut:]


def _normalize(url: str, base: str | None, encoding: str) -> str | None:
    if not isinstance(url, str):
        return None
    ref = clean(url)
    if "#" in ref:
        ref = ref[: ref.find("#")]
    if not ref and base is not None:  # "#section" links: the page itself
        parts = _base_parts(base)
        if parts is None:
            return None
        return f"{parts[0]}://{parts[1]}{parts[2]}" + (f"?{parts[3]}" if parts[3] else "")
    if "/." not in ref:
        if _is_fast_absolute(ref):
            return ref
        if base is not None and _FAST_ROOTED.fullmatch(ref):
            parts = _base_parts(base)
            if parts is not None:
                return f"{parts[0]}://{parts[1]}{ref}"
    if base is not None and _FAST_RELATIVE.fullmatch(ref):
        folder = _canonical_folder(base)
        if folder is not None:
            path, q, query = ref.partition("?")
            return folder[0] + _remove_dots(folder[1] + path) + q + query
    return _normalize_general(ref, base, encoding)


def _normalize_general(ref: str, base: str | None, encoding: str) -> str | None:
    m = _SCHEME.match(ref)
    if m:
        scheme = m.group(1).lower()
        if scheme not in DEFAULT_PORTS:
            return None
        rest = ref[m.end():]
        if not rest.startswith(("/", "\\")) and base is not None:
            parts = _base_parts(base)
            if parts is not None and parts[0] == scheme:
                # WHATWG: "http:foo" on an http page is relative to that page.
                return _resolve(parts, rest, encoding)
        return _absolute(scheme, rest.lstrip("/\\"), encoding)
    if base is None:
        return None
    if _bad_relative(ref):
        return None
    parts = _base_parts(base)
    if parts is None:
        return None
    return _resolve(parts, ref, encoding)


def _bad_relative(ref: str) -> bool:
    """RFC 3986 4.2: a relative reference's first segment may not contain ':' (e.g. ':' or '1a:b')."""
    if ":" not in ref:
        return False
    end = len(ref)
    for ch in "/\\?#":
        i = ref.find(ch)
        if 0 <= i < end:
            end = i
    return ":" in ref[:end]


@lru_cache(maxsize=512)
def _base_parts(base: str) -> tuple[str, str, str, str | None] | None:
    """(scheme, authority, path, query) of a normalised base URL; cached (one base per page)."""
    norm = normalize_url(base)
    if norm is None:
        return None
    scheme, _, rest = norm.partition("://")
    slash = rest.find("/")
    authority, tail = rest[:slash], rest[slash:]
    path, q, query = tail.partition("?")
    return scheme, authority, path, (query if q else None)


def _resolve(parts: tuple[str, str, str, str | None], ref: str, encoding: str) -> str | None:
    scheme, authority, bpath, bquery = parts
    ref = ref.split("#", 1)[0]
    if ref.startswith(("//", "\\\\", "/\\", "\\/")):
        return _absolute(scheme, ref.lstrip("/\\"), encoding)
    if ref.startswith(("/", "\\")):
        path_query = ref
    elif ref.startswith("?"):
        path_query = bpath + ref
    elif ref == "":
        path_query = bpath + ("?" + bquery if bquery is not None else "")
    else:
        path_query = bpath[: bpath.rfind("/") + 1] + ref
    path, q, query = path_query.partition("?")
    return _assemble(scheme, authority, path, query if q else None, encoding)


def _absolute(scheme: str, rest: str, encoding: str) -> str | None:
    """Parse `authority[path][?query][#fragment]` (slashes after the scheme already skipped)."""
    rest = rest.split("#", 1)[0]
    end = len(rest)
    for ch in "/\\?":
        i = rest.find(ch)
        if 0 <= i < end:
            end = i
    authority = _authority(scheme, rest[:end])
    if authority is None:
        return None
    path, q, query = rest[end:].partition("?")
    return _assemble(scheme, authority, path, query if q else None, encoding)


def _assemble(scheme: str, authority: str, path: str, query: str | None, encoding: str) -> str:
    path = _remove_dots(_pct(path.replace("\\", "/"), _PATH_TOKENS, "utf-8"))
    out = f"{scheme}://{authority}{path or '/'}"
    if query:  # an empty query ("?") is dropped: servers treat /a? and /a alike
        out += "?" + _pct(query, _QUERY_TOKENS, _query_codec(encoding))
    return out


@lru_cache(maxsize=64)
def _query_codec(encoding: str) -> str:
    """Codec for query strings: the page's, except that UTF-16 pages use UTF-8 (WHATWG)."""
    codec = resolve_encoding(encoding) or "utf-8"
    return "utf-8" if codec.startswith("utf-16") else codec


def _pct(text: str, tokens: re.Pattern[str], codec: str) -> str:
    """Canonical percent-encoding: decode unreserved escapes, upper-case hex, encode the rest."""
    if not tokens.search(text):
        return text

    def repl(m: re.Match[str]) -> str:
        tok = m.group(0)
        if len(tok) == 3 and tok[0] == "%":
            ch = chr(int(tok[1:], 16))
            return ch if ch in _UNRESERVED else tok.upper()
        if not tok.isascii():
            tok = _SURROGATE.sub("\ufffd", tok)
        data = tok.encode(codec, "xmlcharrefreplace")  # browsers send &#N; for unencodable chars
        return "".join(chr(b) if chr(b) in _UNRESERVED else f"%{b:02X}" for b in data)

    return tokens.sub(repl, text)


def _remove_dots(path: str) -> str:
    """RFC 3986 5.2.4 remove_dot_segments, for a path starting with '/'."""
    if not path.startswith("/"):
        path = "/" + path
    if "/." not in path:  # every dot segment starts right after a slash
        return path
    segs = path.split("/")[1:]
    out: list[str] = []
    for seg in segs:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    if segs and segs[-1] in (".", ".."):
        out.append("")  # "/a/b/.." names the directory "/a/"
    return "/" + "/".join(out)


@lru_cache(maxsize=4096)
def _authority(scheme: str, auth: str) -> str | None:
    """Canonical `userinfo@host:port` (cached: a site's links share a handful of hosts)."""
    userinfo = ""
    at = auth.rfind("@")
    if at >= 0:
        userinfo, auth = auth[:at], auth[at + 1:]
    if auth.startswith("["):
        close = auth.find("]")
        if close < 0:
            return None
        hostpart, after = auth[: close + 1], auth[close + 1:]
        if after and not after.startswith(":"):
            return None
        port = after[1:]
    else:
        colon = auth.rfind(":")
        hostpart, port = (auth[:colon], auth[colon + 1:]) if colon >= 0 else (auth, "")
    host = _host(hostpart)
    if host is None:
        return None
    if port:
        if not (port.isascii() and port.isdigit()):
            return None
        number = int(port)
        if number > 65535:
            return None
        if number != DEFAULT_PORTS[scheme]:
            host = f"{host}:{number}"
    if userinfo and userinfo != ":":
        host = _pct(userinfo, _USER_TOKENS, "utf-8") + "@" + host
    return host


def _host(h: str) -> str | None:
    """Lower-case ASCII host (punycode for IDN, canonical IPv4/IPv6), or None if invalid."""
    if not h:
        return None
    if h[0] == "[":
        if h[-1] != "]":
            return None
        try:
            ip6 = ipaddress.IPv6Address(h[1:-1])
        except ValueError:
            return None
        return None if ip6.scope_id else f"[{ip6.compressed}]"
    if "%" in h:
        try:
            h = unquote_to_bytes(h).decode("utf-8")
        except UnicodeError:
            return None
    if h.isascii():
        h = h.lower()
    else:
        h = _idn_to_ascii(h)
        if h is None:
            return None
    if _FORBIDDEN_HOST.search(h):
        return None
    labels = h.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels = labels[:-1]  # a trailing dot (FQDN) is allowed once
    if _IPV4_LAST.fullmatch(labels[-1]):
        return _ipv4(labels)
    if len(h) > 254 or any(not lab or len(lab) > 63 for lab in labels):
        return None  # empty label (".example.org", "a..b") or over DNS limits
    return h


def _idn_to_ascii(host: str) -> str | None:
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, ValueError):
        return None
    out: list[str] = []
    for label in mapped.split("."):
        if label.isascii():
            out.append(label.lower())
            continue
        try:
            out.append(idna.alabel(label).decode("ascii"))
        except (idna.IDNAError, UnicodeError, ValueError):
            # IDNA2008 context/bidi rules failed; browsers (UTS #46, non-strict) still accept
            # the mapped label, so encode it as they do.
            try:
                out.append("xn--" + label.encode("punycode").decode("ascii"))
            except UnicodeError:
                return None
    return ".".join(out)


def _ipv4(labels: list[str]) -> str | None:
    """WHATWG IPv4 parser: 127.1, 0x7f.0.0.1 and 2130706433 all mean 127.0.0.1."""
    if len(labels) > 4 or any(len(part) > 63 for part in labels):
        return None  # (also keeps int() far from its 4,300-digit limit)
    nums: list[int] = []
    for part in labels:
        # int() alone would accept "-1", "+1", " 1" and "1_0"
        if _HEX_PART.fullmatch(part):
            nums.append(int(part[2:], 16) if len(part) > 2 else 0)
        elif _OCT_PART.fullmatch(part):
            nums.append(int(part[1:], 8))
        elif _DEC_PART.fullmatch(part):
            nums.append(int(part, 10))
        else:
            return None
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        return None
    value = nums[-1]
    for i, n in enumerate(nums[:-1]):
        value += n * 256 ** (3 - i)
    return str(ipaddress.IPv4Address(value))


# ---- link classification ----------------------------------------------------------------------


def classify(raw: str) -> tuple[str, str]:
    """(kind, cleaned text) from the scheme alone; http-ish refs still need resolving."""
    s = clean(raw) if isinstance(raw, str) else ""
    if s == "" or s == "#":
        return "placeholder", s
    m = _SCHEME.match(s)
    if m is None:
        return ("invalid" if _bad_relative(s) else "http"), s
    scheme = m.group(1).lower()
    if scheme in DEFAULT_PORTS:
        return "http", s
    if scheme in PLACEHOLDER_SCHEMES:
        return "placeholder", s
    if scheme in ("mailto", "tel", "data"):
        return scheme, s
    return "other", s


def link_kind(raw: str) -> str:
    """http | placeholder | mailto | tel | data | other | invalid, for a URL as written in a page.

    placeholder: empty, a bare '#', `javascript:` and `about:` (no target to check).
    Relative references are http unless they cannot be resolved (checked against a probe base).
    """
    try:
        kind, s = classify(raw)
        if kind == "http" and normalize_url(s, _PROBE_BASE) is None:
            return "invalid"
        return kind
    except Exception:  # total by contract
        return "invalid"


def fragment_of(raw: str) -> str:
    """The #fragment as written (without '#'), or ""."""
    if not isinstance(raw, str):
        return ""
    s = clean(raw)
    i = s.find("#")
    return s[i + 1:] if i >= 0 else ""


def _netloc(url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of an absolute URL, userinfo removed; ("", "") if none."""
    if not isinstance(url, str):
        return "", ""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "", ""
    end = len(rest)
    for ch in "/?#\\":
        i = rest.find(ch)
        if 0 <= i < end:
            end = i
    netloc = rest[:end]
    return scheme.lower(), netloc[netloc.rfind("@") + 1:].lower()


def netloc_of(url: str) -> str:
    """Lower-case "host[:port]" of an absolute URL (no userinfo), "" if there is none."""
    return _netloc(url)[1]


def host_of(url: str) -> str:
    """Lower-case host of an absolute URL (IPv6 keeps its brackets), "" if there is none."""
    _, netloc = _netloc(url)
    if netloc.startswith("["):
        return netloc[: netloc.find("]") + 1] if "]" in netloc else ""
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def origin_of(url: str) -> str:
    """"scheme://host[:port]" of a URL (port only when not the default), "" if not http(s)."""
    norm = normalize_url(url)
    if norm is None:
        return ""
    scheme, netloc = _netloc(norm)
    return f"{scheme}://{netloc}"
