"""Accessibility checks for browser tests: run axe-core in a Playwright page.

axe-core comes bundled with the ``axe-playwright-python`` package (nothing is fetched).
Use in any browser test::

    from tests.browser.axe import assert_accessible
    assert_accessible(page)              # fails listing every serious/critical violation
    serious = axe_violations(page)       # or inspect them yourself

Rules checked: WCAG 2.0, 2.1 and 2.2 levels A and AA (what public sector bodies must
meet) plus axe's best practices.

axe is put into a document once (checking the same page again reuses it), and the page
sends back only the violations asked for, not axe's whole report (passes and rules that
did not apply included), which Chromium, Playwright and Python would each have to copy
and parse. The CSS selectors of the elements at fault, which only a failure's message
needs, are worked out only when there is a failure to describe.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")

OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": WCAG_TAGS}}
#: Runs axe on ``context`` (or the whole document) and keeps the violations whose impact
#: is one of ``impacts``, each with its rule, impact, help text and elements.
RUN = """async ([context, options, impacts]) => {
  const results = await axe.run(context || document, options);
  return results.violations
    .filter((violation) => impacts.includes(violation.impact))
    .map(({id, impact, help, helpUrl, description, tags, nodes}) => ({
      id, impact, help, helpUrl, description, tags,
      nodes: nodes.map(({target, html, failureSummary, impact}) =>
        ({target, html, failureSummary, impact})),
    }));
}"""


def axe_in_every_document(context) -> None:
    """Put axe into every document ``context`` opens, as the document is created (an init
    script), for a test that checks most of the pages it opens: each page then parses the
    script itself instead of being sent axe's half a megabyte through Playwright after it
    has loaded (axe on every page: 66 s instead of 71 s, docs/benchmarks.md)."""
    context.add_init_script(script=AXE_SCRIPT)


def axe_violations(page, *, impacts=SERIOUS, context=None) -> list[dict]:
    """The axe violations on ``page`` whose impact is in ``impacts`` (serious/critical)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(RUN, [context, {**OPTIONS, "selectors": False}, list(impacts)])
    if violations:  # again, now naming the elements at fault
        violations = page.evaluate(RUN, [context, OPTIONS, list(impacts)])
    return violations


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
