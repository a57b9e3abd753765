"""Forms of the Pay benchmarking pages: the pay year shown, and an admin's upload."""

from __future__ import annotations

from django import forms

from workforce.census.validate import formula_problem

#: A benchmark file is a few hundred rows; anything larger is not one.
MAX_UPLOAD_BYTES = 1024 * 1024


class BenchmarkYearForm(forms.Form):
    year = forms.ChoiceField(label="Pay year", required=False)

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = (
            "Choose a pay year with neighbours' ranges loaded: " + ", ".join(years) + "."
            if years
            else "No neighbours' pay ranges are loaded yet."
        )


class BenchmarkUploadForm(forms.Form):
    file = forms.FileField(
        label="Pay ranges file (CSV)",
        help_text="Columns: Council, Role, PayYear, Minimum, Maximum (and optionally Source).",
        error_messages={"required": "Choose the CSV file.", "empty": "The file is empty."},
    )
    source = forms.CharField(
        label="Where the figures come from",
        required=False,
        max_length=255,
        help_text="For rows with no Source, e.g. Greater Manchester pay scales, October 2022.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: a pay ranges file is not.")
        return upload

    def clean_source(self) -> str:
        text = self.cleaned_data["source"].strip()
        if formula_problem(text):
            raise forms.ValidationError("Cannot start with = + - or @.")
        return text
