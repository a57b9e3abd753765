"""Permission-matrix entries for the pay API (pay/api/urls.py; see tests/access.py).

The cost figures (aggregates only, suppressed for councillors): every role."""

from core.roles import ALL_ROLES
from tests.access import Access

EXPECTED = {
    "pay-api:costs": Access(ALL_ROLES, api=True, query="?start=2023-04-01&end=2024-03-31"),
    "pay-api:benchmarks": Access(ALL_ROLES, api=True),
}
