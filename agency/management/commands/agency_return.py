"""``manage.py agency_return --quarter 2025Q1 --output FILE.csv``: the DfE quarterly agency
return. Validated first: if anything is missing, every problem is listed and no file is written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agency import returns


class Command(BaseCommand):
    help = "Write the DfE quarterly agency return for a calendar quarter (2025Q1 = Jan-Mar 2025)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, quarter, output, **options):
        try:
            q = returns.Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            data = returns.agency_return(quarter=q)
        except returns.ReturnProblems as exc:
            raise CommandError(
                "The return was not written. Put these right and run it again:\n"
                + "\n".join(exc.messages)
            ) from exc
        try:
            Path(output).write_text(returns.return_csv(data), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the {q} return to {output}: {len(data['placements'])} placements, "
                f"{len(data['caps'])} above the cap."
            )
        )
