"""The read side of the demo council, run last by ``manage.py seed_demo`` (sections run in
INSTALLED_APPS order; see ``workforce.demo``): DfE's published benchmarks from
``data/dfe/``, a comparator group of South East councils, and the KPI snapshots the
dashboards read, so a new user of ``make run`` sees figures straight away."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from workforce import demo

BENCHMARKS_FILE = Path(settings.BASE_DIR) / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"

#: South East councils (DfE LEA codes) as the demo council's comparators.
SOUTH_EAST_NEIGHBOURS = ["825", "845", "850", "886", "931", "936", "938"]


@demo.section("benchmarks and KPI snapshots")
def build_read_side(ctx: demo.DemoContext) -> None:
    from .models import ComparatorGroup
    from .services import benchmarks_import, snapshots_refresh

    say = ctx.stdout or (lambda line: None)
    result = benchmarks_import(path=BENCHMARKS_FILE)
    say(f"  DfE benchmarks: {result.figures} figures ({result.created} new)")
    ComparatorGroup.objects.update_or_create(
        name="South East neighbours",
        defaults={"lea_codes": SOUTH_EAST_NEIGHBOURS, "is_default": True},
    )

    def refresh() -> None:
        refreshed = snapshots_refresh()
        say(
            f"  KPI snapshots: {refreshed.rows_computed} figures for {refreshed.dates} dates "
            f"and {refreshed.scopes} scopes in {refreshed.seconds:.1f} s"
        )

    # After the demo's transaction commits: the change signals mark the snapshots stale
    # on commit (registered earlier, so they run first); refreshing then leaves them
    # up to date, and a new user sees current figures.
    transaction.on_commit(refresh)
