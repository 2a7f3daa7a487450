"""Imports of staff, classes, students with guardians, and guardians (人员导入): the platform's import pages
(``logistics.imports.views``) on :class:`~logistics.people.models.PeopleImport`, the kind chosen by the URL."""

from django.core.exceptions import PermissionDenied

from logistics.accounts.permissions import has_perm
from logistics.imports import registry
from logistics.ui.views import ObjectListView

from ..filtersets import PeopleImportFilterSet
from ..models import PeopleImport
from ..tables import PeopleImportTable


class PeopleImportListView(ObjectListView):
    queryset = PeopleImport.objects.select_related("created_by")
    filterset = PeopleImportFilterSet
    table = PeopleImportTable
    template_name = "people/import_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, "people.view_peopleimport", request.school):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_perm(self.request.user, "people.add_peopleimport", self.request.school)
        context["kinds"] = [(i.code.split(".")[-1], i.label, i.help_text) for i in registry.importers(PeopleImport)]
        return context
