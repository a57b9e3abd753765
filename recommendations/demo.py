"""Demo content for the tracker: the four councils' published recommendations and
responses (``data/recommendations/seed_papers.yaml``), loaded by ``manage.py seed_demo``
as a section of the demo council (``workforce.demo``), after the workforce history.

The papers' content is real and loaded as written; nothing is invented on top of it (no
made-up progress updates), so the tracker shows what the papers say and what is overdue
since.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.conf import settings

from workforce import demo

SEED_FILE = Path(settings.BASE_DIR) / "data" / "recommendations" / "seed_papers.yaml"


def build(*, rng: random.Random, as_of: dt.date, stdout) -> None:
    """Load the seed papers (``rng`` and ``as_of`` are unused: the content is as
    printed). A second run adds nothing."""
    from .services import recommendations_load

    result = recommendations_load(path=SEED_FILE)
    for line in result.lines():
        if stdout:
            stdout(f"  {line}")


@demo.section("recommendations")
def build_recommendations(ctx: demo.DemoContext) -> None:
    build(rng=ctx.rng, as_of=ctx.last_census, stdout=ctx.stdout)
