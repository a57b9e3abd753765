"""Demo content for the tracker: Demoshire's own select committee review
(``data/recommendations/demoshire.yaml``), loaded by ``manage.py seed_demo`` as a section
of the demo council (``workforce.demo``), after the workforce history.

Demoshire is invented, so its review is too: modelled on the four councils' published
papers (a scrutiny review, the executive's response in Tameside's columns, Surrey's
sub-recommendations, an update for noting as Kent's, actions from the minutes), with
invented names. The real papers (``SEED_FILE``, real officers' names) are not put inside
the fictional council; they stay loadable on their own with
``manage.py load_recommendations data/recommendations/seed_papers.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.conf import settings

from workforce import demo

DATA_DIR = Path(settings.BASE_DIR) / "data" / "recommendations"
#: The four councils' published papers, as printed (``load_recommendations``' default).
SEED_FILE = DATA_DIR / "seed_papers.yaml"
#: The demo council's own review, invented (loaded by ``seed_demo``).
DEMO_FILE = DATA_DIR / "demoshire.yaml"


def build(*, rng: random.Random, as_of: dt.date, stdout) -> None:
    """Load Demoshire's review (``rng`` and ``as_of`` are unused: the file is fixed). A
    second run adds nothing."""
    from .services import recommendations_load

    result = recommendations_load(path=DEMO_FILE)
    for line in result.lines():
        if stdout:
            stdout(f"  {line}")


@demo.section("recommendations")
def build_recommendations(ctx: demo.DemoContext) -> None:
    build(rng=ctx.rng, as_of=ctx.last_census, stdout=ctx.stdout)
