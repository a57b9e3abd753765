"""How long an HR change takes to show on the dashboards under `make run`'s settings
(SQLite, no worker: the web server's refresh thread), on the demo council.

    .venv/bin/python -m benchmarks.dev_change      # on the db.sqlite3 of `make run`

This process plays the web server (``runserver`` in ``sys.argv``, as
``KPI_REFRESH_IN_THREAD = "runserver"`` asks): it records a leaver for last month through
the service an HR form calls, then polls the stored figure the dashboards read until it
shows the leaver and the figures are no longer stale. Twice: the first change after the
server starts pays Python's imports. It changes the database: use a copy.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.argv = ["manage.py", "runserver"]  # this process plays the web server
    import django

    django.setup()
    from django.utils import timezone

    from core.locking import UNCHECKED
    from dashboards import services
    from dashboards.models import KpiSnapshot
    from workforce import services as workforce_services
    from workforce.choices import ContractType, LeaverDestination, ReasonLeave
    from workforce.models import Employment

    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=5)
    figures = KpiSnapshot.objects.filter(scope="all", kpi_key="leavers_headcount")
    for attempt in ("first change after the server starts", "next change"):
        employment = (
            Employment.objects.filter(end_date__isnull=True, start_date__lt=last_month)
            .exclude(contract_type=ContractType.AGENCY)
            .order_by("pk")
            .first()
        )
        before = figures.order_by("-as_of").first()
        clock = time.monotonic()
        workforce_services.leaver_record(
            employment=employment,
            end_date=last_month,
            leaving_reason=ReasonLeave.RESIGNATION,
            leaving_destination=LeaverDestination.values[0],
            version=UNCHECKED,
        )
        saved = time.monotonic() - clock
        while time.monotonic() - clock < 120:
            now = figures.filter(as_of=before.as_of).first()
            if now.value != before.value and not services.snapshots_status().is_stale:
                print(
                    f"{attempt}: saved in {saved:.2f} s, on the dashboards after "
                    f"{time.monotonic() - clock:.2f} s (leavers {before.value:.0f} -> "
                    f"{now.value:.0f} on {before.as_of})"
                )
                break
            time.sleep(0.1)
        else:
            print(f"{attempt}: NOT reflected within 120 s")


if __name__ == "__main__":
    main()
