"""The actual cost of each student in a term settlement (每生实际费用): the total split equally, in
proportion to each charge, or entered per student (class by class, on a form); the settlement then
uses each student's own figure (``finance.settlement.compute``)."""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.imports.views import ImportTemplateView, ImportUploadView
from logistics.people.models import SchoolClass

from .choices import CostSplit, SettlementStatus
from .models import Charge, Settlement, StudentCost

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_COST = Decimal("99999999.99")


def equal_shares(total, count):
    """``total`` split into ``count`` shares to the cent; the cents left over go to the first shares, so
    the shares add up to the total exactly."""
    if count == 0:
        return []
    base = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    extra = int(((total - base * count) / CENT).to_integral_value())
    return [base + CENT if i < extra else base for i in range(count)]


def proportional_shares(total, weights):
    """``total`` split in proportion to ``weights`` to the cent (largest remainders get the cents left),
    adding up to the total exactly."""
    whole = sum(weights, ZERO)
    if not weights:
        return []
    if whole == ZERO:
        return equal_shares(total, len(weights))
    raw = [total * w / whole for w in weights]
    floors = [r.quantize(CENT, rounding=ROUND_DOWN) for r in raw]
    left = int(((total - sum(floors, ZERO)) / CENT).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (floors[i] - raw[i], i))
    for i in order[:left]:
        floors[i] += CENT
    return floors


def cost_shares(settlement, charges):
    """Each charge's actual cost, in the order of ``charges``, by the settlement's split. Per student: the
    entered figures, every charged student needing one (refused naming those missing); the settlement's
    actual total becomes their sum."""
    if settlement.split == CostSplit.PER_STUDENT:
        entered = dict(StudentCost.objects.filter(settlement=settlement).values_list("charge_id", "amount"))
        missing = [c for c in charges if c.pk not in entered]
        if missing:
            names = "、".join(c.student.name for c in missing[:5])
            raise ValidationError(
                _("The actual cost of %(count)s charged students is not entered yet (%(names)s…).")
                % {"count": len(missing), "names": names}
            )
        costs = [entered[c.pk] for c in charges]
        settlement.actual_total = sum(costs, ZERO)
        return costs
    if settlement.split == CostSplit.BY_CHARGE:
        return proportional_shares(settlement.actual_total, [c.amount for c in charges])
    return equal_shares(settlement.actual_total, len(charges))


def costs_changed_since_computed(settlement):
    """Whether a student's cost was entered or changed after the settlement was computed."""
    if settlement.split != CostSplit.PER_STUDENT or settlement.computed_at is None:
        return False
    return StudentCost.objects.filter(settlement=settlement, updated__gt=settlement.computed_at).exists()


def parse_cost(raw):
    text = (raw or "").strip().replace(",", "").replace("元", "")
    if text == "":
        return None
    try:
        value = Decimal(text).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“%(value)s” is not an amount") % {"value": raw}) from None
    if value < ZERO or value > MAX_COST:
        raise ValidationError(_("Enter an amount from 0 to 99,999,999.99."))
    return value


def save_costs(settlement, actor, figures):
    """Save the entered costs (``{charge: Decimal}``): created or changed one by one (each change
    recorded); refused once the settlement is approved."""
    if settlement.status == SettlementStatus.APPROVED:
        raise ValidationError(_("This settlement is approved: its costs can no longer change."))
    with transaction.atomic():
        have = {c.charge_id: c for c in StudentCost.objects.select_for_update().filter(settlement=settlement)}
        changed = 0
        for charge, amount in figures.items():
            cost = have.get(charge.pk)
            if cost is None:
                cost = StudentCost(school_id=settlement.school_id, settlement=settlement, charge=charge, amount=amount)
                cost.created_by = actor
            elif cost.amount == amount:
                continue
            cost.amount = amount
            cost.updated_by = actor
            cost.save()
            changed += 1
    return changed


class StudentCostView(LoginRequiredMixin, TemplateView):
    """The actual cost of each charged student of one class (``?school_class=``), entered by the
    finance officer; the classes with how many students are entered."""

    template_name = "finance/student_costs.html"

    def setup_objects(self, request, pk):
        self.settlement = get_object_or_404(
            Settlement.objects.restrict(request.user, "view").select_related("fee_item"), pk=pk
        )
        if not permissions.has_perm(request.user, "finance.add_studentcost", self.settlement.school_id):
            raise PermissionDenied
        charges = Charge.objects.filter(fee_item_id=self.settlement.fee_item_id, settlement__isnull=True)
        self.classes = list(
            SchoolClass.objects.filter(pk__in=charges.values("student__school_class_id"))
            .select_related("grade")
            .order_by("grade__order", "name")
        )
        wanted = request.GET.get("school_class") or request.POST.get("school_class")
        self.school_class = next((k for k in self.classes if str(k.pk) == str(wanted)), None)
        if self.school_class is None and self.classes:
            self.school_class = self.classes[0]
        self.charges = (
            list(
                charges.filter(student__school_class=self.school_class)
                .select_related("student")
                .order_by("student__student_number", "student__name")
            )
            if self.school_class
            else []
        )
        self.entered = dict(StudentCost.objects.filter(settlement=self.settlement).values_list("charge_id", "amount"))

    def get(self, request, pk):
        self.setup_objects(request, pk)
        rows = [(c, self.entered.get(c.pk, ""), "") for c in self.charges]
        return self.render_to_response(self.context(rows))

    def post(self, request, pk):
        self.setup_objects(request, pk)
        rows, figures, bad = [], {}, False
        for charge in self.charges:
            raw = request.POST.get(f"cost_{charge.pk}", "")
            try:
                value = parse_cost(raw)
            except ValidationError as exc:
                rows.append((charge, raw, " ".join(exc.messages)))
                bad = True
                continue
            rows.append((charge, raw, ""))
            if value is not None:
                figures[charge] = value
        if not bad:
            try:
                changed = save_costs(self.settlement, request.user, figures)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved the actual cost of %(n)s students.") % {"n": changed})
                url = reverse("finance:settlement_costs", args=[self.settlement.pk])
                return redirect(f"{url}?school_class={self.school_class.pk}")
        response = self.render_to_response(self.context(rows, error=True))
        response.status_code = 400
        return response

    def context(self, rows, error=False):
        entered_per_class = {}
        class_of = dict(Charge.objects.filter(pk__in=list(self.entered)).values_list("pk", "student__school_class_id"))
        for charge_id in self.entered:
            entered_per_class[class_of.get(charge_id)] = entered_per_class.get(class_of.get(charge_id), 0) + 1
        return {
            "settlement": self.settlement,
            "classes": [(k, entered_per_class.get(k.pk, 0)) for k in self.classes],
            "school_class": self.school_class,
            "rows": rows,
            "error": error,
            "editable": self.settlement.status != SettlementStatus.APPROVED,
            "per_student": self.settlement.split == CostSplit.PER_STUDENT,
            "title": _("Actual cost per student"),
        }


# --- the import of the costs (XLSX/CSV, on the platform's import engine; finance/cost_import.py) -------


def _settlement_for_import(request):
    """The settlement named by ``?settlement=`` (or the form's field) that the user may enter costs of."""
    from django.http import Http404

    pk = request.GET.get("settlement") or request.POST.get("settlement")
    if not str(pk or "").isdigit():
        raise Http404
    settlement = get_object_or_404(Settlement.objects.restrict(request.user, "view").select_related("fee_item"), pk=pk)
    if not permissions.has_perm(request.user, "finance.add_studentcost", settlement.school_id):
        raise PermissionDenied
    return settlement


class CostImportUploadView(ImportUploadView):
    """Upload the costs of one settlement (``?settlement=``); refused once it is approved."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.settlement = _settlement_for_import(request)
            if self.settlement.status == SettlementStatus.APPROVED:
                raise PermissionDenied(_("This settlement is approved: its costs can no longer change."))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        from logistics.imports import engine

        from .models import StudentCostImport

        form = self.upload_form_class(request.POST, request.FILES, user=request.user, school=request.school)
        if form.is_valid():
            settlement = self.settlement
            try:
                # the engine builds the record with the school and the file; the settlement comes with it
                record = engine.open_import(
                    lambda **fields: StudentCostImport(settlement=settlement, **fields),
                    school=settlement.school,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    importer=self.get_importer().code,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect(self.url("mapping", record.pk))
        return self.render(form, status=400)

    def template_url(self, importer):
        return f"{self.url('template')}?settlement={self.settlement.pk}"

    def render(self, form, status=200):
        from django.shortcuts import render

        importer = self.get_importer()
        context = {
            "form": form,
            "importer": importer,
            "title": _("Import: %(what)s") % {"what": f"{importer.label} · {self.settlement}"},
            "template_url": self.template_url(importer),
            "url_base": self.url_base(),
        }
        return render(self.request, self.template_name, context, status=status)


class CostImportTemplateView(ImportTemplateView):
    """The XLSX template: with ``?settlement=``, every charged student of it (学号, name, class, cost)."""

    def get(self, request, *args, **kwargs):
        import io

        from django.http import HttpResponse
        from openpyxl import Workbook

        from .cost_import import template_rows

        settlement = _settlement_for_import(request)
        importer = self.get_importer()
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([c.template_header for c in importer.columns])
        for row in template_rows(settlement):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="settlement-{settlement.pk}-costs.xlsx"'
        return response
