"""Dashboard pages (thin views) and the site's home and error pages."""

from django.shortcuts import render
from django.views.generic import RedirectView, TemplateView

from workforce.roles import DASHBOARD_READERS, RoleRequiredMixin


class HomeView(RedirectView):
    """Everyone lands on the dashboard overview (sign-in first)."""

    pattern_name = "dashboards:overview"


class OverviewView(RoleRequiredMixin, TemplateView):
    allowed_roles = DASHBOARD_READERS
    template_name = "dashboards/overview.html"


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
