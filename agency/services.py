"""Writes to the agency register: placements (with their cap sign-offs), price caps, the
regional leavers exchange and the CSV imports.

Functions are keyword-only, atomic, and validate everything before writing: a problem
raises ``ValidationError`` with every message at once (by field, or by row for imports),
and nothing is half-saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.models import Agency, Employment, Person, Team
from workforce.selectors import assignment_on
from workforce.services import Errors, normalise_swe_number

from . import rules, selectors
from .choices import RoleCategory, SignOffRole
from .models import AgencyPlacement, CapSignOff, RegionalLeaver, RegionalPriceCap
from .regional import FILE_COLUMNS, regional_key, swe_hash

PLACEMENT_FIELDS = (
    "swe_number",
    "agency",
    "team",
    "role_category",
    "pay_rate",
    "charge_rate",
    "hours_per_week",
    "start_date",
    "end_date",
    "notice_weeks",
    "reference_obtained_on",
    "reference_given_on",
    "is_project_team",
    "project_worker_approved",
    "project_costs_broken_down",
    "declared_la_months",
)
#: The most hours a week a placement can be recorded with (a typing mistake beyond).
MAX_HOURS_PER_WEEK = Decimal("60")


def _fmt(date: dt.date) -> str:
    return rules.fmt(date)


def _link_to_workforce(placement: AgencyPlacement) -> None:
    """Attach the placement to the worker's record, and to their agency employment active
    on the start date, when the app knows them; the team follows the employment's."""
    person = Person.objects.filter(swe_number=placement.swe_number).first()
    placement.person = person
    if person is None:
        placement.employment = None
        return
    employment = placement.employment
    if employment is None or employment.person_id != person.pk:
        employment = _agency_employment_on(person, placement)
    placement.employment = employment
    if placement.team_id is None and employment is not None:
        assignment = assignment_on(employment=employment, date=placement.start_date)
        placement.team = assignment.team if assignment else None


def _agency_employment_on(person: Person, placement: AgencyPlacement) -> Employment | None:
    candidates = Employment.objects.filter(
        person=person, contract_type="agency", start_date__lte=placement.start_date
    ).order_by("-start_date")
    for employment in candidates:
        if employment.end_date is not None and employment.end_date <= placement.start_date:
            continue
        taken = AgencyPlacement.objects.filter(employment=employment).exclude(pk=placement.pk)
        if not taken.exists():
            return employment
    return None


def _check_placement(errors: Errors, placement: AgencyPlacement) -> None:
    if placement.end_date and placement.start_date and placement.end_date < placement.start_date:
        errors.add("end_date", "The end date cannot be before the start date.")
    if placement.hours_per_week is not None and placement.hours_per_week > MAX_HOURS_PER_WEEK:
        errors.add("hours_per_week", f"Enter no more than {MAX_HOURS_PER_WEEK} hours a week.")
    charge, pay = placement.charge_rate, placement.pay_rate
    if charge is not None and pay is not None and charge < pay:
        errors.add("charge_rate", "The charge rate includes the pay rate: it cannot be lower.")
    if not placement.is_project_team and (
        placement.project_worker_approved or placement.project_costs_broken_down
    ):
        errors.add(
            "is_project_team",
            "Tick 'project team or packaged model' or clear its approval and cost questions.",
        )
    # An agency named for the first time is created only when the placement is saved.
    unsaved_agency = placement.agency_id is None and getattr(placement, "agency", None) is not None
    try:
        placement.full_clean(exclude=["person", "employment", *(["agency"] * unsaved_agency)])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.add(field, message)


def _check_sign_offs(errors: Errors, sign_offs: dict[str, dict]) -> None:
    unknown = sorted(set(sign_offs) - set(SignOffRole.values))
    if unknown:
        errors.add(
            "sign_offs",
            f"Sign-offs are by {' and '.join(SignOffRole.values)} (not {', '.join(unknown)}).",
        )
    for role, data in sign_offs.items():
        if role in unknown:
            continue
        label = SignOffRole(role).label
        if not (data.get("signed_by") or "").strip():
            errors.add(f"{role}_signed_by", f"Enter who signed off as {label}.")
        if not data.get("signed_on"):
            errors.add(f"{role}_signed_on", f"Enter the date the {label} signed off.")
        if not (data.get("reason") or "").strip():
            errors.add(f"{role}_reason", f"Enter the {label}'s reason for paying above the cap.")


def placement_validate(
    *,
    placement: AgencyPlacement | None = None,
    sign_offs: dict[str, dict] | None = None,
    allow_over_cap: bool = False,
    **fields,
) -> AgencyPlacement:
    """Every check a placement must pass to be saved, in one place (the pages, the API
    and the imports all come here): ``fields`` are set on ``placement`` (a new unsaved one
    if None), nothing is written. Raises ``ValidationError`` with every problem by field:
    the dates, hours and rates, the project team answers, the sign-offs (by
    ``dcs``/``chief_executive``, each with who, when and why), and a rate above the
    regional cap without both sign-offs (now or recorded before)."""
    unknown = set(fields) - set(PLACEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown placement fields: {', '.join(sorted(unknown))}")
    placement = placement if placement is not None else AgencyPlacement()
    sign_offs = {role: data for role, data in (sign_offs or {}).items() if data}
    for name, value in fields.items():
        setattr(placement, name, value)
    placement.swe_number = normalise_swe_number(placement.swe_number or "")
    if placement.declared_la_months is None:
        placement.declared_la_months = 0
    errors = Errors()
    _check_placement(errors, placement)
    _check_sign_offs(errors, sign_offs)
    if not errors.errors and not allow_over_cap:
        existing = (
            set(placement.cap_sign_offs.values_list("role", flat=True)) if placement.pk else set()
        )
        _, facts = selectors.placement_check(
            placement, sign_off_roles=existing | set(sign_offs), as_of=placement.start_date
        )
        if rules.over_cap(facts) and not {"dcs", "chief_executive"} <= existing | set(sign_offs):
            rate = rules.capped_rate(facts.pay_rate, facts.cap)
            errors.add(
                "pay_rate",
                f"£{rate} an hour is above the {facts.cap.region} cap of £{facts.cap.hourly_cap}: "
                "record the sign-offs of both the Director of Children's Services and the "
                "chief executive to save it.",
            )
    errors.raise_if_any()
    return placement


@transaction.atomic
def placement_save(
    *,
    placement: AgencyPlacement | None = None,
    sign_offs: dict[str, dict] | None = None,
    recorded_by=None,
    allow_over_cap: bool = False,
    employment: Employment | None = None,
    **fields,
) -> AgencyPlacement:
    """Record a placement or change one. ``sign_offs`` maps ``dcs``/``chief_executive`` to
    ``{"signed_by", "signed_on", "reason"}``; a rate above the regional cap is saved only
    when both are recorded (now or before). Other broken rules are the caller's to warn of
    (``agency.selectors.placement_check``); they do not stop the save. An import of past
    placements passes ``allow_over_cap``: the breach is recorded and reported, not hidden.
    ``employment``: the agency employment it describes (the starter journey), kept when it
    is the same worker's; otherwise their agency employment active on the start date."""
    placement = placement or AgencyPlacement()
    if employment is not None and employment.contract_type == "agency":
        placement.employment = employment
    sign_offs = {role: data for role, data in (sign_offs or {}).items() if data}
    placement_validate(
        placement=placement, sign_offs=sign_offs, allow_over_cap=allow_over_cap, **fields
    )
    _link_to_workforce(placement)
    placement.save()
    for role, data in sign_offs.items():
        CapSignOff.objects.update_or_create(
            placement=placement,
            role=role,
            defaults={
                "signed_by": data["signed_by"].strip(),
                "signed_on": data["signed_on"],
                "reason": data["reason"].strip(),
                "recorded_by": recorded_by,
            },
        )
    return placement


# --- CSV helpers --------------------------------------------------------------------


def _read_csv(text: str, columns: list[str], required: Iterable[str] = ()) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    present = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in (required or columns) if c not in present]
    if missing:
        raise ValidationError({"file": [f"Missing column(s): {', '.join(missing)}."]})
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _date(value: str, what: str, problems: list[str], required: bool = True) -> dt.date | None:
    if not value:
        if required:
            problems.append(f"{what} is empty")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{what} {value!r} is not a date (YYYY-MM-DD)")
        return None


def _decimal(value: str, what: str, problems: list[str], required: bool = True) -> Decimal | None:
    if not value:
        if required:
            problems.append(f"{what} is empty")
        return None
    try:
        number = Decimal(value.replace("£", "").replace(",", ""))
    except InvalidOperation:
        problems.append(f"{what} {value!r} is not a number")
        return None
    if not number.is_finite() or number <= 0:
        problems.append(f"{what} must be more than 0")
        return None
    return number


def _int(value: str, what: str, problems: list[str]) -> int | None:
    if not value:
        problems.append(f"{what} is empty")
        return None
    if not value.isdigit():
        problems.append(f"{what} {value!r} is not a whole number")
        return None
    return int(value)


def _yes_no(value: str, what: str, problems: list[str]) -> bool:
    if value.lower() in ("yes", "no"):
        return value.lower() == "yes"
    problems.append(f"{what} must be yes or no (not {value!r})")
    return False


def _raise_rows(problems: list[str]) -> None:
    if problems:
        raise ValidationError({"file": problems})


# --- Imports --------------------------------------------------------------------------

PLACEMENT_COLUMNS = [
    "SWENo",
    "Agency",
    "RoleCategory",
    "StartDate",
    "EndDate",
    "HourlyRate",
    "HoursPerWeek",
    "ProjectTeam",
    "ReferenceObtained",
    "NoticeWeeks",
    "LAExperienceMonths",
]
#: Optional extra columns the import also reads.
PLACEMENT_OPTIONAL_COLUMNS = ["ChargeRate", "Team"]


@transaction.atomic
def placements_import(*, text: str) -> list[AgencyPlacement]:
    """Import placements from CSV (``PLACEMENT_COLUMNS``): all or nothing, every problem
    reported with its row. ``ReferenceObtained`` is yes (obtained before the start) or no.
    An agency not yet known is created; a SWE number the app knows joins that person's record.
    A rate above the cap is imported as it is and reported as a CAP breach until both
    sign-offs are recorded in the browser."""
    rows = _read_csv(text, PLACEMENT_COLUMNS)
    problems: list[str] = []
    parsed = []
    teams = {team.name.lower(): team for team in Team.objects.all()}
    for number, row in enumerate(rows, start=2):
        mine: list[str] = []
        swe = normalise_swe_number(row.get("SWENo", ""))
        if not swe:
            mine.append("SWENo is empty")
        agency_name = row.get("Agency", "")
        if not agency_name:
            mine.append("Agency is empty")
        category = row.get("RoleCategory", "")
        if category not in RoleCategory.values:
            mine.append(f"RoleCategory {category!r} is not one of {', '.join(RoleCategory.values)}")
        start = _date(row.get("StartDate", ""), "StartDate", mine)
        end = _date(row.get("EndDate", ""), "EndDate", mine, required=False)
        pay = _decimal(row.get("HourlyRate", ""), "HourlyRate", mine)
        charge = _decimal(row.get("ChargeRate", ""), "ChargeRate", mine, required=False)
        hours = _decimal(row.get("HoursPerWeek", ""), "HoursPerWeek", mine)
        project = _yes_no(row.get("ProjectTeam", ""), "ProjectTeam", mine)
        reference = _yes_no(row.get("ReferenceObtained", ""), "ReferenceObtained", mine)
        notice = _int(row.get("NoticeWeeks", ""), "NoticeWeeks", mine)
        months_text = row.get("LAExperienceMonths", "") or "0"
        months = _int(months_text, "LAExperienceMonths", mine)
        team = None
        if row.get("Team"):
            team = teams.get(row["Team"].lower())
            if team is None:
                mine.append(f"Team {row['Team']!r} is not a team of the council")
        # A placement already recorded (same SWE number and start) is updated, not repeated.
        existing = (
            AgencyPlacement.objects.filter(swe_number=swe, start_date=start).first()
            if swe and start
            else None
        )
        fields = {
            "swe_number": swe,
            "role_category": category,
            "start_date": start,
            "end_date": end,
            "pay_rate": pay,
            "charge_rate": charge,
            "hours_per_week": hours,
            "notice_weeks": notice,
            "reference_obtained_on": start if reference else None,
            "is_project_team": project,
            # The CSV says nothing of approval: a project-team row is checked as not approved.
            "declared_la_months": months,
            "team": team,
        }
        if not mine:
            try:
                with transaction.atomic():
                    agency, _ = Agency.objects.get_or_create(name=agency_name)
                    parsed.append(
                        placement_save(
                            placement=existing, agency=agency, allow_over_cap=True, **fields
                        )
                    )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    mine.extend(f"{field}: {message}" for message in messages)
        problems.extend(f"Row {number}: {problem}" for problem in mine)
    if problems:
        transaction.set_rollback(True)
        _raise_rows(problems)
    return parsed


@transaction.atomic
def price_caps_import(*, text: str) -> list[RegionalPriceCap]:
    """Load regional price caps (``Region,RoleCategory,EffectiveFrom,HourlyCap``): all or
    nothing; a cap already recorded for the same region, category and date is replaced."""
    rows = _read_csv(text, ["Region", "RoleCategory", "EffectiveFrom", "HourlyCap"])
    problems: list[str] = []
    parsed = []
    seen = set()
    for number, row in enumerate(rows, start=2):
        mine: list[str] = []
        region = row.get("Region", "")
        if not region:
            mine.append("Region is empty")
        category = row.get("RoleCategory", "")
        if category not in RoleCategory.values:
            mine.append(f"RoleCategory {category!r} is not one of {', '.join(RoleCategory.values)}")
        start = _date(row.get("EffectiveFrom", ""), "EffectiveFrom", mine)
        cap = _decimal(row.get("HourlyCap", ""), "HourlyCap", mine)
        key = (region.lower(), category, start)
        if not mine and key in seen:
            mine.append("the same region, role category and date appear on an earlier row")
        seen.add(key)
        if cap is not None and cap.as_tuple().exponent < -2:
            mine.append("HourlyCap has more than 2 decimal places")
        problems.extend(f"Row {number}: {problem}" for problem in mine)
        parsed.append((region, category, start, cap))
    _raise_rows(problems)
    saved = []
    for region, category, start, cap in parsed:
        obj, _ = RegionalPriceCap.objects.update_or_create(
            region=region,
            role_category=category,
            effective_from=start,
            defaults={"hourly_cap": cap},
        )
        saved.append(obj)
    return saved


def regional_leavers_export(*, start: dt.date, end: dt.date) -> str:
    """The CSV of this council's permanent leavers from ``start`` to ``end``: keyed hash of
    the SWE number, leaving date, LA code. Nothing else about the person leaves the council."""
    regional_key()  # refuse plainly before writing anything without a key
    la_code = selectors.council_la_code()
    if not la_code:
        raise ValidationError("Record the council and its LA code first (in the admin).")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FILE_COLUMNS)
    for number, left_on in selectors.permanent_leavers(start=start, end=end):
        writer.writerow([swe_hash(number), left_on.isoformat(), la_code])
    return out.getvalue()


@transaction.atomic
def regional_leavers_import(*, text: str) -> int:
    """Load another council's regional leavers file: all or nothing. Rows of a council
    outside this council's region, or of this council itself, are refused."""
    regional_key()
    rows = _read_csv(text, FILE_COLUMNS)
    own_code = selectors.council_la_code()
    region = selectors.council_region()
    problems: list[str] = []
    parsed = []
    for number, row in enumerate(rows, start=2):
        mine: list[str] = []
        digest = row.get("SWEHash", "").lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            mine.append("SWEHash is not a 64-character keyed hash")
        left_on = _date(row.get("LeavingDate", ""), "LeavingDate", mine)
        la_code = row.get("LACode", "")
        if not la_code:
            mine.append("LACode is empty")
        elif la_code == own_code:
            mine.append(f"LA {la_code} is this council: its own leavers are already known")
        else:
            theirs = selectors.region_of_la_code(la_code)
            if region and theirs and theirs.lower() != region.lower():
                mine.append(f"LA {la_code} is in {theirs}, not in this council's region ({region})")
        problems.extend(f"Row {number}: {problem}" for problem in mine)
        parsed.append((digest, left_on, la_code))
    _raise_rows(problems)
    created = 0
    for digest, left_on, la_code in parsed:
        _, made = RegionalLeaver.objects.get_or_create(
            swe_hash=digest, leaving_date=left_on, la_code=la_code
        )
        created += made
    return created
