"""``python manage.py forecast --from DATE --months N [--scenario NAME] [--simulations 1000]
[--seed 2026] --format json|table``

The forecast of the permanence rate (and employed and agency FTE) for each month end
after ``--from``, with 10th/50th/90th percentiles, the median month the 85% target is
reached and the probability of reaching it by the end, using only data dated on or
before ``--from`` (``dashboards.forecast``)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from dashboards.forecast.services import ForecastError, forecast_report, scenario_named

from .kpis import parse_date


class Command(BaseCommand):
    help = "Forecast the permanence rate month by month, with its uncertainty."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Date YYYY-MM-DD.")
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--scenario", default="", help="A saved scenario's name.")
        parser.add_argument("--simulations", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        start = parse_date(options["start"], "--from")
        try:
            scenario = scenario_named(options["scenario"])
            summary = forecast_report(
                start=start,
                months=options["months"],
                simulations=options["simulations"],
                seed=options["seed"],
                scenario=scenario,
            )
        except ForecastError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(f"Forecast from {start:%d %B %Y} - {scenario.name}")
        self.stdout.write(
            f"{'Month end':<11} {'Permanence % p10/p50/p90':>26} {'In post FTE p50':>16} "
            f"{'Agency FTE p50':>15}"
        )
        for row in summary["months"]:
            r = row["permanence_rate"]
            self.stdout.write(
                f"{row['date']:<11} {r['p10']:>8.1f} {r['p50']:>8.1f} {r['p90']:>8.1f} "
                f"{row['inpost_fte']['p50']:>16.1f} {row['agency_fte']['p50']:>15.1f}"
            )
        target = summary["target"]
        self.stdout.write(
            f"85% reached at the median: {target['median_month'] or 'not within the forecast'}; "
            f"probability by the end: {100 * target['probability_by_end']:.0f}%"
        )
        self.stdout.write(f"Starters from {summary['starters_source']}.")
        cost = summary["cost"]
        if isinstance(cost, str):
            self.stdout.write(f"Cost: {cost}.")
        else:
            for row in cost["per_year"]:
                self.stdout.write(
                    f"Cost, year to {row['year_to']}: £{row['total']:,} "
                    f"(permanent £{row['permanent']:,}, agency £{row['agency']:,}; "
                    f"{row['against_baseline']:+,} against the baseline)"
                )
