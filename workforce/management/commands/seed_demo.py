"""``manage.py seed_demo``: build the demo council (see ``workforce.demo``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workforce import demo
from workforce.models import Person


class Command(BaseCommand):
    help = (
        "Build a believable, deterministic demo council: teams, posts, six years of "
        "starters, leavers, agency placements, ASYE cohorts, weekly caseloads and absence."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED,
            help=f"Random seed (default {demo.DEFAULT_SEED}): the same seed, the same council.",
        )  # fmt: skip
        parser.add_argument(
            "--years", type=int, default=demo.DEFAULT_YEARS,
            help="Full census years of history, to the most recent 30 September (default 6).",
        )  # fmt: skip
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Size of the council: 1 is about 250 FTE social workers; 0.2 a small one.",
        )  # fmt: skip
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing (and say so) if any person is already recorded.",
        )  # fmt: skip

    def handle(self, *args, seed, years, scale, if_empty, **options):
        existing = Person.objects.count()
        if existing:
            message = (
                f"The database already holds {existing} people, so the demo council was not loaded."
            )
            if if_empty:
                self.stdout.write(message)
                return
            raise CommandError(
                f"{message} seed_demo builds a council from empty: run `manage.py flush` first "
                "(this deletes all data), or use --if-empty."
            )
        if years < 1 or years > 20:
            raise CommandError(f"--years must be between 1 and 20 (you gave {years}).")
        if not 0 < scale <= 5:
            raise CommandError(f"--scale must be more than 0 and at most 5 (you gave {scale}).")
        self.stdout.write(
            f"Building {demo.COUNCIL_NAME} (seed {seed}, {years} years, scale {scale})..."
        )
        try:
            summary = demo.seed_demo(seed=seed, years=years, scale=scale, stdout=self.stdout.write)
        except (ValidationError, RuntimeError) as exc:
            raise CommandError(
                f"The demo council could not be built, nothing was saved: {exc}"
            ) from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo council ready in {summary.seconds:.1f} s."))
