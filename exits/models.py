"""Exits: exit records, questionnaires and themes for every leaver.
Filled by the exits issue; builds on ``workforce`` (never the reverse)."""
