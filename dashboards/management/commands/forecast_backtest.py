"""``python manage.py forecast_backtest [--to DATE] [--horizon 12] [--step 3]
[--simulations 300] [--format json|table]``

Forecasts from past month ends with only the data known then and compares each forecast
month with what was recorded: the share of months inside the 80% band and the median
error (``dashboards.forecast.backtest``). The figures in docs/forecast.md come from it."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboards.forecast.backtest import backtest
from dashboards.forecast.history import load_history

from .kpis import parse_date


class Command(BaseCommand):
    help = "Backtest the forecast against what actually happened."

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="end", default="", help="End of the data (today).")
        parser.add_argument("--horizon", type=int, default=12)
        parser.add_argument("--step", type=int, default=3)
        parser.add_argument("--simulations", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        end = parse_date(options["end"], "--to") if options["end"] else timezone.localdate()
        if not 1 <= options["horizon"] <= 60 or options["step"] < 1:
            raise CommandError("--horizon must be 1 to 60 months and --step at least 1.")
        result = backtest(
            load_history(as_of=end),
            end=end,
            horizon=options["horizon"],
            step=options["step"],
            simulations=options["simulations"],
            seed=options["seed"],
        )
        if not result["months"]:
            raise CommandError("Not enough history to backtest: a year of leavers is needed.")
        summary = {k: v for k, v in result.items() if k not in ("rows", "origins")}
        summary["origins"] = [o.isoformat() for o in result["origins"]]
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"Backtest to {end:%d %B %Y}: {len(result['origins'])} forecasts from "
            f"{result['origins'][0]:%b %Y} to {result['origins'][-1]:%b %Y}, "
            f"{result['horizon']} months ahead each ({result['months']} forecast months)"
        )
        self.stdout.write(
            f"Permanence rate: actual inside the 80% band in {result['coverage']:.1f}% of "
            f"months; median error {result['median_error']:.2f} percentage points"
        )
        self.stdout.write(
            f"Employed FTE: inside the 80% band in {result['inpost_coverage']:.1f}% of months; "
            f"median error {result['inpost_median_error']:.1f} FTE"
        )
