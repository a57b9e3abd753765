"""The form side of every page that writes through a service: a service's
``ValidationError`` put back beside the fields (``add_service_errors``); the view that
does it once is ``core.views.ServiceFormView``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .locking import VersionedForm


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` beside the form's fields (others at the top).
    After a refused stale edit the form takes the current version (``core.locking``)."""
    if isinstance(form, VersionedForm):
        form.show_current_version(exc)
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
