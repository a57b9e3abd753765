"""Forms of the tracker's pages: they check the shape of the input; the services check
the rules and their messages are put beside the fields (``add_service_errors``)."""

from __future__ import annotations

from django import forms

from core.locking import VersionedForm

from .choices import Decision, DeliveryStatus, Rag


class ExecutiveResponseForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Not stated"), *Decision.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    response_text = forms.CharField(
        label="Executive response", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    response_date = forms.DateField(
        label="Date of the response",
        help_text="For example, 25/4/2023 or 2023-04-25.",
        required=False,
        error_messages={"invalid": "Enter the date of the response as a real date."},
    )
    decision_body = forms.CharField(
        label="Decided by",
        help_text='The meeting or person, for example "Cabinet 25 April 2023".',
        required=False,
        max_length=200,
    )
    officer_responsible = forms.CharField(
        label="Officer responsible", required=False, max_length=300
    )
    action_by_date = forms.DateField(
        label="Action by (date)",
        required=False,
        error_messages={"invalid": "Enter the action-by date as a real date."},
    )
    action_by = forms.CharField(
        label="Action by, as printed",
        help_text='A stated period such as "Quarterly review", or leave empty to show the date.',
        required=False,
        max_length=120,
    )


class ProgressUpdateForm(forms.Form):
    update_date = forms.DateField(
        label="Date of the update",
        required=False,
        error_messages={"invalid": "Enter the date of the update as a real date."},
    )
    status = forms.ChoiceField(
        label="Delivery status", choices=DeliveryStatus.choices, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "Not rated"), *Rag.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="What has happened", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class MemberCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    asks_for_update = forms.BooleanField(
        label="Ask the officer responsible for an update", required=False
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.CharField(label="Owner", required=False, max_length=300)
    due_date = forms.DateField(
        label="Due date",
        required=False,
        error_messages={"invalid": "Enter the due date as a real date."},
    )


class EvidenceForm(VersionedForm):
    kpi_key = forms.ChoiceField(label="KPI that evidences this recommendation", required=False)
    kpi_target = forms.DecimalField(
        label="Target",
        help_text="In the KPI's unit, for example 85 for 85%.",
        required=False,
        max_digits=10,
        decimal_places=3,
        error_messages={"invalid": "Enter the target as a number, for example 85."},
    )
    kpi_target_date = forms.DateField(
        label="Target date",
        required=False,
        error_messages={"invalid": "Enter the target date as a real date."},
    )

    def __init__(self, *args, catalogue: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi_key"].choices = [("", "No KPI"), *catalogue.items()]
