"""Top-level URLs. Each app owns its own ``urls.py`` (pages) and ``api/urls.py`` (REST)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.roles import ALL_ROLES
from dashboards.views import HomeView


class SchemaView(SpectacularAPIView):
    allowed_roles = ALL_ROLES


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served as a file (no inline script: CSP)."""

    allowed_roles = ALL_ROLES


admin.site.site_header = "Social work workforce - administration"
admin.site.site_title = "Workforce admin"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("workforce/census/", include("workforce.census.urls")),
    path("workforce/", include("workforce.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("exits/", include("exits.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("agency/", include("agency.urls")),
    path("pay/", include("pay.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("core.urls")),
    path("api/", include("config.api_router")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
