"""Pages of the core app (the retention page for admins) and the one base view of every
form that writes through a service (``ServiceFormView``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.views.generic import FormView, TemplateView

from .forms import add_service_errors
from .retention import retention_rules
from .roles import Role, RoleRequiredMixin


class ServiceFormView(RoleRequiredMixin, FormView):
    """A form whose valid data goes to one service call (``save``), all or nothing.

    The service's ``ValidationError`` goes back beside the fields and nothing is saved; a
    refused stale edit (``core.locking.StaleEdit``) also gives a versioned form the current
    version, so the user can look and save again. On success: a banner
    (``success_message``, formatted by ``success_message_for``) and a redirect
    (``success_url_for`` the saved object). The audit trail's actor is the signed-in user
    (django-auditlog's middleware). Subclasses declare ``allowed_roles`` and ``save``."""

    heading = ""
    success_message = ""

    def save(self, form):
        """Call the service with the form's data; return what was saved."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                obj = self.save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        message = self.success_message_for(obj)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url_for(obj))

    def success_message_for(self, obj) -> str:
        return self.success_message.format(obj=obj)

    def success_url_for(self, obj) -> str:
        return obj.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.heading:
            context["heading"] = self.heading
        return context


class RetentionView(RoleRequiredMixin, TemplateView):
    """What is kept and for how long (the settings in force), for admins."""

    allowed_roles = frozenset({Role.ADMIN})
    template_name = "core/retention.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rules": retention_rules()}
