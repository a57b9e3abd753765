"""Permission-matrix entries for the pay pages (pay/urls.py; see tests/access.py).

Pay benchmarking (public pay ranges: neighbours' published scales and our grades on the
NJC spine, no one's pay): every role, councillors included; loading the ranges: admins.

Named workers' incentive payments and increments: HR officers and admins; recording and
confirming are POST-only (405 to their GET). Pay and costs (totals and averages only,
suppressed for councillors and team-limited service managers): every role. The
what-ifs (converting agency staff, a supplement to a group): HR officers, directors and
admins.
"""

from core.roles import ALL_ROLES
from pay.benchmark_views import BENCHMARK_LOADERS
from pay.views import PAY_OFFICERS, WHAT_IF_ROLES
from tests.access import Access

EXPECTED = {
    "pay:costs": Access(ALL_ROLES, query="?start=2023-04-01&end=2024-03-31&scope=all"),
    "pay:what-if": Access(
        WHAT_IF_ROLES, query="?start=2023-04-01&end=2024-03-31&supplement=5000&per=fte"
    ),
    "pay:due-list": Access(PAY_OFFICERS, query="?month=2024-03"),
    "pay:payment-record": Access(PAY_OFFICERS, ok_status=405, notes="POST only"),
    "pay:increment-list": Access(PAY_OFFICERS, query="?on=2024-04-01"),
    "pay:increment-confirm": Access(PAY_OFFICERS, ok_status=405, notes="POST only"),
    "pay:benchmarking": Access(ALL_ROLES, query="?year=2022/23"),
    "pay:benchmarking-upload": Access(BENCHMARK_LOADERS),
}
