"""Recruitment: vacancies, campaigns, applications and their stages, induction.
Filled by the recruitment issue; builds on ``workforce`` (never the reverse)."""
