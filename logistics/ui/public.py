"""Public pages (``/p/<school-slug>/…``, ARCHITECTURE.md § Tenancy): read-only, no login, phone-sized,
no personal data. A domain app offers them in ``<app>/public_urls.py`` (mounted by the platform at
``/p/<school-slug>/<app label>/``); its views mix in :class:`PublicSchoolMixin`."""

from django.shortcuts import get_object_or_404

from logistics.tenancy.models import School


class PublicSchoolMixin:
    """The school of the URL's ``school_slug`` (404 if none) as ``self.school``; templates extend
    ``public_base.html``."""

    def dispatch(self, request, *args, **kwargs):
        self.school = get_object_or_404(School, slug=kwargs.pop("school_slug"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["school"] = self.school
        return context
