"""``manage.py load_recommendations [PATH]``: load committees' recommendations and
executive responses from a YAML file (default: the four councils' seed papers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.demo import SEED_FILE
from recommendations.services import recommendations_load


class Command(BaseCommand):
    help = (
        "Load scrutiny recommendations and executive responses from a YAML file. "
        "Reviews already loaded are left as they are; a problem saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SEED_FILE))

    def handle(self, *args, path, **options):
        try:
            result = recommendations_load(path=path)
        except ValidationError as exc:
            count = len(exc.messages)
            lines = "\n".join(f"- {message}" for message in exc.messages)
            raise CommandError(
                f"Nothing was loaded: {count} problem{'s' if count != 1 else ''} in the file. "
                f"Correct {'them' if count != 1 else 'it'} and load it again:\n{lines}"
            ) from exc
        for line in result.lines():
            self.stdout.write(line)
