"""Interaction response (政民互动): channels, message boards, reply times, activities.

Entry point `govaudit.checks.interaction:InteractionCheck`. Modules: words (vocabulary), channels (finding
and classifying channels), listing (reading list and message pages), reader (pagination and
message pages through the fetcher or renderer), measure (calendar months, overdue, statistics),
siteconfig (CSS selectors from the site config), check (the check itself).
"""

from govaudit.checks.interaction.check import InteractionCheck

__all__ = ["InteractionCheck"]
