"""Tests of the interaction-response check (政民互动, issue #4)."""
