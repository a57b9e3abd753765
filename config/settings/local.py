"""Local development: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo councils' shared regional key (production reads it from the environment).
AGENCY_REGIONAL_LEAVERS_KEY = env("AGENCY_REGIONAL_LEAVERS_KEY", default="demo-region-key")
# No worker under make run: the web server refreshes the figures a change can affect
# (dashboards.signals); management commands do not.
KPI_REFRESH_IN_THREAD = "runserver"
