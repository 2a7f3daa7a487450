"""Staff and parents' pages of the finance app: fee items, the board's versions, consents."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from logistics.accounts import permissions
from logistics.ui.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from logistics.workflow.views import StepPageView

from . import money, services, steps
from .choices import ConsentStatus, DisclosureStatus
from .filtersets import ChargeFilterSet, ConsentFilterSet, FeeDisclosureFilterSet, FeeItemFilterSet, PaymentFilterSet
from .forms import FeeDisclosureForm, FeeItemForm, PaymentForm, RefundForm, SettlementForm, WaiverForm, styled
from .models import Charge, Consent, DisclosureEntry, FeeDisclosure, FeeItem, Payment, Refund, Settlement, Waiver
from .tables import ChargeTable, ConsentTable, FeeDisclosureTable, FeeItemTable, PaymentTable, SettlementTable


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
        context["may_charge"] = permissions.has_perm(user, "finance.add_charge", item.school_id)
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
    #: the newest fee items first (this term's answers on top), each item's students in the order they
    #: were charged; no join to order by (the model orders by the item's and the student's names)
    ordering = ("-fee_item_id", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_remind"] = permissions.has_perm(self.request.user, "finance.remind_consent", self.request.school)
        return context


class ConsentDetailView(ObjectDetailView):
    queryset = Consent.objects.select_related("student__school_class", "fee_item", "decided_by")
    template_name = "finance/consent_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consent = self.object
        if consent.status == ConsentStatus.GIVEN:
            # paid: "withdraw consent" is not offered (the grant admits unpaid ones only); say why and what instead
            paid = money.paid_on_consent(consent)
            context["paid_consent_note"] = money.paid_consent_message(paid) if paid else ""
        return context


class ConsentStepView(StepPageView):
    queryset = Consent.objects.select_related("school", "fee_item", "student")

    def get_object(self):
        steps.revoke_refusal(self.request.user, self.spec, self.kwargs["pk"])
        return super().get_object()


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
        from django.http import FileResponse

        consent = get_object_or_404(Consent.objects.restrict(request.user, "view"), pk=pk)
        if not consent.paper_form:
            raise Http404
        return FileResponse(consent.paper_form.open("rb"), as_attachment=False)


# --- charges and money -----------------------------------------------------------------------------


class GenerateChargesView(LoginRequiredMixin, View):
    """POST: charge every student in the item's scope (voluntary: those whose guardian agreed)."""

    def post(self, request, pk):
        item = get_object_or_404(FeeItem.objects.restrict(request.user, "view"), pk=pk)
        if not permissions.has_perm(request.user, "finance.add_charge", item.school_id):
            raise PermissionDenied
        try:
            made = money.generate_charges(item, request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Charged %(count)s students.") % {"count": made})
        return redirect(item.get_absolute_url())


class ChargeListView(ObjectListView):
    queryset = Charge.objects.select_related("student__school_class", "fee_item")
    filterset = ChargeFilterSet
    table = ChargeTable
    watch = ("finance.payment", "finance.waiver", "finance.refund")  # the balance (as ``row_stamps``)

    def rows_queryset(self, queryset):
        return money.with_balances(queryset)

    def row_stamps(self, ids):
        """A row shows the charge's balance: it changed when the charge or its latest payment, waiver or
        refund did (a reversal or an approval saves that record)."""
        return money.money_stamps(ids)


class ChargeDetailView(ObjectDetailView):
    queryset = Charge.objects.select_related("student__school_class", "fee_item", "entry__disclosure")
    template_name = "finance/charge_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        charge, user = self.object, self.request.user
        charged, waived, paid, refunded, balance = money.figures(charge)
        may = {
            name: permissions.has_perm(user, f"finance.add_{name}", charge.school_id)
            for name in ("payment", "waiver", "refund")
        }
        forms_ = {}
        if may["payment"] and balance > 0:
            forms_["payment"] = styled(PaymentForm(initial={"amount": balance, "paid_on": timezone.localdate()}))
        if may["waiver"] and charged - waived > 0:
            forms_["waiver"] = styled(WaiverForm())
        if may["refund"] and paid - refunded > 0:
            forms_["refund"] = styled(RefundForm(initial={"amount": paid - refunded}))
        context.update(
            {
                "figures": {
                    "charged": charged,
                    "waived": waived,
                    "paid": paid,
                    "refunded": refunded,
                    "balance": balance,
                },
                "payments": list(
                    Payment.objects.restrict(user, "view").filter(charge=charge).select_related("created_by")
                ),
                "waivers": list(
                    Waiver.objects.restrict(user, "view").filter(charge=charge).select_related("decided_by")
                ),
                "refunds": list(
                    Refund.objects.restrict(user, "view").filter(charge=charge).select_related("decided_by")
                ),
                "money_forms": forms_,
            }
        )
        return context


class ChargeMoneyView(LoginRequiredMixin, View):
    """POST a payment, a waiver request or a refund request on a charge (``kind`` in the URL)."""

    forms_by_kind = {"payment": PaymentForm, "waiver": WaiverForm, "refund": RefundForm}

    def post(self, request, pk, kind):
        if kind not in self.forms_by_kind:
            raise Http404
        charge = get_object_or_404(Charge.objects.restrict(request.user, "view"), pk=pk)
        if not permissions.has_perm(request.user, f"finance.add_{kind}", charge.school_id):
            raise PermissionDenied
        form = self.forms_by_kind[kind](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if kind == "payment":
                    money.record_payment(
                        charge, request.user, data["amount"], data["method"], data["receipt_number"], data["paid_on"]
                    )
                elif kind == "waiver":
                    money.request_waiver(charge, request.user, data["amount"], data["kind"], data["reason"])
                else:
                    money.request_refund(charge, request.user, data["amount"], data["reason"], data["method"])
            except ValidationError as exc:
                form.add_error(None, exc) if not hasattr(exc, "error_dict") else [
                    form.add_error(f if f in form.fields else None, e) for f, e in exc.error_dict.items()
                ]
            else:
                messages.success(request, _("Saved."))
                return redirect(charge.get_absolute_url())
        detail = ChargeDetailView.as_view()
        request.method = "GET"
        response = detail(request, pk=pk)
        response.context_data["money_forms"][kind] = styled(form)
        response.status_code = 400
        return response


class PaymentListView(ObjectListView):
    queryset = Payment.objects.select_related("charge__student", "charge__fee_item")
    filterset = PaymentFilterSet
    table = PaymentTable


class PaymentStepView(StepPageView):
    queryset = Payment.objects.select_related("school", "charge")


class WaiverStepView(StepPageView):
    queryset = Waiver.objects.select_related("school", "charge")


class RefundStepView(StepPageView):
    queryset = Refund.objects.select_related("school", "charge")


class PaymentReceiptView(LoginRequiredMixin, View):
    """The receipt of a payment as PDF (Chinese fonts), to whoever may see the payment (parents: their
    own children's)."""

    def get(self, request, pk):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        from logistics.ui.documents import html_to_pdf

        payment = get_object_or_404(
            Payment.objects.restrict(request.user, "view").select_related(
                "charge__student__school_class", "charge__fee_item", "school", "created_by"
            ),
            pk=pk,
        )
        html = render_to_string("finance/receipt.html", {"payment": payment, "school": payment.school}, request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="receipt-{payment.pk}.pdf"'
        return response


# --- term settlements ------------------------------------------------------------------------------


class SettlementListView(ObjectListView):
    queryset = Settlement.objects.select_related("fee_item")
    table = SettlementTable


class SettlementDetailView(ObjectDetailView):
    queryset = Settlement.objects.select_related("fee_item", "approved_by")
    template_name = "finance/settlement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = list(
            self.object.lines.select_related("charge__student__school_class").order_by("-refund", "pk")[:200]
        )
        context["line_count"] = self.object.lines.count()
        from .settlement_page import settlement_cost_context

        context.update(settlement_cost_context(self.object, self.request.user))
        return context


class SettlementEditView(ObjectEditView):
    queryset = Settlement.objects.all()
    form_class = SettlementForm


class SettlementStepView(StepPageView):
    queryset = Settlement.objects.select_related("school", "fee_item")
