"""Accessibility checks for browser tests: run axe-core in a Playwright page.

axe-core comes bundled with the ``axe-playwright-python`` package (nothing is fetched).
Use in any browser test::

    from tests.browser.axe import assert_accessible
    assert_accessible(page)              # fails listing every serious/critical violation
    serious = axe_violations(page)       # or inspect them yourself

Rules checked: WCAG 2.0, 2.1 and 2.2 levels A and AA (what public sector bodies must
meet) plus axe's best practices.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")

_axe = Axe()


def axe_violations(page, *, impacts=SERIOUS, context=None) -> list[dict]:
    """The axe violations on ``page`` whose impact is in ``impacts`` (serious/critical)."""
    options = {
        "resultTypes": ["violations"],
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
    }
    results = _axe.run(page, context=context, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    """A readable list: rule, impact, what is wrong and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    at {' '.join(map(str, node.get('target', [])))}")
    return "\n".join(lines)


def assert_accessible(page, *, impacts=SERIOUS, context=None) -> None:
    """Fail, listing them, if ``page`` has serious or critical accessibility violations."""
    violations = axe_violations(page, impacts=impacts, context=context)
    assert not violations, f"Accessibility violations on {page.url}:\n{describe(violations)}"
