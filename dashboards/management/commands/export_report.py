"""``export_report``: a committee report pack from the command line, in one format.

    python manage.py export_report --from 2023-04-01 --to 2024-03-31 --scope all \
        --format docx --output pack.docx [--sections summary,workforce] [--no-charts] \
        [--audience public|not-for-publication]

The same data and renderers as the report pack pages (``dashboards.reports``). The file is
written only when it is complete; a problem is reported with a message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dashboards.kpis import Scope
from dashboards.reports import builder
from dashboards.reports.services import report_files_render, report_pack_validate
from workforce.disclosure import Audience


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Write a committee report pack (Word, PDF, Excel or a CSV zip) for a period."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--scope", default="all", help="all, caseholding, area:<name>, team:<name>."
        )
        parser.add_argument("--format", choices=["docx", "pdf", "xlsx", "csv"], required=True)
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--sections",
            default=",".join(builder.SECTIONS),
            help=f"Comma-separated, from: {', '.join(builder.SECTIONS)} (default all).",
        )
        parser.add_argument("--title", default=builder.DEFAULT_TITLE)
        parser.add_argument("--meeting", default="")
        parser.add_argument("--no-charts", action="store_true", help="Leave the charts out.")
        parser.add_argument(
            "--audience",
            choices=["public", "not-for-publication"],
            default="public",
            help="public (default): a paper for publication, small numbers hidden as "
            "councillors see them; not-for-publication: the figures as they are, every page "
            "marked exempt under Schedule 12A.",
        )
        parser.add_argument(
            "--not-for-publication",
            action="store_true",
            help="The same as --audience not-for-publication.",
        )

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        sections = [s.strip() for s in options["sections"].split(",") if s.strip()]
        try:
            scope: Scope = report_pack_validate(
                start=start, end=end, scope=options["scope"], sections=sections
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            ) from error
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        try:
            rendered = report_files_render(
                start=start,
                end=end,
                scope=scope,
                sections=sections,
                formats=(options["format"],),
                title=options["title"],
                meeting=options["meeting"],
                include_charts=not options["no_charts"],
                audience=Audience.named()
                if options["not_for_publication"] or options["audience"] == "not-for-publication"
                else None,
            )
        except builder.SectionError as error:
            raise CommandError(str(error)) from error
        content = rendered.files[options["format"]]
        # Write beside the target, then rename: no half-written file under the final name.
        handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".part")
        with os.fdopen(handle, "wb") as part:
            part.write(content)
        os.replace(temporary, output)
        self.stdout.write(
            f"Wrote {output} ({len(content):,} bytes): {len(rendered.data.sections)} section(s) "
            f"for {rendered.data.period_label}, {scope.label.lower()}."
        )
