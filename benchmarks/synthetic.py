"""A synthetic large council for benchmarks: about 2,000 workers in post (employed and
agency) at any time over 10 years, each case holder with a caseload every Friday (about a
million caseload rows). Deterministic for a seed.

Written with bulk inserts (COPY for caseloads) because the point is the read side; the
product's own import path is benchmarked separately.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from workforce.choices import ChangeReason, ContractType, OrgRole
from workforce.models import (
    Agency,
    Assignment,
    Council,
    Employment,
    Grade,
    Person,
    Post,
    ServiceArea,
    SicknessAbsence,
    Team,
)

AREAS = ["Front door", "Safeguarding", "Children in care", "Disabled children", "Quality"]


def _fridays(start: dt.date, end: dt.date) -> list[dt.date]:
    first = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


@transaction.atomic
def build_large_council(*, seed: int = 7, slots: int = 2100, years: int = 10, end: dt.date):
    """Fill an empty database; returns a dict of counts."""
    rng = random.Random(seed)
    start = end.replace(year=end.year - years)
    Council.objects.create(
        name="Benchmark County Council", lea_code="998", region_name="South East"
    )
    areas = [ServiceArea.objects.create(name=name) for name in AREAS]
    teams = []
    for i in range(25):
        teams.append(
            Team.objects.create(
                name=f"Team {i + 1:02d}",
                service_area=areas[i % len(areas)],
                is_case_holding=i < 21,
            )
        )
    grades = [
        Grade.objects.create(name="Level 1 (ASYE)", default_org_role=5, is_asye=True, sort_order=1),
        Grade.objects.create(name="Level 2", default_org_role=5, sort_order=2),
        Grade.objects.create(name="Level 3", default_org_role=5, sort_order=3),
        Grade.objects.create(name="Advanced practitioner", default_org_role=4, sort_order=4),
        Grade.objects.create(name="Team manager", default_org_role=3, sort_order=5),
    ]
    agencies = [Agency.objects.create(name=f"Agency {i}") for i in range(8)]
    posts = []
    per_team = slots * 1.12 / len(teams)
    for t, team in enumerate(teams):
        for p in range(int(per_team)):
            grade = grades[1 + p % 3] if p % 12 else grades[4]
            posts.append(
                Post(
                    reference=f"B{t:02d}-{p:03d}",
                    team=team,
                    grade=grade,
                    fte=Decimal("1"),
                    valid_from=start - dt.timedelta(days=365),
                )
            )
    Post.objects.bulk_create(posts)

    people, employments, assignment_specs = [], [], []
    for slot in range(slots):
        team = teams[slot % len(teams)]
        cursor = start - dt.timedelta(days=rng.randint(0, 2000))
        while cursor < end:
            agency = rng.random() < 0.22
            length = int(rng.expovariate(1 / (420 if agency else 1900))) + 30
            stop = cursor + dt.timedelta(days=length)
            left = stop <= end
            asye = not agency and rng.random() < 0.12
            person = Person(
                swe_number=f"SW{len(people) + 1:08d}",
                first_name="Synthetic",
                last_name=f"Worker {len(people) + 1}",
                date_of_birth=dt.date(1960 + rng.randint(0, 38), rng.randint(1, 12), 1),
                gender=rng.choice([1, 2, 2, 2, 2, 2]),
                ethnicity="WBRI",
            )
            people.append(person)
            employments.append(
                (
                    person,
                    Employment(
                        contract_type=ContractType.AGENCY if agency else ContractType.PERMANENT,
                        agency=rng.choice(agencies) if agency else None,
                        start_date=cursor,
                        start_origin=None if agency else rng.randint(1, 9),
                        end_date=stop if left else None,
                        leaving_reason=rng.choice([1, 1, 1, 5, 8]) if left and not agency else None,
                        leaving_destination=rng.randint(1, 8) if left and not agency else None,
                    ),
                )
            )
            fte = Decimal(rng.choice(["1", "1", "1", "0.8", "0.6"]))
            role = OrgRole.CASE_HOLDER if team.is_case_holding else OrgRole.QUALIFIED_NO_CASES
            specs = [(cursor, team, fte, asye, role)]
            if rng.random() < 0.2 and length > 400:
                change = cursor + dt.timedelta(days=length // 2)
                new_fte = Decimal("1") if fte < 1 else Decimal("0.8")
                specs.append((change, team, new_fte, False, role))
            elif asye and length > 370:
                specs.append((cursor + dt.timedelta(days=365), team, fte, False, role))
            assignment_specs.append(specs)
            cursor = stop + dt.timedelta(days=rng.randint(0, 60))
    Person.objects.bulk_create(people, batch_size=2000)
    for person, employment in employments:
        employment.person = person
    Employment.objects.bulk_create([e for _, e in employments], batch_size=2000)
    assignments = []
    for (_, employment), specs in zip(employments, assignment_specs, strict=True):
        for i, (frm, team, fte, asye, role) in enumerate(specs):
            to = specs[i + 1][0] if i + 1 < len(specs) else None
            assignments.append(
                Assignment(
                    employment=employment,
                    effective_from=frm,
                    effective_to=to,
                    team=team,
                    org_role=role,
                    fte=fte,
                    is_asye=asye,
                    change_reason=ChangeReason.START if i == 0 else ChangeReason.FTE_CHANGE,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=5000)

    absences = []
    for _, employment in employments:
        if rng.random() < 0.6:
            s = employment.start_date + dt.timedelta(days=rng.randint(0, 300))
            if employment.end_date is None or s < employment.end_date:
                absences.append(
                    SicknessAbsence(
                        employment=employment,
                        start_date=s,
                        end_date=s + dt.timedelta(days=rng.randint(0, 20)),
                        working_days_lost=Decimal(rng.randint(1, 15)),
                    )
                )
    SicknessAbsence.objects.bulk_create(absences, batch_size=5000)

    # Weekly caseloads by COPY: every Friday, every case holder in post.
    fridays = _fridays(start, end)
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    rows = 0
    for a in assignments:
        if a.org_role != OrgRole.CASE_HOLDER:
            continue
        emp = a.employment
        last = min(d for d in (a.effective_to, emp.end_date, end + dt.timedelta(days=1)) if d)
        base = rng.randint(9, 14) if a.is_asye else rng.randint(13, 21)
        for friday in fridays:
            if a.effective_from <= friday < last:
                cases = max(0, base + rng.randint(-2, 2))
                buffer.write(f"{emp.pk}\t{friday}\t{cases}\t{a.team_id}\timport\t{now}\t{now}\n")
                rows += 1
    buffer.seek(0)
    with (
        connection.cursor() as cur,
        cur.connection.cursor().copy(
            "COPY workforce_caseloadsnapshot (employment_id, date, cases, team_id, source, "
            "created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)
    return {
        "people": len(people),
        "employments": len(employments),
        "assignments": len(assignments),
        "caseload_rows": rows,
        "absences": len(absences),
        "teams": len(teams),
        "posts": len(posts),
    }
