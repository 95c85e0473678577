"""The sentences govaudit itself adds to an indicator's detail, in each language a profile may use.

A profile's own `detail` templates are written in its `language`; scoring and coverage add frames
around them (why it could not be judged, that a number is ours, what the crawl did not see). Those
frames come from this one table, so a Chinese profile's detail column reads in Chinese from start
to end. Evidence quoted from a check (a reason it gives in words) is shown as the check wrote it.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "zh")

# key -> language -> str.format template. Every key has every language (checked by the tests).
PHRASES: dict[str, dict[str, str]] = {
    # scoring: could not be judged
    "check_missing": {"en": "check {check!r} did not run", "zh": "检查 {check} 未运行"},
    "check_status": {"en": "check {check!r} ended with status {status}{why}", "zh": "检查 {check} 以状态 {status} 结束{why}"},
    "status_why": {"en": ": {error}", "zh": "：{error}"},
    "metric_absent": {"en": "metric {name} is absent from check {check!r}", "zh": "检查 {check} 没有给出指标 {name}"},
    "metric_none": {"en": "metric {name} has no value{why}", "zh": "指标 {name} 没有值{why}"},
    "not_number": {"en": "{name} is not a number ({value}); cannot compare {comparison}",
                   "zh": "{name} 不是数值（{value}），无法比较 {comparison}"},
    "not_number_units": {"en": "{name} is not a number ({value})", "zh": "{name} 不是数值（{value}）"},
    "not_enough": {"en": "not enough data: {metric} = {value}, needs {when}{why}",
                   "zh": "数据不足：{metric} = {value}，需要 {when}{why}"},
    "no_metrics": {"en": "check {check!r} reported no metrics: nothing shows what it looked at",
                   "zh": "检查 {check} 没有报告任何指标：无从证明它看过什么"},
    "reason": {"en": " ({reason})", "zh": "（{reason}）"},
    # scoring: does not apply
    "not_applicable": {"en": "not applicable: {why}", "zh": "不适用：{why}"},
    "applies_when": {"en": "{metric} = {value}, applies when {when}", "zh": "{metric} = {value}，适用条件为 {when}"},
    "not_inspected": {"en": "not inspected: {group} does not apply to a department without public services",
                      "zh": "不检查：无政务服务职能的部门不适用{group}"},
    # scoring: appended to a judged detail
    "partial": {"en": "; partial: {why}", "zh": "；仅部分可判：{why}"},
    "capped": {"en": "; capped at {points} points", "zh": "；封顶 {points} 分"},
    "our_points": {"en": "; {points} points by govaudit's own numbers (unverified, not official)",
                   "zh": "；{points} 分按 govaudit 自定分值计（未经核实，非官方）"},
    "our_veto": {"en": "; the veto's threshold is govaudit's own (unverified, not official)",
                 "zh": "；该否决阈值为 govaudit 自定（未经核实，非官方）"},
    "bonus_not_added": {"en": "; bonus not added: {why}", "zh": "；加分不计入：{why}"},
    "bonus_after_veto": {"en": "a veto failed", "zh": "存在单项否决"},
    "bonus_below": {"en": "deduction score {score} is not above {threshold}",
                    "zh": "扣分部分得分 {score} 未超过 {threshold}"},
    "joined": {"en": "; ", "zh": "；"},
    # scoring: the generic sentence when a profile gives no template
    "subject_metric": {"en": "{metric} = {value}", "zh": "{metric} = {value}"},
    "subject_count": {"en": "{count} matching findings", "zh": "相关问题 {count} 条"},
    "generic_veto": {"en": "{subject}; veto when {when}", "zh": "{subject}；{when} 时否决"},
    "generic_points": {"en": "{subject}: {sign}{points} points", "zh": "{subject}：{sign}{points} 分"},
    # coverage: what the audit did not see (the reasons a pass became partial)
    "cut_max_pages": {"en": "{n} URLs not crawled because of the page cap (--max-pages)",
                      "zh": "{n} 个网址因页面上限（--max-pages）未抓取"},
    "cut_max_depth": {"en": "{n} URLs not crawled because of the depth limit (--max-depth)",
                      "zh": "{n} 个网址因深度上限（--max-depth）未抓取"},
    "cut_budget": {"en": "{n} URLs not crawled because of the time budget (--budget)",
                   "zh": "{n} 个网址因时间预算（--budget）用尽未抓取"},
    "cut_shape_bound": {"en": "{n} URLs not crawled because of the trap guard's bound on one URL shape",
                        "zh": "{n} 个网址因同一网址形态的数量上限（陷阱防护）未抓取"},
    "cut_stopped": {"en": "the crawl stopped at a limit (max pages or the time budget)",
                    "zh": "抓取在上限处停止（页面上限或时间预算）"},
    "cut_unchecked_budget": {"en": "{n} link targets not checked because the time budget ran out",
                             "zh": "{n} 个链接目标因时间预算用尽未检查"},
    "cut_pages_cut": {"en": "{n} pages read only up to the body cap (their links after the cut not seen)",
                      "zh": "{n} 个页面只读取到正文大小上限（其后的链接未见）"},
    "cut_home_budget": {"en": "{n} of the home page's link targets not checked (time budget)",
                        "zh": "首页有 {n} 个链接目标未检查（时间预算用尽）"},
}


def say(language: str, key: str, **fields: Any) -> str:
    """The phrase `key` in `language` (English when the language has none), filled with `fields`."""
    table = PHRASES[key]
    return table.get(language, table["en"]).format(**fields)
