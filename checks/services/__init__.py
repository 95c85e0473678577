"""Services (办事服务): 办事指南 key elements for the 服务不实用 veto, online service entries, and the
bonus items a crawl can see (政策解读 linked to its policy, 回应关切, data opening, online services,
智能问答).

Entry point `govaudit.checks.services:ServicesCheck`. Modules: guides (finding guide pages and reading
their elements), entries (links by kind, 政策解读 → policy links), check (the check itself).
"""

from govaudit.checks.services.check import ServicesCheck

__all__ = ["ServicesCheck"]
