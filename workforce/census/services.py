"""Writes for the DfE census return: import (XML/CSV/XLSX), export, and caseload imports.

``census_import`` reads a return, checks every rule (``validate``) and, only if there is
no error, writes it in one transaction with a handful of bulk queries (a 5,000-worker
return is a few dozen queries, not tens of thousands). Audit entries naming the
importing user are written in bulk (``audit.AuditTrail``). A dry run does the same work
and rolls it back, which is how the browser preview knows what would change.

How a return maps to the workforce records, and the choices made where DfE is silent:

- A person is their SWENo (case-insensitive); an employment is (SWENo, RoleStartDate).
- Person details (birth date, gender, ethnicity, qualification) come from the latest
  return that gives them, whatever the import order; a blank never clears a value.
- **Terms (assignments) are a function of all the returns that list the employment**, so
  any import order gives the same history. Each return gives a point: FTE30, OrgRole,
  CFKSSstatus (1 = ASYE) and, for flat files, Team, effective on the reference date (for
  a leaver: FTE at leaving, effective the day before RoleEndDate). The earliest point
  applies from RoleStartDate. A point equal to the terms already in force adds nothing;
  one that differs is an assignment change with reason "import". Changes recorded in
  the app (team moves etc.) are kept between the census points.
- Workers with no team (XML has none; a flat file row with an empty Team) are put in the
  team "Unassigned (census import)"; teams created by an import are case-holding when
  any worker placed in them holds cases (Cases30 > 0), as DfE's Cases30 implies.
  An agency worker with no OrgRole gets 5 (case holder) if Cases30 > 0, else 6.
- **A worker listed in an earlier return and absent from a later one** was not in post
  on the later reference date, but DfE was not told when they left. Their employment is
  ended on the later return's reference date (the latest date both returns allow: still
  in post on the earlier date, not in post on the later one), with ReasonLeave 9 and
  LeaverDestination 8 ("not known") for employed staff. So they count as a leaver in
  the later census year. A RoleEndDate given in any return always wins over this.
- Cases30 becomes a caseload on the reference date (source "census"); WorkingDaysLost one
  sickness absence spanning the census year (1 October to 30 September).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction

from workforce.choices import (
    CaseloadSource,
    ChangeReason,
    ContractType,
    LeaverDestination,
    OrgRole,
    QualificationRoute,
    ReasonLeave,
)
from workforce.models import (
    Assignment,
    CaseloadSnapshot,
    CensusReturn,
    CensusWorkerRecord,
    Council,
    Employment,
    Person,
    ServiceArea,
    SicknessAbsence,
    Team,
)

from .audit import AuditTrail
from .figures import CensusFigures, WorkerFigures, census_figures, census_pay
from .items import (
    COUNCIL_PAY_ELEMENT,
    ITEMS_BY_NAME,
    census_year_start,
    collected,
    council_pay_items,
    worker_item_names,
)
from .parse import FlatFileDetails, Limits, NotACensusReturn, parse_return
from .validate import (
    ERROR,
    WARNING,
    CleanRecord,
    CleanReturn,
    Problem,
    number_or_message,
    validate_return,
)

UNASSIGNED_TEAM = "Unassigned (census import)"
IMPORT_SERVICE_AREA = "Census import"
ONE_DAY = dt.timedelta(days=1)


class CensusError(Exception):
    """An import or export refused, with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclasses.dataclass
class ImportResult:
    """What an import did (or, for a dry run or a refused file, would do / found)."""

    year: int | None = None
    reference_date: dt.date | None = None
    lea: str | None = None
    kind: str = ""
    dry_run: bool = False
    workers: int = 0
    people_created: list[str] = dataclasses.field(default_factory=list)
    people_updated: list[str] = dataclasses.field(default_factory=list)
    employments_created: list[str] = dataclasses.field(default_factory=list)
    employments_updated: list[str] = dataclasses.field(default_factory=list)
    leavers: list[str] = dataclasses.field(default_factory=list)
    agency_workers: list[str] = dataclasses.field(default_factory=list)
    no_longer_in_post: list[str] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    audit_entries: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["reference_date"] = self.reference_date.isoformat() if self.reference_date else None
        data["errors"] = [dataclasses.asdict(p) for p in self.errors]
        data["warnings"] = [dataclasses.asdict(p) for p in self.warnings]
        del data["problems"]
        return data


class _Rollback(Exception):
    pass


def census_return_read(
    *, data: bytes, flat: FlatFileDetails | None = None
) -> tuple[CleanReturn | None, list[Problem]]:
    """Parse and validate a return file; (the clean return, problems)."""
    try:
        raw = parse_return(data, flat=flat)
    except NotACensusReturn as exc:
        return None, [Problem("file", "", "", str(exc))]
    clean = validate_return(raw)
    return clean, clean.problems


def census_import(
    *,
    data: bytes,
    flat: FlatFileDetails | None = None,
    user=None,
    source_name: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Import a census return file. With any error nothing is written and the result's
    ``errors`` list every problem; ``dry_run`` reports what would change and writes nothing."""
    result = ImportResult(dry_run=dry_run)
    clean, problems = census_return_read(data=data, flat=flat)
    result.problems = list(problems)
    if clean is not None:
        result.year, result.reference_date, result.lea = clean.year, clean.reference_date, clean.lea
        result.kind, result.workers = clean.kind, len(clean.records)
    if clean is None or result.errors:
        return result
    try:
        with transaction.atomic(), disable_auditlog():
            _Importer(clean, user=user, source_name=source_name, result=result).run()
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        pass
    except (IntegrityError, DjangoValidationError) as exc:
        result.problems.append(
            Problem("database", "", "", f"The return conflicts with the records held: {exc}")
        )
    if result.errors:
        result.audit_entries = 0
    return result


# --- The importer ---------------------------------------------------------------------

_TERM_FIELDS = ("team_id", "post_id", "grade_id", "org_role", "fte", "is_asye", "cfkss_status")


@dataclasses.dataclass
class _Point:
    """Terms in force from ``date``: census (from a return) or manual (kept as recorded)."""

    date: dt.date
    manual: bool
    terms: dict  # field -> value; census points give only what the return says


def _record_terms(items: dict, in_post: bool, teams: dict[str, Team]) -> dict:
    terms: dict = {}
    fte = items.get("FTE30") if in_post else items.get("FTE")
    if fte not in (None, ""):
        terms["fte"] = Decimal(fte)
    if items.get("OrgRole"):
        terms["org_role"] = int(items["OrgRole"])
    elif items.get("AgencyWorker") == "1":
        cases = int(Decimal(items.get("Cases30") or "0"))
        terms["org_role"] = OrgRole.CASE_HOLDER if cases > 0 else OrgRole.QUALIFIED_NO_CASES
    cfkss = items.get("CFKSSstatus")
    terms["cfkss_status"] = int(cfkss) if cfkss else None
    terms["is_asye"] = cfkss == "1"
    team = teams.get((items.get("Team") or "").strip().casefold())
    if team is not None:
        terms["team_id"] = team.pk
    return terms


class _Importer:
    def __init__(self, clean: CleanReturn, *, user, source_name: str, result: ImportResult):
        self.clean = clean
        self.ref: dt.date = clean.reference_date
        self.year: int = clean.year
        self.user = user
        self.source_name = source_name
        self.result = result
        self.audit = AuditTrail(user)
        self.changed = False

    def error(self, where: str, item: str, value: str, message: str) -> None:
        self.result.problems.append(Problem(where, item, value, message))

    def warn(self, where: str, item: str, value: str, message: str) -> None:
        self.result.problems.append(Problem(where, item, value, message, WARNING))

    # -- steps --

    def run(self) -> None:
        self.census_return = self._census_return()
        if self.result.errors:
            return
        # values from later returns win; with none (the usual, in-order import) skip looking
        self.later_returns = CensusReturn.objects.filter(year__gt=self.year).exists()
        self.teams = self._teams()
        self.people = self._people()
        if self.result.errors:
            return
        self.employments = self._employments()
        if self.result.errors:
            return
        self._worker_records()
        ended = self._end_dates()
        self._assignments()
        self._caseloads()
        self._absences()
        for record in self.clean.records:
            if record.end_date:
                self.result.leavers.append(record.swe_number)
            if record.agency:
                self.result.agency_workers.append(record.swe_number)
        self.result.no_longer_in_post = sorted(ended)
        self.result.audit_entries = len(self.audit.entries)
        if self.audit.entries:
            self.changed = True
        self.audit.write()
        if self.changed:
            self.census_return.save()  # one signal: KPI snapshots know the data moved on

    def _census_return(self) -> CensusReturn:
        clean = self.clean
        council = Council.objects.first()
        if council and council.lea_code and council.lea_code != clean.lea:
            self.error(
                "header",
                "LEA",
                clean.lea,
                f"This return is for LEA {clean.lea}, but this council's code is "
                f"{council.lea_code} ({council.name}).",
            )
        figures = {
            "vacancies_fte": clean.vacancies_fte,
            "agency_cover_fte": clean.agency_cover_fte,
            "agency_cover_headcount": clean.agency_cover_headcount,
            "lea": clean.lea,
        }
        existing = CensusReturn.objects.filter(year=self.year).first()
        # the pay items given (2025 on); one not given keeps the one already held
        pay_items = {**(existing.pay_items if existing else {}), **clean.pay_items}
        if pay_items:
            figures["pay_items"] = pay_items
        if existing is None:
            self.changed = True
            return CensusReturn.objects.create(
                year=self.year,
                reference_date=self.ref,
                source_name=self.source_name[:255],
                imported_by=self.user if getattr(self.user, "pk", None) else None,
                **figures,
            )
        # a figure not given (a flat file without it) keeps the one already held
        updates = {k: v for k, v in figures.items() if v is not None and getattr(existing, k) != v}
        if updates:
            self.changed = True
            for k, v in updates.items():
                setattr(existing, k, v)
            existing.save()
        return existing

    def _teams(self) -> dict[str, Team]:
        """Teams by case-folded name: those named in the file (created on demand) and the
        unassigned team when a worker has none."""
        wanted: dict[str, str] = {}
        holds_cases: dict[str, bool] = defaultdict(bool)
        for record in self.clean.records:
            name = (record.extras.get("Team") or "").strip() or UNASSIGNED_TEAM
            wanted.setdefault(name.casefold(), name)
            holds_cases[name.casefold()] |= bool(record.get("Cases30"))
        teams = {t.name.casefold(): t for t in Team.objects.all()}
        missing = [key for key in wanted if key not in teams]
        if missing:
            area, _ = ServiceArea.objects.get_or_create(name=IMPORT_SERVICE_AREA)
            for key in missing:
                team = Team.objects.create(
                    name=wanted[key], service_area=area, is_case_holding=holds_cases[key]
                )
                teams[key] = team
                self.changed = True
        return teams

    def _people(self) -> dict[str, Person]:
        records = self.clean.records
        by_swe: dict[str, CleanRecord] = {}
        for record in sorted(records, key=lambda r: r.start_date):
            by_swe[record.swe_number] = record  # the latest role's record speaks for the person
        people = {p.swe_number.upper(): p for p in Person.objects.filter(swe_number__in=by_swe)}
        # values given by returns later than this one win, whatever the import order
        later_given: dict[int, set[str]] = defaultdict(set)
        if people and self.later_returns:
            for person_id, items in CensusWorkerRecord.objects.filter(
                census_return__year__gt=self.year,
                employment__person_id__in=[p.pk for p in people.values()],
            ).values_list("employment__person_id", "items"):
                later_given[person_id].update(k for k, v in items.items() if v not in ("", None))
        staff_refs: dict[str, str] = {}
        for swe, record in by_swe.items():
            ref = record.extras.get("StaffRef")
            if ref and ref in staff_refs:
                self.error(
                    record.where, "StaffRef", ref, f"Also given for {staff_refs[ref]} in this file."
                )
            elif ref:
                staff_refs[ref] = swe
        if staff_refs:
            for ref, swe in Person.objects.filter(staff_ref__in=staff_refs).values_list(
                "staff_ref", "swe_number"
            ):
                if swe.upper() != staff_refs[ref]:
                    record = by_swe[staff_refs[ref]]
                    self.error(
                        record.where, "StaffRef", ref, f"Staff reference already used by {swe}."
                    )
        new, changed = [], []
        for swe, record in by_swe.items():
            wanted = self._person_values(record)
            person = people.get(swe)
            if person is None:
                person = Person(swe_number=swe, **wanted)
                new.append(person)
                people[swe] = person
                continue
            given = later_given.get(person.pk, set())
            changes = {}
            for field, (item, value) in self._person_items(record).items():
                if item in given or getattr(person, field) == value:
                    continue
                changes[field] = (getattr(person, field), value)
                setattr(person, field, value)
            if changes:
                changed.append((person, changes))
        if self.result.errors:
            return people
        Person.objects.bulk_create(new, batch_size=1000)
        for person in new:
            self.audit.created(person, ["swe_number", *self._person_values_fields(person)])
            self.result.people_created.append(person.swe_number)
        if changed:
            fields = sorted({f for _, changes in changed for f in changes} | {"updated_at"})
            now = dt.datetime.now(dt.UTC)
            for person, changes in changed:
                person.updated_at = now
                self.audit.updated(person, changes)
                self.result.people_updated.append(person.swe_number)
            Person.objects.bulk_update([p for p, _ in changed], fields, batch_size=1000)
        return people

    @staticmethod
    def _person_items(record: CleanRecord) -> dict:
        """Person field -> (census item, value) for the items this record gives."""
        v = record.get
        out = {}
        if v("PersonBirthDate"):
            out["date_of_birth"] = ("PersonBirthDate", v("PersonBirthDate"))
        if v("GenderCurrent") is not None:
            out["gender"] = ("GenderCurrent", v("GenderCurrent"))
        if v("Ethnicity"):
            out["ethnicity"] = ("Ethnicity", v("Ethnicity"))
        if v("QualInst"):
            out["qualification_institution"] = ("QualInst", v("QualInst")[:200])
        if v("QualLevel"):
            out["qualification_level"] = ("QualLevel", v("QualLevel"))
        if v("StepUpGrad") is True:
            out["qualification_route"] = ("StepUpGrad", QualificationRoute.STEP_UP)
        elif v("FrontlineGrad") is True:
            out["qualification_route"] = ("FrontlineGrad", QualificationRoute.FRONTLINE)
        if record.extras.get("StaffRef"):
            out["staff_ref"] = ("StaffRef", record.extras["StaffRef"])
        return out

    def _person_values(self, record: CleanRecord) -> dict:
        return {field: value for field, (_, value) in self._person_items(record).items()}

    @staticmethod
    def _person_values_fields(person: Person) -> list[str]:
        return [
            f
            for f in (
                "date_of_birth",
                "gender",
                "ethnicity",
                "qualification_institution",
                "qualification_level",
                "qualification_route",
                "staff_ref",
            )
            if getattr(person, f) not in (None, "")
        ]

    def _employments(self) -> dict[tuple[str, dt.date], Employment]:
        people = self.people
        existing = {
            (e.person.swe_number.upper(), e.start_date): e
            for e in Employment.objects.filter(
                person_id__in=[p.pk for p in people.values()]
            ).select_related("person")
        }
        later_given: dict[int, set[str]] = defaultdict(set)
        ids = [e.pk for e in existing.values()]
        if ids and self.later_returns:
            for employment_id, items in CensusWorkerRecord.objects.filter(
                census_return__year__gt=self.year, employment_id__in=ids
            ).values_list("employment_id", "items"):
                later_given[employment_id].update(k for k, v in items.items() if v)
        new, changed = [], []
        employments = {}
        for record in self.clean.records:
            person = people[record.swe_number]
            employment = existing.get(record.key)
            if employment is None:
                employment = Employment(
                    person=person,
                    contract_type=ContractType.AGENCY if record.agency else ContractType.PERMANENT,
                    start_date=record.start_date,
                    start_origin=record.get("StartOrigin"),
                    end_date=record.end_date,
                    leaving_reason=record.get("ReasonLeave"),
                    leaving_destination=record.get("LeaverDestination"),
                )
                new.append(employment)
            else:
                changes = {}
                if record.agency != employment.is_agency:
                    wanted = ContractType.AGENCY if record.agency else ContractType.PERMANENT
                    changes["contract_type"] = (employment.contract_type, wanted)
                    if record.agency is False:
                        changes["agency_id"] = (employment.agency_id, None)
                origin = record.get("StartOrigin")
                if (
                    origin is not None
                    and origin != employment.start_origin
                    and "StartOrigin" not in later_given.get(employment.pk, ())
                ):
                    changes["start_origin"] = (employment.start_origin, origin)
                for field, (_, new_value) in changes.items():
                    setattr(employment, field, new_value)
                if changes:
                    changed.append((employment, changes))
            employments[record.key] = employment
        Employment.objects.bulk_create(new, batch_size=1000)
        self._updated_labels: set[str] = set()
        self._created_labels = {f"{e.person.swe_number} from {e.start_date}" for e in new}
        for employment in new:
            self.audit.created(
                employment,
                ["person", "contract_type", "start_date", "start_origin", "end_date"]
                + ["leaving_reason", "leaving_destination"],
            )
            self.result.employments_created.append(
                f"{employment.person.swe_number} from {employment.start_date}"
            )
        if changed:
            for employment, changes in changed:
                self.audit.updated(employment, changes)
                self._employment_updated(employment)
            fields = sorted({f for _, c in changed for f in c})
            Employment.objects.bulk_update([e for e, _ in changed], fields, batch_size=1000)
        return employments

    def _employment_updated(self, employment: Employment) -> None:
        label = f"{employment.person.swe_number} from {employment.start_date}"
        if label not in self._updated_labels and label not in self._created_labels:
            self._updated_labels.add(label)
            self.result.employments_updated.append(label)

    def _worker_records(self) -> None:
        existing = {
            r.employment_id: r
            for r in CensusWorkerRecord.objects.filter(census_return=self.census_return)
        }
        new, changed, keep = [], [], set()
        for record in self.clean.records:
            employment = self.employments[record.key]
            items = {**record.items, **record.extras}
            keep.add(employment.pk)
            current = existing.get(employment.pk)
            if current is None:
                new.append(
                    CensusWorkerRecord(
                        census_return=self.census_return, employment=employment, items=items
                    )
                )
            elif current.items != items:
                current.items = items
                changed.append(current)
        CensusWorkerRecord.objects.bulk_create(new, batch_size=1000)
        CensusWorkerRecord.objects.bulk_update(changed, ["items"], batch_size=1000)
        gone = [pk for pk in existing.values() if pk.employment_id not in keep]
        if gone:
            CensusWorkerRecord.objects.filter(pk__in=[r.pk for r in gone]).delete()
        if new or changed or gone:
            self.changed = True

    def _end_dates(self) -> dict[str, dt.date]:
        """Set each affected employment's leaving date from all returns (see module doc);
        returns the workers now recorded as not in post because they are absent."""
        in_return = {e.pk for e in self.employments.values()}
        absent = set(
            CensusWorkerRecord.objects.filter(census_return__reference_date__lt=self.ref)
            .exclude(employment_id__in=in_return)
            .filter(employment__end_date__isnull=True)
            .values_list("employment_id", flat=True)
        ) | set(
            CensusWorkerRecord.objects.filter(
                census_return__reference_date__lt=self.ref, employment__end_date__gt=self.ref
            )
            .exclude(employment_id__in=in_return)
            .values_list("employment_id", flat=True)
        )
        affected = in_return | absent
        return_dates = sorted(CensusReturn.objects.values_list("reference_date", flat=True))
        listed: dict[int, list[tuple[dt.date, dict]]] = defaultdict(list)
        for employment_id, ref, items in CensusWorkerRecord.objects.filter(
            employment_id__in=affected
        ).values_list("employment_id", "census_return__reference_date", "items"):
            listed[employment_id].append((ref, items))
        employments = {e.pk: e for e in self.employments.values()}
        missing = [pk for pk in affected if pk not in employments]
        employments.update(
            Employment.objects.select_related("person").in_bulk(missing) if missing else {}
        )
        self.records_by_employment = listed
        starts: dict[int, list[dt.date]] = defaultdict(list)
        for person_id, start in Employment.objects.filter(
            person_id__in={e.person_id for e in employments.values()}
        ).values_list("person_id", "start_date"):
            starts[person_id].append(start)
        changed: list[Employment] = []
        ended: dict[str, dt.date] = {}
        for pk in affected:
            employment = employments[pk]
            rows = sorted(listed[pk], key=lambda row: row[0])
            explicit = [(ref, items) for ref, items in rows if items.get("RoleEndDate")]
            if explicit:
                _, items = explicit[-1]
                wanted = {
                    "end_date": dt.date.fromisoformat(items["RoleEndDate"]),
                    "leaving_reason": int(items["ReasonLeave"])
                    if items.get("ReasonLeave")
                    else None,
                    "leaving_destination": int(items["LeaverDestination"])
                    if items.get("LeaverDestination")
                    else None,
                }
            else:
                last_listed = rows[-1][0]
                later = [d for d in return_dates if d > last_listed]
                # not after the person's next role began (a returner listed without a leaving)
                next_start = min(
                    (d for d in starts[employment.person_id] if d > employment.start_date),
                    default=None,
                )
                if later and next_start and next_start > last_listed:
                    later[0] = min(later[0], next_start)
                if later and (employment.end_date is None or employment.end_date > later[0]):
                    agency = employment.is_agency
                    wanted = {
                        "end_date": later[0],
                        "leaving_reason": None if agency else ReasonLeave.NOT_KNOWN,
                        "leaving_destination": None if agency else LeaverDestination.NOT_KNOWN,
                    }
                    if employment.pk not in in_return and later[0] <= self.ref:
                        ended[employment.person.swe_number] = later[0]
                elif employment.end_date is not None and employment.end_date <= last_listed:
                    # a return says they were in post on ``last_listed``: the return wins
                    wanted = {"end_date": None, "leaving_reason": None, "leaving_destination": None}
                else:
                    continue
            changes = {
                field: (getattr(employment, field), value)
                for field, value in wanted.items()
                if getattr(employment, field) != value
            }
            if changes:
                for field, (_, value) in changes.items():
                    setattr(employment, field, value)
                changed.append(employment)
                self.audit.updated(employment, changes)
                self._employment_updated(employment)
        Employment.objects.bulk_update(
            changed, ["end_date", "leaving_reason", "leaving_destination"], batch_size=1000
        )
        for swe, end in sorted(ended.items()):
            self.warn(
                "database",
                "SWENo",
                swe,
                "In an earlier return but not in this one: recorded as not in post on "
                f"{self.ref} (leaving date set to {end}; reason and destination not known).",
            )
        return ended

    def _assignments(self) -> None:
        employments = {e.pk: e for e in self.employments.values()}
        existing: dict[int, list[Assignment]] = defaultdict(list)
        for assignment in Assignment.objects.filter(employment_id__in=list(employments)).order_by(
            "effective_from"
        ):
            existing[assignment.employment_id].append(assignment)
        unassigned = self.teams.get(UNASSIGNED_TEAM.casefold(), None)
        to_create, to_update, to_delete = [], [], []
        self.teams_by_id = {team.pk: team for team in Team.objects.all()}
        self.team_on_ref: dict[int, int] = {}
        for pk, employment in employments.items():
            chain = self._chain(employment, existing[pk], unassigned)
            on_ref = [p for p in chain if p["effective_from"] <= self.ref]
            if on_ref:
                self.team_on_ref[pk] = on_ref[-1]["team_id"]
            current = {a.effective_from: a for a in existing[pk]}
            touched = False
            for point in chain:
                old = current.pop(point["effective_from"], None)
                if old is None:
                    new = Assignment(employment=employment, **point)
                    new.team = self.teams_by_id[new.team_id]  # for the audit entry's text
                    to_create.append(new)
                    touched = True
                    continue
                changes = {
                    f: (getattr(old, f), v)
                    for f, v in point.items()
                    if f != "effective_from" and getattr(old, f) != v
                }
                if changes:
                    for f, (_, v) in changes.items():
                        setattr(old, f, v)
                    to_update.append(old)
                    self.audit.updated(old, changes)
                    touched = True
            for old in current.values():
                to_delete.append(old)
                self.audit.deleted(old)
                touched = True
            if touched:
                self._employment_updated(employment)
        if to_delete:
            Assignment.objects.filter(pk__in=[a.pk for a in to_delete]).delete()
        if to_update:
            fields = ["effective_to", "change_reason", *_TERM_FIELDS]
            Assignment.objects.bulk_update(to_update, fields, batch_size=1000)
        Assignment.objects.bulk_create(to_create, batch_size=1000)
        for assignment in to_create:
            self.audit.created(
                assignment,
                ["employment", "effective_from", "team", "org_role", "fte", "is_asye"],
            )

    def _chain(self, employment: Employment, existing: list[Assignment], unassigned) -> list[dict]:
        """The employment's assignments as they should be (see the module docstring)."""
        points: dict[dt.date, _Point] = {}
        for a in existing:
            if a.change_reason != ChangeReason.IMPORT:
                terms = {f: getattr(a, f) for f in _TERM_FIELDS}
                terms["change_reason"] = a.change_reason
                points[a.effective_from] = _Point(a.effective_from, True, terms)
        start, end = employment.start_date, employment.end_date
        for ref, items in sorted(self.records_by_employment.get(employment.pk, [])):
            leaver = bool(items.get("RoleEndDate"))
            terms = _record_terms(items, not leaver, self.teams)
            if leaver:
                leaving = dt.date.fromisoformat(items["RoleEndDate"])
                date = max(start, leaving - ONE_DAY)
            else:
                date = ref
            if end is not None and date >= end and date != start:
                continue
            if date in points:
                points[date].terms.update(terms)
            else:
                points[date] = _Point(date, False, terms)
        if not points:
            return []
        ordered = sorted(points.values(), key=lambda p: p.date)
        if ordered[0].date > start and not ordered[0].manual:
            ordered[0].date = start
        chain: list[dict] = []
        running: dict = {
            "team_id": unassigned.pk if unassigned else None,
            "post_id": None,
            "grade_id": None,
            "org_role": OrgRole.CASE_HOLDER,
            "fte": None,
            "is_asye": False,
            "cfkss_status": None,
        }
        for point in ordered:
            terms = {**running, **{k: v for k, v in point.terms.items() if k != "change_reason"}}
            if terms["team_id"] is None:
                terms["team_id"] = self._unassigned_team().pk
            if terms["fte"] is None:
                continue
            if chain and not point.manual and all(chain[-1][f] == terms[f] for f in _TERM_FIELDS):
                continue
            reason = point.terms.get("change_reason", ChangeReason.IMPORT)
            if chain:
                chain[-1]["effective_to"] = point.date
            chain.append(
                {"effective_from": point.date, "effective_to": None, "change_reason": reason}
                | {f: terms[f] for f in _TERM_FIELDS}
            )
            running = terms
        return chain

    def _unassigned_team(self) -> Team:
        key = UNASSIGNED_TEAM.casefold()
        if key not in self.teams:
            area, _ = ServiceArea.objects.get_or_create(name=IMPORT_SERVICE_AREA)
            self.teams[key], _ = Team.objects.get_or_create(
                name=UNASSIGNED_TEAM, defaults={"service_area": area}
            )
        return self.teams[key]

    def _caseloads(self) -> None:
        ids = [e.pk for e in self.employments.values()]
        existing = {
            s.employment_id: s
            for s in CaseloadSnapshot.objects.filter(employment_id__in=ids, date=self.ref)
        }
        teams_on_ref = self.team_on_ref  # from the assignments just written
        new, changed, gone = [], [], []
        for record in self.clean.records:
            employment = self.employments[record.key]
            cases = record.get("Cases30")
            snapshot = existing.get(employment.pk)
            if record.end_date is not None or cases is None:
                if snapshot is not None and snapshot.source == CaseloadSource.CENSUS:
                    gone.append(snapshot)
                continue
            team_id = teams_on_ref.get(employment.pk) or self._unassigned_team().pk
            if snapshot is None:
                new.append(
                    CaseloadSnapshot(
                        employment=employment,
                        date=self.ref,
                        cases=cases,
                        team_id=team_id,
                        source=CaseloadSource.CENSUS,
                    )
                )
                continue
            changes = {
                f: (getattr(snapshot, f), v)
                for f, v in (("cases", cases), ("team_id", team_id))
                if getattr(snapshot, f) != v
            }
            if changes:
                for f, (_, v) in changes.items():
                    setattr(snapshot, f, v)
                changed.append(snapshot)
                self.audit.updated(snapshot, changes)
        for snapshot in gone:
            self.audit.deleted(snapshot)
        if gone:
            CaseloadSnapshot.objects.filter(pk__in=[s.pk for s in gone]).delete()
        CaseloadSnapshot.objects.bulk_update(changed, ["cases", "team_id"], batch_size=1000)
        CaseloadSnapshot.objects.bulk_create(new, batch_size=1000)
        for snapshot in new:
            self.audit.created(snapshot, ["employment", "date", "cases", "source"])

    def _absences(self) -> None:
        start = census_year_start(self.year)
        ids = [e.pk for e in self.employments.values()]
        existing = {
            a.employment_id: a
            for a in SicknessAbsence.objects.filter(
                employment_id__in=ids, start_date=start, end_date=self.ref
            )
        }
        new, changed, gone = [], [], []
        for record in self.clean.records:
            employment = self.employments[record.key]
            days = record.get("WorkingDaysLost")
            absence = existing.get(employment.pk)
            if days is None:
                if absence is not None:
                    gone.append(absence)
                continue
            if absence is None:
                new.append(
                    SicknessAbsence(
                        employment=employment,
                        start_date=start,
                        end_date=self.ref,
                        working_days_lost=days,
                    )
                )
            elif absence.working_days_lost != days:
                self.audit.updated(
                    absence, {"working_days_lost": (absence.working_days_lost, days)}
                )
                absence.working_days_lost = days
                changed.append(absence)
        for absence in gone:
            self.audit.deleted(absence)
        if gone:
            SicknessAbsence.objects.filter(pk__in=[a.pk for a in gone]).delete()
        SicknessAbsence.objects.bulk_update(changed, ["working_days_lost"], batch_size=1000)
        SicknessAbsence.objects.bulk_create(new, batch_size=1000)
        for absence in new:
            self.audit.created(
                absence, ["employment", "start_date", "end_date", "working_days_lost"]
            )


# --- Export ---------------------------------------------------------------------------


def _dp(value, places: int) -> str:
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


def _on(assignments: list[Assignment], date: dt.date) -> Assignment | None:
    """The assignment in force on ``date`` (the last one starting on or before it)."""
    found = None
    for assignment in assignments:
        if assignment.effective_from <= date:
            found = assignment
    return found


def _council_figures(figures: CensusFigures) -> dict[str, str]:
    """The council-level items: the KPI engine's vacancies and agency cover on the
    reference date (those a return already declared for the year, if any, as the KPIs
    use them); empty where the engine has no figure (no funded posts recorded)."""
    return {
        "NumberOfVacancies": "" if figures.vacancies_fte is None else _dp(figures.vacancies_fte, 2),
        "NoAgencyFTE": "" if figures.agency_cover_fte is None else _dp(figures.agency_cover_fte, 2),
        "NoAgencyHeadcount": ""
        if figures.agency_cover_headcount is None
        else str(figures.agency_cover_headcount),
    }


def census_return_build(*, year: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The return for census ``year`` from the app's own data: (header, worker items),
    for workers in post on 30 September or who started or left in the year."""
    from django.db.models import Q, Sum

    ref, year_start = dt.date(year, 9, 30), census_year_start(year)
    figures = census_figures(reference_date=ref)
    council = Council.objects.first()
    header = {
        "Collection": "CSWW",
        "Year": str(year),
        "ReferenceDate": ref.isoformat(),
        "LEA": council.lea_code if council else "",
        **_council_figures(figures),
    }
    pay_items = council_pay_items(year)
    with_salary = collected(ITEMS_BY_NAME["BaseSalary"], year)
    pay = census_pay(reference_date=ref) if pay_items or with_salary else None
    if pay_items:
        # the incentive schemes active in the year; a council recording none: what the
        # return imported for the year declared (nothing if none was imported)
        declared = CensusReturn.objects.filter(year=year).values_list("pay_items", flat=True)
        offered = pay.incentives if pay.incentives is not None else (declared.first() or {})
        for name in pay_items:
            if name in offered:
                header[name] = "1" if offered[name] else "0"
    employments = list(
        Employment.objects.filter(start_date__lte=ref)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=year_start))
        .select_related("person")
        .order_by("person__swe_number", "start_date")
    )
    ids = [e.pk for e in employments]
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(employment_id__in=ids).order_by("effective_from"):
        assignments[assignment.employment_id].append(assignment)
    # Days lost in the year by leavers and agency workers: return items no KPI counts
    # (the absence rate is for employed staff in post), so not the engine's figures.
    days_lost = dict(
        SicknessAbsence.objects.filter(
            employment_id__in=ids, end_date__gte=year_start, end_date__lte=ref
        )
        .values("employment_id")
        .annotate(days=Sum("working_days_lost"))
        .values_list("employment_id", "days")
    )
    stored = dict(
        CensusWorkerRecord.objects.filter(
            census_return__year=year, employment_id__in=ids
        ).values_list("employment_id", "items")
    )
    workers = []
    for e in employments:
        person, kept = e.person, stored.get(e.pk, {})
        counted = figures.workers.get(e.pk, WorkerFigures())
        leaver = e.end_date is not None and e.end_date <= ref
        on = _on(assignments[e.pk], max(e.start_date, e.end_date - ONE_DAY) if leaver else ref)
        items: dict[str, str] = {
            "AgencyWorker": "1" if e.is_agency else "0",
            "SWENo": person.swe_number,
        }
        # FTE as DfE defines it and the KPIs count it: at leaving for a leaver, else on
        # the reference date (so a starter's FTE is the engine's starter FTE).
        fte = next(
            (f for f in (counted.leaver_fte, counted.starter_fte, counted.fte30) if f is not None),
            on.fte if on is not None else None,
        )
        if fte is not None:
            items["FTE"] = _dp(fte, 6)
        if person.date_of_birth:
            items["PersonBirthDate"] = person.date_of_birth.isoformat()
        if person.gender is not None:
            items["GenderCurrent"] = str(person.gender)
        if person.ethnicity:
            items["Ethnicity"] = person.ethnicity
        if person.qualification_institution:
            items["QualInst"] = person.qualification_institution
        if person.qualification_level:
            items["QualLevel"] = str(person.qualification_level)
        if not e.is_agency or "StepUpGrad" in kept:
            items["StepUpGrad"] = "1" if person.qualification_route == "step_up" else "0"
        if on is not None:
            items["OrgRole"] = str(on.org_role)
        items["RoleStartDate"] = e.start_date.isoformat()
        if e.start_origin:
            items["StartOrigin"] = str(e.start_origin)
        if leaver:
            items["RoleEndDate"] = e.end_date.isoformat()
            if e.leaving_destination:
                items["LeaverDestination"] = str(e.leaving_destination)
            if e.leaving_reason:
                items["ReasonLeave"] = str(e.leaving_reason)
            items["FTE30"] = _dp(0, 6)
        elif counted.fte30 is not None:
            items["FTE30"] = _dp(counted.fte30, 6)
            items["Cases30"] = str(counted.cases30 or 0)
        if counted.working_days_lost is not None:  # employed, in post: the KPIs' figure
            items["WorkingDaysLost"] = _dp(counted.working_days_lost, 2)
        elif not e.is_agency:
            items["WorkingDaysLost"] = _dp(days_lost.get(e.pk) or 0, 2)
        elif e.pk in days_lost:
            items["WorkingDaysLost"] = _dp(days_lost[e.pk], 2)
        if kept.get("ContractWeeks"):
            items["ContractWeeks"] = kept["ContractWeeks"]
        if not e.is_agency or "FrontlineGrad" in kept:
            items["FrontlineGrad"] = "1" if person.qualification_route == "frontline" else "0"
        for name in ("Absat30Sept", "ReasonAbsence"):
            if kept.get(name) and not leaver:
                items[name] = kept[name]
        if on is not None and (on.cfkss_status or on.is_asye):
            items["CFKSSstatus"] = "1" if on.is_asye else str(on.cfkss_status)
        if with_salary and not e.is_agency and not leaver:
            # the spine's salary of the worker's point on 30 September; else the salary an
            # imported return gave for them
            salary = pay.salaries.get(e.pk)
            if salary is not None:
                items["BaseSalary"] = _dp(salary, 2)
            elif kept.get("BaseSalary"):
                items["BaseSalary"] = kept["BaseSalary"]
        workers.append(items)
    return header, workers


def census_export(*, year: int, format: str = "xml") -> bytes:
    """The census return for ``year`` as XML (as sent to DfE) or CSV, after the same
    validation as an import; raises ``CensusError`` listing every problem if invalid."""
    import csv
    import io
    from xml.etree import ElementTree as ET

    from .parse import RawRecord, RawReturn

    item_names = worker_item_names(year)

    header, workers = census_return_build(year=year)
    problems: list[Problem] = []
    if not header["LEA"]:
        problems.append(
            Problem(
                "header", "LEA", "", "No council LEA code is set: an admin must record it first."
            )
        )
    if not header["NumberOfVacancies"]:
        problems.append(
            Problem(
                "header",
                "NumberOfVacancies",
                "",
                f"No vacancies figure for {header['ReferenceDate']}: record the funded posts "
                "(establishment) valid on that date, or import the council's return for the "
                "year, which declares it.",
            )
        )
    raw = RawReturn(
        kind="xml",
        header=header,
        records=[
            RawRecord(where=f"{w['SWENo']} (record {n})", items=dict(w))
            for n, w in enumerate(workers, start=1)
        ],
    )
    problems += [p for p in validate_return(raw).errors if not (p.item == "LEA" and problems)]
    if problems:
        raise CensusError(problems)
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(item_names), lineterminator="\n")
        writer.writeheader()
        writer.writerows(workers)
        return out.getvalue().encode("utf-8")
    if format != "xml":
        raise ValueError(f"Unknown format {format!r}: use xml or csv.")
    root = ET.Element("Message")
    head = ET.SubElement(root, "Header")
    details = ET.SubElement(head, "CollectionDetails")
    for name in ("Collection", "Year", "ReferenceDate"):
        ET.SubElement(details, name).text = header[name]
    source = ET.SubElement(head, "Source")
    for name, value in (
        ("SourceLevel", "L"),
        ("LEA", header["LEA"]),
        ("SoftwareCode", "Workforce"),
        ("Release", "1"),
        ("SerialNo", "1"),
        ("DateTime", dt.datetime.now().replace(microsecond=0).isoformat()),
    ):
        ET.SubElement(source, name).text = value
    vacancies = ET.SubElement(root, "LALevelVacancies")
    for name in ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"):
        ET.SubElement(vacancies, name).text = header[name]
    if council_pay_items(year):
        pay = ET.SubElement(root, COUNCIL_PAY_ELEMENT)
        for name in council_pay_items(year):
            if header.get(name):
                ET.SubElement(pay, name).text = header[name]
    for worker in workers:
        element = ET.SubElement(root, "CSWWWorker")
        for name in item_names:
            if worker.get(name) not in (None, ""):
                ET.SubElement(element, name).text = worker[name]
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


# --- Caseload snapshots -----------------------------------------------------------------


@dataclasses.dataclass
class CaseloadImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    problems: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


#: A caseload file: one row per worker per date (100,000 rows is two years of weekly
#: figures for a thousand workers); a worker's cases are a small whole number.
CASELOAD_LIMITS = Limits(rows=200_000, columns=20)
MAX_CASES = 999


def _caseload_date(text: str) -> dt.date | None:
    if not text.isascii() or len(text) > 10:
        return None  # strptime would read other scripts' digits (and "١٢" is not 12)
    for parse in (
        dt.date.fromisoformat,
        lambda t: dt.datetime.strptime(t, "%d/%m/%Y").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _caseload_cases(text: str, *, confirmed: bool = False) -> int | str:
    """The number of cases in ``text``, or why it is not one: the HR caseload form's rules
    (``workforce.services._check_cases``), so a file cannot save what the form refuses.
    ASCII digits, 0 to ``workforce.services.MAX_CASES`` (more is not possible); above the
    council's ceiling (``caseload_ceiling``, 40 unless set) only when ``confirmed``."""
    from workforce.services import MAX_CASES as MOST_POSSIBLE
    from workforce.services import caseload_ceiling

    number = number_or_message(text)
    if isinstance(number, str):
        return f"Cases must be a whole number, 0 or more. {number}".replace(" Not a number.", "")
    if number < 0 or number != number.to_integral_value():
        return "Cases must be a whole number, 0 or more."
    if number > MOST_POSSIBLE:
        return (
            f"Not possible: no one can hold more than {MOST_POSSIBLE} cases (is this a "
            "team's total?)."
        )
    ceiling = caseload_ceiling()
    if number > ceiling and not confirmed:
        return (
            f"Above the council's ceiling of {ceiling} cases for one worker: check it, and "
            f"confirm the figures above {ceiling} to import them."
        )
    return int(number)


def caseloads_import(
    *, data: bytes, user=None, dry_run: bool = False, confirmed: bool = False
) -> CaseloadImportResult:
    """Import dated caseloads from a CSV (``SWENo`` or ``StaffRef``, ``Date``, ``Cases``,
    optional ``Team``). Every problem is reported with its row, column and value; with any
    error nothing is written. A repeat of a worker and date replaces the earlier figure.
    As on the HR caseload form, a figure above the council's ceiling is an error unless
    ``confirmed`` (the user has checked the figures above it)."""
    from django.db.models import Q
    from django.utils import timezone

    from .parse import NotACensusReturn, _csv_rows, sniff_kind

    result = CaseloadImportResult(dry_run=dry_run)

    def bad(where: str, column: str, value: str, message: str) -> None:
        result.problems.append(Problem(where, column, value, message))

    try:
        if sniff_kind(data) != "csv":
            raise NotACensusReturn("A caseload file is a CSV (comma-separated) file.")
        rows = _csv_rows(data, CASELOAD_LIMITS)
    except NotACensusReturn as exc:
        bad("file", "", "", str(exc).replace("census return", "caseload file"))
        return result
    header = [h.strip() for h in rows[0]] if rows else []
    id_column = "SWENo" if "SWENo" in header else "StaffRef" if "StaffRef" in header else None
    missing = [c for c in ("Date", "Cases") if c not in header]
    if id_column is None or missing:
        need = ["SWENo or StaffRef"] * (id_column is None) + missing
        bad(
            "row 1",
            "",
            ",".join(header)[:80],
            f"The header row needs the columns {', '.join(need)}.",
        )
        return result
    parsed = []
    today = timezone.localdate()
    # a file repeats a few dates and figures thousands of times: read each once
    read_date = functools.cache(_caseload_date)
    read_cases = functools.cache(functools.partial(_caseload_cases, confirmed=confirmed))
    for number, row in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in row):
            continue
        values = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(header)}
        where = f"row {number}"
        ident = values.get(id_column, "")
        if id_column == "SWENo":
            ident = "".join(ident.split()).upper()
        date = read_date(values.get("Date", ""))
        if date is None:
            bad(where, "Date", values.get("Date", ""), "Not a date: use YYYY-MM-DD or DD/MM/YYYY.")
        elif date > today:
            bad(where, "Date", values["Date"], "Caseloads cannot be recorded for a future date.")
            date = None
        cases_text = values.get("Cases", "")
        cases = read_cases(cases_text)
        if isinstance(cases, str):
            bad(where, "Cases", cases_text, cases)
            cases = None
        if not ident:
            bad(where, id_column, "", f"Missing: every row needs the worker's {id_column}.")
        parsed.append((where, ident, date, cases, values.get("Team", "")))
    result.rows = len(parsed)
    if not parsed:
        bad("file", "", "", "The file has no caseload rows.")
    idents = {p[1] for p in parsed if p[1]}
    field = "swe_number" if id_column == "SWENo" else "staff_ref"
    people = {
        getattr(p, field).upper() if field == "swe_number" else p.staff_ref: p
        for p in Person.objects.filter(**{f"{field}__in": idents})
    }
    employments: dict[int, list[Employment]] = defaultdict(list)
    for e in Employment.objects.filter(person__in=list(people.values())).select_related("person"):
        employments[e.person_id].append(e)
    teams_by_pk = {t.pk: t for t in Team.objects.all()}
    teams = {t.name.casefold(): t for t in teams_by_pk.values()}
    wanted: dict[tuple[int, dt.date], tuple[str, int, int | None]] = {}
    for where, ident, date, cases, team_name in parsed:
        if not ident:
            continue
        person = people.get(ident)
        if person is None:
            bad(where, id_column, ident, "No worker with this number is recorded.")
            continue
        team = None
        if team_name:
            team = teams.get(team_name.casefold())
            if team is None:
                bad(where, "Team", team_name, "No team with this name.")
        if date is None or cases is None:
            continue
        employment = next(
            (
                e
                for e in employments[person.pk]
                if e.start_date <= date and (e.end_date is None or date < e.end_date)
            ),
            None,
        )
        if employment is None:
            bad(where, "Date", date.isoformat(), f"{ident} was not in post on {date}.")
            continue
        key = (employment.pk, date)
        if key in wanted:
            result.problems.append(
                Problem(
                    where,
                    "Date",
                    date.isoformat(),
                    f"{ident} is also in {wanted[key][0]} for this date: this row replaces it.",
                    WARNING,
                )
            )
        wanted[key] = (where, cases, team.pk if team else None, employment)
    if result.errors:
        return result
    ids = {k[0] for k in wanted}
    dates = {k[1] for k in wanted}
    teams_by_date: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(employment_id__in=ids).order_by("effective_from"):
        teams_by_date[a.employment_id].append(a)
    existing = {
        (s.employment_id, s.date): s
        for s in CaseloadSnapshot.objects.filter(employment_id__in=ids, date__in=dates).filter(
            Q(employment_id__in=ids)
        )
    }
    audit = AuditTrail(user)
    new, changed = [], []
    for (employment_id, date), (where, cases, team_id, employment) in wanted.items():
        if team_id is None:
            on = _on(teams_by_date[employment_id], date)
            if on is None:
                bad(
                    where, "Team", "", "No team is recorded for this worker on that date: add Team."
                )
                continue
            team_id = on.team_id
        snapshot = existing.get((employment_id, date))
        if snapshot is None:
            new.append(
                CaseloadSnapshot(
                    employment=employment,
                    date=date,
                    cases=cases,
                    team=teams_by_pk[team_id],  # the object: the audit names it, no query
                    source=CaseloadSource.IMPORT,
                )
            )
            continue
        changes = {
            f: (getattr(snapshot, f), v)
            for f, v in (("cases", cases), ("team_id", team_id), ("source", CaseloadSource.IMPORT))
            if getattr(snapshot, f) != v
        }
        if not changes:
            result.unchanged += 1
            continue
        for f, (_, v) in changes.items():
            setattr(snapshot, f, v)
        changed.append(snapshot)
        audit.updated(snapshot, changes)
    if result.errors:
        return result
    result.created, result.updated = len(new), len(changed)
    if dry_run:
        return result
    with transaction.atomic():
        CaseloadSnapshot.objects.bulk_update(
            changed, ["cases", "team_id", "source"], batch_size=1000
        )
        _caseloads_insert(new)
        for snapshot in new:
            audit.created(snapshot, ["employment", "date", "cases", "team", "source"])
        audit.write()
        if new or changed:
            _caseloads_changed((new or changed)[0])
    return result


def _caseloads_insert(new: list[CaseloadSnapshot]) -> None:
    """Insert ``new`` and set their ids (for the audit entries). On PostgreSQL the ids are
    taken from the table's sequence first and the rows go in with one ``COPY``: a
    100,000-row file's import took 21 s of CPU here and 5 s in PostgreSQL with an
    ``INSERT`` run over the rows, 8 s and 3 s so. Elsewhere
    ``rows_insert`` prepares each distinct value once where ``bulk_create`` prepared every
    value of every row; then one query per 5,000 workers reads the ids back by worker and
    date, which are unique together."""
    from config.bulk import ids_reserve, rows_insert

    if not new:
        return
    if connection.vendor == "postgresql":
        for snapshot, pk in zip(new, ids_reserve(CaseloadSnapshot, len(new)), strict=True):
            snapshot.pk = pk
        rows_insert(CaseloadSnapshot, new, with_ids=True)
        return
    rows_insert(CaseloadSnapshot, new)
    by_worker: dict[int, list[CaseloadSnapshot]] = defaultdict(list)
    for snapshot in new:
        by_worker[snapshot.employment_id].append(snapshot)
    workers = list(by_worker)
    for first in range(0, len(workers), 5000):
        chunk = workers[first : first + 5000]
        dates = {snapshot.date for worker in chunk for snapshot in by_worker[worker]}
        ids = {
            (worker, date): pk
            for pk, worker, date in CaseloadSnapshot.objects.filter(
                employment_id__in=chunk, date__range=(min(dates), max(dates))
            ).values_list("pk", "employment_id", "date")
        }
        for worker in chunk:
            for snapshot in by_worker[worker]:
                snapshot.pk = ids[(worker, snapshot.date)]


def _caseloads_changed(snapshot: CaseloadSnapshot) -> None:
    """Bulk writes send no signals: send one ``post_save`` for one of the imported
    caseloads, so whatever listens for workforce changes (KPI snapshots going stale) hears
    of the import once. The audit trail already has every row, so auditlog is muted."""
    from django.db.models.signals import post_save

    with disable_auditlog():
        post_save.send(
            sender=CaseloadSnapshot,
            instance=snapshot,
            created=False,
            update_fields=None,
            raw=False,
            using=snapshot._state.db or "default",
        )
