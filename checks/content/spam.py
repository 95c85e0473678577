"""What gambling, pornography and parked-domain pages say: keyword lists and a scored verdict.

Strong terms name the thing itself (百家乐, 真人视讯, casino, 成人视频, "this domain is for sale");
weak ones only lean that way (彩票, 娱乐, 福利, bet). A page reads as gambling or pornography when
its title holds a strong term and the page scores at least `TITLE_SCORE`, or its text scores at
least `TEXT_SCORE` with `DISTINCT_STRONG` different strong terms; one parked-domain phrase is
enough. Government hosts (.gov.cn, .gov) and the state lotteries are never called gambling sites.
Extra terms: option `spam_terms = {gambling = [...], porn = [...], parked = [...]}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govaudit.errors import UsageError

STRONG: dict[str, tuple[str, ...]] = {
    # Words an operator's own page uses; news about a crackdown says 赌博/赌场/色情 instead (weak).
    "gambling": (
        "娱乐城", "百家乐", "真人娱乐", "真人视讯", "体育投注", "网上投注", "线上投注", "时时彩", "北京赛车",
        "开元棋牌", "新葡京", "澳门葡京", "威尼斯人娱乐", "太阳城娱乐", "金沙娱乐", "银河娱乐", "皇冠体育", "注册送",
        "首存", "彩金", "返水", "bet365", "亚博体育", "开云体育", "乐鱼体育", "九游会", "半岛体育", "casino",
        "baccarat", "roulette", "sportsbook", "online betting", "slot machine", "jackpot",
    ),
    "porn": (
        "成人视频", "成人电影", "黄色网站", "黄色视频", "av在线", "无码", "国产自拍", "约炮", "裸聊", "三级片",
        "福利视频", "黄片", "人妻", "porn", "sex video", "hentai", "nsfw",
    ),
    "parked": (
        "domain is for sale", "domain may be for sale", "buy this domain", "domain for sale", "this domain has expired",
        "domain has expired", "renew this domain", "parked free", "parkingcrew", "sedoparking", "sedo domain parking",
        "bodis.com", "afternic", "hugedomains", "域名出售", "域名正在出售", "域名待售", "此域名出售", "该域名出售",
        "本域名出售", "域名已过期", "域名转让",
    ),
}
WEAK: dict[str, tuple[str, ...]] = {
    "gambling": ("赌博", "赌场", "博彩", "网上赌", "六合彩", "老虎机", "彩票", "投注", "下注", "开户", "娱乐", "澳门",
                 "棋牌", "体育", "bet", "poker", "slots"),
    "porn": ("色情", "偷拍", "成人", "美女", "福利", "直播", "激情", "少妇", "sex", "adult", "xxx", "escort"),
    "parked": (),
}
# Host labels that mark a spam destination on their own.
HOST_TOKENS: dict[str, tuple[str, ...]] = {
    "gambling": ("casino", "bet365", "betting", "baccarat", "poker", "bocai", "dubo", "yulecheng", "caipiao", "amdc",
                 "pujing", "xpj", "ag88", "bet"),
    "porn": ("porn", "xxx", "sex", "jav", "18av", "avtt", "seqing", "huangse"),
}
SAFE_SUFFIXES = (".gov.cn", ".gov")
SAFE_DOMAINS = ("sporttery.cn", "zhcw.com")  # the state lotteries' own sites (福彩 / 体彩)
TITLE_SCORE, TEXT_SCORE, DISTINCT_STRONG = 3, 8, 3
STRONG_WEIGHT, WEAK_WEIGHT = 3, 1


@dataclass(slots=True)
class Lexicon:
    strong: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(STRONG))
    weak: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(WEAK))

    def hits(self, text: str, category: str) -> tuple[list[str], list[str]]:
        low = text.lower()
        return ([t for t in self.strong[category] if _has(low, t)], [t for t in self.weak.get(category, ()) if _has(low, t)])


def _has(low: str, term: str) -> bool:
    """Chinese terms as substrings; Latin ones as whole words ("bet" is not in "between")."""
    if term not in low:
        return False
    if not term.isascii():
        return True
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", low) is not None


@dataclass(slots=True)
class Verdict:
    category: str | None  # gambling | porn | parked | None
    triggers: list[str] = field(default_factory=list)
    where: str = ""  # title | text | anchor | host


def lexicon(options: dict[str, Any]) -> Lexicon:
    lex = Lexicon()
    given = options.get("spam_terms")
    if given is None:
        return lex
    if not isinstance(given, dict):
        raise UsageError("checks.content.spam_terms must be a table of category -> list of terms")
    for cat, terms in given.items():
        if cat not in STRONG or not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
            raise UsageError(f"checks.content.spam_terms.{cat}: use gambling, porn or parked with a list of terms")
        lex.strong[cat] = lex.strong[cat] + tuple(t.lower() for t in terms)
    return lex


def safe_host(host: str) -> bool:
    h = host.lower().rstrip(".")
    return h.endswith(SAFE_SUFFIXES) or any(h == d or h.endswith("." + d) for d in SAFE_DOMAINS)


def judge_page(title: str, text: str, host: str, lex: Lexicon) -> Verdict:
    """What an external page now is, from its title and text."""
    for where, body in (("title", title), ("text", text)):
        strong, _ = lex.hits(body, "parked")
        if strong:
            return Verdict("parked", strong[:5], where)
    if safe_host(host):
        return Verdict(None)
    best: Verdict = Verdict(None)
    best_score = 0
    for cat in ("gambling", "porn"):
        t_strong, t_weak = lex.hits(title, cat)
        x_strong, x_weak = lex.hits(text, cat)
        title_score = STRONG_WEIGHT * len(t_strong) + WEAK_WEIGHT * len(t_weak)
        text_score = STRONG_WEIGHT * len(x_strong) + WEAK_WEIGHT * len(x_weak)
        if t_strong and title_score + text_score >= TITLE_SCORE and title_score + text_score > best_score:
            best, best_score = Verdict(cat, t_strong + t_weak, "title"), title_score + text_score
        elif text_score >= TEXT_SCORE and len(x_strong) >= DISTINCT_STRONG and text_score > best_score:
            best, best_score = Verdict(cat, x_strong[:8], "text"), text_score
    return best


def judge_anchor(text: str, host: str, lex: Lexicon) -> Verdict:
    """Does a (hidden) link's own text or host say gambling or pornography?"""
    if safe_host(host):
        return Verdict(None)
    labels = re.split(r"[.\-]", host.lower())
    for cat in ("gambling", "porn"):
        strong, weak = lex.hits(text, cat)
        if strong or len(weak) >= 2:
            return Verdict(cat, strong + weak, "anchor")
        tokens = [t for t in HOST_TOKENS[cat] if any(lab == t or (len(t) > 3 and t in lab) for lab in labels)]
        if tokens:
            return Verdict(cat, tokens, "host")
    return Verdict(None)
