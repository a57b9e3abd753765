"""What the app keeps and for how long: one list, read from the settings, shown to admins
on the retention page (``core.views.RetentionView``) and written out in docs/privacy.md
(a test keeps the two the same at the default settings)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Kept:
    what: str
    how_long: str
    how: str


def period(days: int) -> str:
    """``730`` -> "2 years", ``365`` -> "1 year", ``14`` -> "14 days"."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def retention_rules() -> list[Kept]:
    exit_text = int(getattr(settings, "EXIT_TEXT_RETENTION_DAYS", 730))
    packs = int(getattr(settings, "REPORT_PACK_RETENTION_DAYS", 730))
    links = int(getattr(settings, "EXIT_LINK_VALID_DAYS", 14))
    return [
        Kept(
            "Exit questionnaire free text and quotes",
            f"{period(exit_text)} after the leaving date",
            "Erased every night (manage.py erase_exit_text does the same). The coded themes, "
            "scores and reasons are kept. Free text is never written to the audit log.",
        ),
        Kept(
            "Committee report packs and their files",
            f"{period(packs)} after the pack was asked for",
            "Deleted every night (manage.py delete_expired_report_packs does the same). A "
            "pack that printed a quote whose free text is erased is rebuilt without it.",
        ),
        Kept(
            "Exit questionnaire links",
            f"{period(links)} after the link was made",
            "Only a hash of the link is stored; the link works once.",
        ),
        Kept(
            "Audit log (who changed what, and when)",
            "Until an administrator deletes older entries",
            "No automatic deletion: run manage.py auditlogflush --before-date DATE as the "
            "council's records policy says. Exit free text and applicants' personal data are "
            "never in it.",
        ),
        Kept(
            "Leavers' workforce records (person, employments, terms, caseloads, absence)",
            "Kept: no automatic deletion",
            "Needed for the DfE census (each year's leavers) and for turnover and stability "
            "over several years. Correct or remove them under the council's HR records policy.",
        ),
        Kept(
            "Applicants' personal data",
            "Until deleted on request",
            "Delete it from the application's page; dates and stages stay for the figures.",
        ),
    ]
