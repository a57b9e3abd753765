"""One domain error type (Django's ValidationError, raised by services) becomes a clean 400.

The messages keep their fields; a message about the request as a whole (Django's
``__all__``) is under ``non_field_errors``, as DRF's own validation puts it.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.locking import StaleEdit


def domain_error_detail(exc: DjangoValidationError) -> dict:
    """``{field: [messages]}`` for a service's ValidationError."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class Conflict(exceptions.APIException):
    """A stale edit (``core.locking.StaleEdit``): someone changed the record meanwhile."""

    status_code = 409
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        exc = Conflict(domain_error_detail(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(domain_error_detail(exc))
    return drf_exception_handler(exc, context)
