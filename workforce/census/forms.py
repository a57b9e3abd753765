"""Forms of the census pages: upload a return (with the flat-file details), download a
return, upload caseloads. They check only the shape of the input; the census rules live
in ``validate`` and ``services``."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.urls import reverse_lazy

#: The largest file accepted (a 5,000-worker XML return is about 4 MB).
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def _helper(button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.attrs = {"novalidate": ""}
    helper.label_size = Size.SMALL
    helper.add_input(Submit("submit", button))
    return helper


class _UploadMixin:
    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // (1024 * 1024)} MB: the most is "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload


class CensusUploadForm(_UploadMixin, forms.Form):
    file = forms.FileField(
        label="Census return file",
        help_text="The XML sent to DfE, or the same items as CSV or XLSX.",
        error_messages={
            "required": "Choose the census return file.",
            "empty": "The file is empty.",
        },
    )
    year = forms.IntegerField(
        label="Census year (CSV or XLSX only)",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="For example 2023 (reference date 30 September 2023).",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    lea = forms.CharField(
        label="LEA code (CSV or XLSX only)",
        required=False,
        max_length=3,
        help_text="The council's 3-digit DfE code, for example 886.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    vacancies_fte = forms.DecimalField(
        label="Vacancies FTE (NumberOfVacancies, CSV or XLSX only)",
        required=False,
        min_value=0,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "govuk-input govuk-input--width-5", "step": "0.01"}
        ),
    )
    agency_cover_fte = forms.DecimalField(
        label="Agency FTE covering vacancies (NoAgencyFTE, CSV or XLSX only)",
        required=False,
        min_value=0,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "govuk-input govuk-input--width-5", "step": "0.01"}
        ),
    )
    agency_cover_headcount = forms.IntegerField(
        label="Agency headcount covering vacancies (NoAgencyHeadcount, CSV or XLSX only)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Check the file")

    def flat_details(self) -> dict:
        """The flat-file fields as text (kept in the session until the import is confirmed)."""
        return {
            name: ("" if self.cleaned_data.get(name) is None else str(self.cleaned_data[name]))
            for name in (
                "year",
                "lea",
                "vacancies_fte",
                "agency_cover_fte",
                "agency_cover_headcount",
            )
        }


class CensusExportForm(forms.Form):
    year = forms.IntegerField(
        label="Census year",
        min_value=2000,
        max_value=2100,
        help_text="The return for the year to 30 September, for example 2024.",
        error_messages={
            "required": "Enter the census year.",
            "invalid": "Enter a year, for example 2024.",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("xml", "XML (as sent to DfE)"), ("csv", "CSV")],
        initial="xml",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Download the return")
        self.helper.form_method = "get"


class CaseloadUploadForm(_UploadMixin, forms.Form):
    file = forms.FileField(
        label="Caseload file (CSV)",
        help_text="Columns: SWENo (or StaffRef), Date, Cases, and optionally Team.",
        error_messages={"required": "Choose the caseload CSV file.", "empty": "The file is empty."},
    )
    confirmed_above_ceiling = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        from workforce.services import caseload_ceiling

        super().__init__(*args, **kwargs)
        ceiling = caseload_ceiling()
        # the HR caseload form's rule: a figure above the ceiling is saved only once confirmed
        field = self.fields["confirmed_above_ceiling"]
        field.label = f"I have checked the figures above {ceiling} cases: they are correct"
        field.help_text = (
            f"A worker's figure above the council's ceiling of {ceiling} cases is refused "
            "unless you tick this."
        )
        self.helper = _helper("Import caseloads")
        self.helper.form_action = reverse_lazy("census:caseloads-upload")
