"""Staff and parents' pages of the finance app: fee items, the board's versions, consents."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from logistics.accounts import permissions
from logistics.ui.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from logistics.workflow.views import StepPageView

from . import services
from .choices import ConsentStatus, DisclosureStatus
from .filtersets import ConsentFilterSet, FeeDisclosureFilterSet, FeeItemFilterSet
from .forms import FeeDisclosureForm, FeeItemForm
from .models import Consent, DisclosureEntry, FeeDisclosure, FeeItem
from .tables import ConsentTable, FeeDisclosureTable, FeeItemTable


def _error_text(exc):
    return " ".join(exc.messages)


# --- fee items -------------------------------------------------------------------------------------


class FeeItemListView(ObjectListView):
    queryset = FeeItem.objects.all()
    filterset = FeeItemFilterSet
    table = FeeItemTable


class FeeItemDetailView(ObjectDetailView):
    queryset = FeeItem.objects.prefetch_related("grades")
    template_name = "finance/feeitem_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        user = self.request.user
        context["entry"] = services.on_published_board(item)
        if item.voluntary:
            consents = Consent.objects.restrict(user, "view").filter(fee_item=item)
            counts = dict(consents.values("status").annotate(n=Count("pk")).values_list("status", "n").order_by())
            context["consent_counts"] = [(label, counts.get(value, 0)) for value, label in ConsentStatus.choices]
            context["may_open"] = permissions.has_perm(user, "finance.add_consent", item.school_id)
        return context


class FeeItemEditView(ObjectEditView):
    queryset = FeeItem.objects.all()
    form_class = FeeItemForm


class FeeItemDeleteView(ObjectDeleteView):
    queryset = FeeItem.objects.all()


class OpenConsentsView(LoginRequiredMixin, View):
    """POST: ask every student's guardian in the item's scope for consent (finance officer)."""

    def post(self, request, pk):
        item = get_object_or_404(FeeItem.objects.restrict(request.user, "view"), pk=pk)
        if not permissions.has_perm(request.user, "finance.add_consent", item.school_id):
            raise PermissionDenied
        try:
            opened = services.open_consents(item, request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Asked the guardians of %(count)s students.") % {"count": opened})
        return redirect(item.get_absolute_url())


# --- the board -------------------------------------------------------------------------------------


class FeeDisclosureListView(ObjectListView):
    queryset = FeeDisclosure.objects.all()
    filterset = FeeDisclosureFilterSet
    table = FeeDisclosureTable
    template_name = "finance/feedisclosure_list.html"


class FeeDisclosureDetailView(ObjectDetailView):
    queryset = FeeDisclosure.objects.select_related("submitted_by", "approved_by", "published_by", "supersedes")
    template_name = "finance/feedisclosure_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        disclosure = self.object
        if disclosure.status == DisclosureStatus.DRAFTED:
            # a draft shows what submitting it would copy: the items now on the board
            items = FeeItem.objects.filter(school_id=disclosure.school_id, on_board=True).prefetch_related("grades")
            from .steps import entry_from_item

            entries = [entry_from_item(item, disclosure) for item in items.order_by("category", "name")]
        else:
            entries = list(disclosure.entries.order_by("category", "name"))
        previous = (
            FeeDisclosure.objects.filter(
                school_id=disclosure.school_id,
                version__lt=disclosure.version,
                status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.SUPERSEDED],
            )
            .order_by("-version")
            .first()
        )
        context.update(
            {
                "entries": entries,
                "previous": previous,
                "changes": services.diff(DisclosureEntry.objects.filter(disclosure=previous), entries)
                if previous
                else None,
            }
        )
        return context


class FeeDisclosureEditView(ObjectEditView):
    queryset = FeeDisclosure.objects.all()
    form_class = FeeDisclosureForm


class FeeDisclosureStepView(StepPageView):
    queryset = FeeDisclosure.objects.select_related("school")


# --- consents --------------------------------------------------------------------------------------


class ConsentListView(ObjectListView):
    queryset = Consent.objects.select_related("student__school_class", "fee_item")
    filterset = ConsentFilterSet
    table = ConsentTable
    template_name = "finance/consent_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_remind"] = permissions.has_perm(self.request.user, "finance.remind_consent", self.request.school)
        return context


class ConsentDetailView(ObjectDetailView):
    queryset = Consent.objects.select_related("student__school_class", "fee_item", "decided_by")
    template_name = "finance/consent_detail.html"


class ConsentStepView(StepPageView):
    queryset = Consent.objects.select_related("school", "fee_item", "student")


class RemindConsentsView(LoginRequiredMixin, View):
    """POST: remind the guardians of the pending consents the user may remind (the filtered list)."""

    def post(self, request):
        school = request.school
        if not school or not permissions.has_perm(request.user, "finance.remind_consent", school):
            raise PermissionDenied
        consents = Consent.objects.restrict(request.user, "remind").in_school(school)
        filtered = ConsentFilterSet(request.POST, queryset=consents, request=request)
        count = services.remind_guardians(filtered.qs if filtered.is_valid() else consents, request.user)
        messages.success(request, _("Reminded the guardians of %(count)s students.") % {"count": count})
        kept = {k: request.POST[k] for k in ("fee_item", "school_class", "status") if request.POST.get(k)}
        return redirect(reverse("finance:consent_list") + (f"?{urlencode(kept)}" if kept else ""))


class ConsentFormView(LoginRequiredMixin, View):
    """The scan of a signed paper form, to whoever may see the consent."""

    def get(self, request, pk):
        from django.http import FileResponse, Http404

        consent = get_object_or_404(Consent.objects.restrict(request.user, "view"), pk=pk)
        if not consent.paper_form:
            raise Http404
        return FileResponse(consent.paper_form.open("rb"), as_attachment=False)
