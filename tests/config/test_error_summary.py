"""The GOV.UK error summary include (templates/includes/error_summary.html) with fields
rendered by crispy-forms-gds, as the HR forms use them (see the comment in base.html)."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

PAGE = Template(
    "{% load crispy_forms_tags %}"
    '{% include "includes/error_summary.html" %}'
    "{% for field in form %}{{ field|as_crispy_field }}{% endfor %}"
)
GRID = Template('{% include "includes/error_summary.html" with formset=formset %}')


class LeaverForm(forms.Form):
    staff_ref = forms.CharField(
        label="Staff reference", error_messages={"required": "Enter the staff reference"}
    )
    leaving_reason = forms.ChoiceField(
        label="Reason for leaving",
        choices=[("1", "Resignation"), ("2", "Retirement")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for leaving"},
    )
    fte = forms.DecimalField(label="FTE", required=False)

    def clean(self):
        data = super().clean()
        if data.get("fte") is not None and data["fte"] > 1:
            raise forms.ValidationError("FTE must be 1 or less across all of a person's posts")
        return data


def _render(data):
    form = LeaverForm(data=data)
    form.is_valid()
    return PAGE.render(Context({"form": form}))


def _summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return [
        (href, text.strip())
        for href, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))
    ]


def test_no_summary_when_the_form_is_valid():
    html = _render({"staff_ref": "E1001", "leaving_reason": "1"})
    assert "govuk-error-summary" not in html


def test_each_error_links_to_an_element_that_exists():
    html = _render({"staff_ref": "", "fte": "1.5"})
    links = _summary_links(html)
    assert ("id_staff_ref", "Enter the staff reference") in links
    assert ("id_leaving_reason_1", "Select the reason for leaving") in links
    for target, _ in links:
        assert f'id="{target}"' in html, f"summary links to #{target}, which is not on the page"


def test_non_field_errors_appear_in_the_summary():
    html = _render({"staff_ref": "E1001", "leaving_reason": "1", "fte": "1.5"})
    links = _summary_links(html)
    assert [text for _, text in links] == [
        "FTE must be 1 or less across all of a person&#x27;s posts"
    ]
    assert links[0][0] == "id_staff_ref"


def test_the_message_also_appears_next_to_the_field_in_govuk_style():
    html = _render({"staff_ref": ""})
    assert re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>'
        r"\s*Enter the staff reference",
        html,
    )
    assert "govuk-form-group--error" in html
    assert "govuk-input--error" in html


def test_formset_errors_are_summarised_per_row():
    FormSet = forms.formset_factory(LeaverForm, extra=0)
    formset = FormSet(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-staff_ref": "E1",
            "form-0-leaving_reason": "1",
            "form-1-staff_ref": "",
            "form-1-leaving_reason": "2",
        }
    )
    formset.is_valid()
    links = _summary_links(GRID.render(Context({"formset": formset})))
    assert links == [("id_form-1-staff_ref", "Enter the staff reference")]
