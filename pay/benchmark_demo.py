"""Demo pay benchmarking (``manage.py seed_demo``), after the pay section.

The demo council compares itself with the ten Greater Manchester councils, with the
figures of Tameside's paper (seed 004: Joint Executive Cabinet / Overview Panel,
8 February 2023, tables 2-4, "GM pay scales ... (October 2022)"). Those are each
council's spinal points and annual salaries for three roles; the salaries are the
2021/22 NJC spine's (SCP 29 = £33,486), the 2022/23 award not being paid until later, so
they are loaded as pay year 2021/22 exactly as published. For 2022/23 to 2025/26 each
council's range is modelled: the same spinal points on that year's NJC spine (a council
that moved its grades would differ). Salford's experienced social worker maximum is not
legible in the paper, so Salford has no range for that role.

The demo's own grades are marked with the role they are compared as (Level 1 = ASYE,
Level 3 = experienced or senior social worker, team manager ...), and the ranges are
loaded through the same CSV import an admin uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from workforce import demo as workforce_demo

from .benchmark_services import pay_benchmarks_import
from .choices import BenchmarkRole
from .models import GradePointRange
from .selectors import Spine

SOURCE = "Tameside Council, Joint Executive Cabinet / Overview Panel 8 Feb 2023, tables 2-4"
MODELLED = "Modelled: the points of " + SOURCE + ", on this pay year's NJC spine"

#: role -> council -> (lowest point, highest point, minimum £, maximum £) as published.
GREATER_MANCHESTER = {
    BenchmarkRole.ASYE: {
        "Tameside": (29, 31, 33486, 35336),
        "Wigan": (29, 34, 33486, 38553),
        "Bolton": (27, 31, 31895, 35336),
        "Trafford": (26, 29, 30984, 33486),
        "Stockport": (26, 27, 30984, 31895),
        "Manchester": (25, 25, 30095, 30095),
        "Rochdale": (25, 25, 30095, 30095),
        "Bury": (24, 27, 29174, 31895),
        "Salford": (23, 26, 28226, 30984),
        "Oldham": (23, 23, 28226, 28226),
    },
    BenchmarkRole.SENIOR_SOCIAL_WORKER: {
        "Wigan": (34, 38, 38553, 42614),
        "Manchester": (31, 35, 35336, 39571),
        "Bolton": (31, 35, 35336, 39571),
        "Bury": (31, 33, 35336, 37568),
        "Rochdale": (30, 36, 34373, 40578),
        "Trafford": (30, 32, 34373, 36371),
        "Tameside": (29, 34, 33486, 38553),
        "Oldham": (29, 32, 33486, 36371),
        "Stockport": (29, 31, 33486, 35336),
    },
    BenchmarkRole.TEAM_MANAGER: {
        "Wigan": (42, 45, 46662, 49669),
        "Tameside": (40, 43, 44624, 47665),
        "Trafford": (40, 43, 44624, 47665),
        "Oldham": (40, 43, 44624, 47665),
        "Salford": (40, 42, 44624, 46662),
        "Bolton": (39, 43, 43570, 47665),
        "Rochdale": (39, 43, 43570, 47665),
        "Bury": (39, 40, 44863, 45859),
        "Manchester": (36, 40, 40578, 44624),
        "Stockport": (34, 40, 38553, 43857),
    },
}
PUBLISHED_YEAR = "2021/22"
MODELLED_YEARS = ("2022/23", "2023/24", "2024/25", "2025/26")
#: The demo's grades (workforce.demo GRADES keys) and the role each is compared as.
GRADE_ROLES = {
    "l1": BenchmarkRole.ASYE,
    "l2": BenchmarkRole.SOCIAL_WORKER,
    "l3": BenchmarkRole.SENIOR_SOCIAL_WORKER,
    "ap": BenchmarkRole.ADVANCED_PRACTITIONER,
    "tm": BenchmarkRole.TEAM_MANAGER,
}


def benchmark_csv(spine: Spine) -> bytes:
    """The neighbours' ranges as the CSV an admin would load."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Council", "Role", "PayYear", "Minimum", "Maximum", "Source"])
    for role, councils in GREATER_MANCHESTER.items():
        for council, (low_scp, high_scp, low, high) in councils.items():
            writer.writerow([council, role.value, PUBLISHED_YEAR, low, high, SOURCE])
            for year in MODELLED_YEARS:
                on = dt.date(int(year[:4]), 4, 1)
                low_pay, high_pay = spine.salary(low_scp, on), spine.salary(high_scp, on)
                if low_pay is None or high_pay is None:
                    continue  # a point the spine no longer has
                writer.writerow([council, role.value, year, low_pay, high_pay, MODELLED])
    return out.getvalue().encode("utf-8")


@workforce_demo.section("pay benchmarking")
def build_benchmarks(ctx: workforce_demo.DemoContext) -> None:
    for key, role in GRADE_ROLES.items():
        grade = ctx.grades.get(key)
        if grade is not None:
            GradePointRange.objects.filter(grade=grade).update(benchmark_role=role.value)
    result = pay_benchmarks_import(data=benchmark_csv(Spine()))
    ctx.counts["neighbours' pay ranges"] = result.rows
    ctx.say(f"  pay benchmarking: {result.rows} neighbours' pay ranges (Greater Manchester)")
