from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from logistics.api.registry import page_includes, public_includes
from logistics.api.views import healthz

urlpatterns = [
    path("", include("logistics.dashboard.urls")),
    path("accounts/", include("logistics.accounts.urls")),
    path("school/", include("logistics.tenancy.urls")),
    path("people/", include("logistics.people.urls")),
    path("notifications/", include("logistics.notifications.urls")),
    path("reports/", include("logistics.reports.urls")),
    path("files/", include("logistics.attachments.urls")),
    path("corrective/", include("logistics.corrective.urls")),
    path("api/", include("logistics.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("system/", include("logistics.system.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    *[path(f"{label}/", include(module)) for label, module in page_includes()],
    # public pages (no login, no personal data): /p/<school_slug>/… from each app's public_urls
    *[path("p/<slug:school_slug>/", include(module)) for _label, module in public_includes()],
]
# Uploaded files are never served from MEDIA_URL: /files/<id>/ and the report views check permissions.
