"""Helpers for the optimistic-locking tests (``core.locking``): two people open the same
edit form, both save; the second is refused with who changed what, keeps their entries,
and nothing the first saved is reverted."""

from __future__ import annotations

import html
import re

import lxml.html
from django.test import Client


def editor(make_user, role, first_name: str, last_name: str) -> Client:
    """A signed-in client for a named user holding ``role``."""
    user = make_user(role)
    user.first_name, user.last_name = first_name, last_name
    user.save()
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def form_data(response, *, action: str | None = None) -> dict[str, str]:
    """The values a browser would send from the page's form (the one posting to
    ``action``, else the first with a ``version`` field), hidden fields included."""
    assert response.status_code == 200, response.status_code
    doc = lxml.html.fromstring(response.content.decode())
    forms = [f for f in doc.forms if f.xpath('.//input[@name="version"]')]
    if action is not None:
        forms = [f for f in forms if (f.get("action") or "") in ("", action)]
    assert forms, "no versioned form on the page"
    data = {}
    for name, value in forms[0].form_values():
        data[name] = value
    return data


def page_text(response) -> str:
    """The page's visible text, one space between words."""
    doc = lxml.html.fromstring(response.content.decode())
    for node in doc.xpath("//script|//style"):
        node.drop_tree()
    return " ".join(doc.text_content().split())


def error_summary(response) -> str:
    doc = lxml.html.fromstring(response.content.decode())
    nodes = doc.xpath('//div[contains(@class, "govuk-error-summary")]')
    return " ".join(" ".join(n.text_content().split()) for n in nodes)


def field_value(response, name: str) -> str | None:
    """The value the page shows in field ``name`` (text input, textarea, selected option,
    checked radio)."""
    doc = lxml.html.fromstring(response.content.decode())
    for element in doc.xpath(f'//*[@name="{name}"]'):
        if element.tag == "textarea":
            return element.text or ""
        if element.tag == "select":
            return element.value
        if element.get("type") in ("radio", "checkbox"):
            if element.get("checked") is not None:
                return element.get("value")
            continue
        return element.get("value")
    return None


STALE = re.compile(r"(.+?) changed this record at (\d\d:\d\d); here is what they changed: (.+)")


def refusal(response) -> tuple[str, str, str]:
    """(who, time, what) of the "changed this record" message in the error summary."""
    text = html.unescape(error_summary(response))
    match = STALE.search(text)
    assert match, f"no stale-edit message in: {text!r}"
    return match.group(1).replace("There is a problem ", "").strip(), match.group(2), match.group(3)
