"""Crawl stage: fetch a site politely and turn its pages into a SiteSnapshot."""
