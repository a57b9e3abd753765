"""Writes of the pay app: load the pay spine, set a worker's spinal point, confirm an
increment, record an incentive payment. Keyword-only and atomic; every problem raised at
once as a ``ValidationError``, nothing half-saved."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.choices import ContractType
from workforce.models import Employment

from .choices import PointChangeReason
from .models import IncentivePayment, IncentiveScheme, SpinePoint, WorkerPoint

SPINE_COLUMNS = ("pay_year", "effective_from", "scp", "annual_salary", "source")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@transaction.atomic
def pay_spine_import(*, text: str) -> int:
    """Load a pay spine CSV (``pay_year,effective_from,scp,annual_salary,source``). Every
    row is checked first; a problem anywhere names its row and nothing is saved. A pay year
    and point already loaded is replaced. Returns the number of rows loaded."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in SPINE_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"The file has no {', '.join(missing)} column(s).")
    problems: list[str] = []
    rows: list[SpinePoint] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(reader, start=2):
        where = f"Row {number}"
        year = (row.get("pay_year") or "").strip()
        start = _date(row.get("effective_from") or "")
        if not year or len(year) != 7 or year[4] != "/":
            problems.append(f"{where}: pay year {year!r} is not like 2024/25.")
        if start is None:
            problems.append(f"{where}: effective_from {row.get('effective_from')!r} is not a date.")
        elif year[:4].isdigit() and start.year != int(year[:4]):
            problems.append(f"{where}: {start} is not in pay year {year}.")
        try:
            scp = int((row.get("scp") or "").strip())
            if not 1 <= scp <= 99:
                raise ValueError
        except ValueError:
            problems.append(f"{where}: SCP {row.get('scp')!r} is not a point from 1 to 99.")
            scp = None
        try:
            salary = Decimal((row.get("annual_salary") or "").replace(",", "").replace("£", ""))
            if not salary.is_finite() or salary <= 0 or salary >= Decimal("10000000"):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"{where}: salary {row.get('annual_salary')!r} is not an amount.")
            salary = None
        if start and scp:
            if (start, scp) in seen:
                problems.append(f"{where}: SCP {scp} from {start} repeats row {seen[start, scp]}.")
            seen[start, scp] = number
        if start and scp and salary:
            rows.append(
                SpinePoint(
                    pay_year=year,
                    effective_from=start,
                    scp=scp,
                    annual_salary=salary.quantize(Decimal("0.01")),
                    source=(row.get("source") or "").strip()[:255],
                )
            )
    if not rows and not problems:
        problems.append("The file has no rows.")
    if problems:
        raise ValidationError(problems)
    for start in {row.effective_from for row in rows}:
        SpinePoint.objects.filter(
            effective_from=start, scp__in=[r.scp for r in rows if r.effective_from == start]
        ).delete()
    SpinePoint.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def worker_point_set(
    *,
    employment: Employment,
    effective_from: dt.date,
    scp: int,
    reason: str = PointChangeReason.START,
    user=None,
) -> WorkerPoint:
    """Put a permanent worker on spinal point ``scp`` from ``effective_from``; the current
    point, if any, ends that day."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    errors: dict[str, list[str]] = {}
    current = employment.pay_points.order_by("-effective_from").first()
    if employment.contract_type == ContractType.AGENCY:
        errors.setdefault("employment", []).append("Agency workers are not on the pay spine.")
    if effective_from < employment.start_date:
        errors.setdefault("effective_from", []).append("This is before the worker started.")
    if employment.end_date and effective_from >= employment.end_date:
        errors.setdefault("effective_from", []).append("The worker had left by then.")
    if current and effective_from <= current.effective_from:
        errors.setdefault("effective_from", []).append(
            f"The change must be after the latest recorded point ({current.effective_from})."
        )
    if current and current.scp == scp and not errors:
        errors.setdefault("scp", []).append(f"The worker is already on SCP {scp}.")
    if not SpinePoint.objects.filter(scp=scp, effective_from__lte=effective_from).exists():
        errors.setdefault("scp", []).append(f"SCP {scp} is not on the pay spine on that date.")
    if errors:
        raise ValidationError(errors)
    if current:
        current.effective_to = effective_from
        current.save(update_fields=["effective_to", "updated_at"])
    point = WorkerPoint(
        employment=employment, effective_from=effective_from, scp=scp, reason=reason,
        recorded_by=user,
    )  # fmt: skip
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def increment_confirm(*, employment: Employment, date: dt.date, user=None) -> WorkerPoint:
    """HR confirms a worker's annual increment on the increment date: one point up,
    never past the top of their grade on that date."""
    from .selectors import increments_due

    due = {row.employment.pk: row for row in increments_due(on=date)}
    row = due.get(employment.pk)
    if row is None:
        raise ValidationError(
            "No increment is due for this worker on that date (top of grade, no point or grade "
            "recorded, or not in post)."
        )
    return worker_point_set(
        employment=employment, effective_from=date, scp=row.to_scp,
        reason=PointChangeReason.INCREMENT, user=user,
    )  # fmt: skip


@transaction.atomic
def incentive_payment_record(
    *,
    scheme: IncentiveScheme,
    employment: Employment,
    due_date: dt.date,
    amount: Decimal,
    paid_on: dt.date,
    user=None,
) -> IncentivePayment:
    """Record that a due incentive payment was paid (once per scheme, worker and due date)."""
    from .selectors import incentive_dues, permanent_employments

    errors: dict[str, list[str]] = {}
    employments = permanent_employments(
        start=employment.start_date, end=due_date, pks=[employment.pk]
    )
    due = incentive_dues(start=due_date, end=due_date, employments=employments)
    if not any(d.scheme.pk == scheme.pk for d in due):
        errors.setdefault("__all__", []).append(
            f"No {scheme} payment is due to this worker on {due_date:%d %B %Y}."
        )
    if amount is None or amount <= 0:
        errors.setdefault("amount", []).append("Enter the amount paid, more than £0.")
    if IncentivePayment.objects.filter(
        scheme=scheme, employment=employment, due_date=due_date
    ).exists():
        errors.setdefault("__all__", []).append("This payment is already recorded as paid.")
    if errors:
        raise ValidationError(errors)
    payment = IncentivePayment(
        scheme=scheme, employment=employment, due_date=due_date, amount=amount,
        paid_on=paid_on, recorded_by=user,
    )  # fmt: skip
    payment.full_clean()
    payment.save()
    return payment
