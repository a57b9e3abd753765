"""Writes for pay benchmarking: neighbours' pay ranges per role from a CSV
(``Council,Role,PayYear,Minimum,Maximum`` and optionally ``Source``), all or nothing.

Kept apart from ``pay.services`` (the pay spine, points and payments) so the two grow
independently. Every problem is reported with its row, column and value, all at once;
with any problem nothing is written. A council, role and pay year already held is
replaced by the file's figures (loading next year's file, or a corrected one, is safe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.census.parse import Limits, NotACensusReturn, _csv_rows, sniff_kind
from workforce.census.validate import SALARY_RANGE, formula_problem, number_or_message

from .choices import BenchmarkRole
from .models import PayBenchmark

COLUMNS = ("Council", "Role", "PayYear", "Minimum", "Maximum")
OPTIONAL = ("Source",)
#: A benchmark file: a few councils x a few roles x a few years.
LIMITS = Limits(rows=5_000, columns=20, cell_chars=300)
PAY_YEAR = re.compile(r"([0-9]{4})[/-]([0-9]{2})")
ROLES = {
    **{role.value: role.value for role in BenchmarkRole},
    **{role.label.casefold(): role.value for role in BenchmarkRole},
}


@dataclass(frozen=True)
class BenchmarkImport:
    rows: int
    created: int
    updated: int


def pay_year_or_none(text: str) -> str | None:
    """``2024/25`` from ``2024/25`` or ``2024-25``; None if it is not a pay year."""
    match = PAY_YEAR.fullmatch(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if not (2000 <= first <= 2100) or (first + 1) % 100 != second:
        return None
    return f"{first}/{second:02d}"


def _money(text: str) -> tuple[object, str | None]:
    value = number_or_message(text)
    if isinstance(value, str):
        return None, value
    low, high = SALARY_RANGE
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return None, "Pounds and pence: at most 2 decimal places."
    if not (low <= value <= high):
        return (
            None,
            f"Not a full-time annual salary: give pounds a year from £{low:,.0f} to £{high:,.0f}.",
        )
    return value, None


def pay_benchmarks_import(
    *, data: bytes, source: str = "", dry_run: bool = False
) -> BenchmarkImport:
    """Load neighbours' pay ranges from CSV bytes. Raises ``ValidationError`` listing every
    problem (``row N, Column = 'value': message``); writes nothing then."""
    problems: list[str] = []

    def bad(where: str, column: str, value: str, message: str) -> None:
        shown = f" = {value!r}" if value else ""
        problems.append(f"{where}, {column}{shown}: {message}" if column else f"{where}: {message}")

    try:
        if sniff_kind(data) != "csv":
            raise NotACensusReturn("A pay benchmark file is a CSV (comma-separated) file.")
        rows = _csv_rows(data, LIMITS)
    except NotACensusReturn as exc:
        raise ValidationError([str(exc).replace("census return", "pay benchmark file")]) from None
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        if missing:
            bad("row 1", "", "", f"The header row needs the columns {', '.join(COLUMNS)}; "
                f"missing: {', '.join(missing)}.")  # fmt: skip
        if unknown:
            bad("row 1", "", "", f"Not a column of a pay benchmark file: {', '.join(unknown)}.")
        raise ValidationError(problems)
    wanted: dict[tuple[str, str, str], dict] = {}
    first_row: dict[tuple[str, str, str], str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in row):
            continue
        where = f"row {number}"
        values = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(header) if c}
        council = values["Council"]
        if not council:
            bad(where, "Council", "", "Missing: name the council.")
        elif formula_problem(council):
            bad(where, "Council", council, "Cannot start with = + - or @.")
            council = ""
        elif len(council) > 100:
            bad(where, "Council", council[:20] + "...", "At most 100 characters.")
            council = ""
        role = ROLES.get(values["Role"].casefold())
        if role is None:
            allowed = "; ".join(f"{r.value} ({r.label})" for r in BenchmarkRole)
            bad(where, "Role", values["Role"], f"Unknown role; the roles are {allowed}.")
        year = pay_year_or_none(values["PayYear"])
        if year is None:
            bad(where, "PayYear", values["PayYear"], "Not a pay year: write it like 2024/25.")
        low, message = _money(values["Minimum"])
        if message:
            bad(where, "Minimum", values["Minimum"], message)
        high, message = _money(values["Maximum"])
        if message:
            bad(where, "Maximum", values["Maximum"], message)
        if low is not None and high is not None and high < low:
            bad(where, "Maximum", values["Maximum"], f"Below the minimum (£{low:,}).")
        source_text = values.get("Source", "") or source
        if formula_problem(source_text):
            bad(where, "Source", source_text, "Cannot start with = + - or @.")
        if not (council and role and year):
            continue
        key = (council.casefold(), role, year)
        if key in wanted:
            bad(where, "Council", council, f"Also in {first_row[key]} for the same role and "
                "pay year: give each council's range once.")  # fmt: skip
            continue
        first_row[key] = where
        wanted[key] = {
            "council": council, "role": role, "pay_year": year, "minimum": low,
            "maximum": high, "source": source_text[:255],
        }  # fmt: skip
    if not wanted and not problems:
        bad("file", "", "", "The file has no pay ranges.")
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    with transaction.atomic():
        held = {
            (b.council.casefold(), b.role, b.pay_year): b
            for b in PayBenchmark.objects.filter(pay_year__in={k[2] for k in wanted})
        }
        for key, fields in wanted.items():
            current = held.get(key)
            if current is None:
                PayBenchmark.objects.create(**fields)
                created += 1
            else:
                for name, value in fields.items():
                    setattr(current, name, value)
                current.save()
                updated += 1
        if dry_run:
            transaction.set_rollback(True)
    return BenchmarkImport(rows=len(wanted), created=created, updated=updated)
