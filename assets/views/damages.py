"""Damage compensation pages (损坏赔偿)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from logistics.ui.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from logistics.workflow.views import StepPageView

from .. import services
from ..filtersets import DamageRecordFilterSet
from ..forms import DamageRecordForm
from ..models import DamageRecord
from ..tables import DamageRecordTable


class DamageRecordListView(ObjectListView):
    queryset = DamageRecord.objects.select_related("asset", "responsible_class", "responsible_student")
    filterset = DamageRecordFilterSet
    table = DamageRecordTable


class DamageRecordDetailView(ObjectDetailView):
    queryset = DamageRecord.objects.select_related(
        "asset", "room__building", "responsible_class", "responsible_student", "source_type"
    )
    template_name = "assets/damage_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        source = None
        if obj.source_type_id:
            model = obj.source_type.model_class()
            manager = getattr(model, "objects", None) if model else None
            if manager is not None and hasattr(manager, "restrict"):
                source = manager.restrict(self.request.user, "view").filter(pk=obj.source_id).first()
        context["source"] = source
        return context


class DamageRecordEditView(ObjectEditView):
    queryset = DamageRecord.objects.all()
    form_class = DamageRecordForm

    def save(self, form):
        if self.object.pk:
            return form.save()
        data = form.cleaned_data
        record = services.open_damage_record(
            school=self.object.school,
            user=self.request.user,
            amount=data["amount"],
            description=data["description"],
            asset=data.get("asset_code"),
            room=data.get("room"),
            responsible_class=data.get("responsible_class"),
            responsible_student=data.get("responsible_student"),
            responsible_person=data.get("responsible_person", ""),
        )
        if data.get("occurred_on"):
            record.occurred_on = data["occurred_on"]
            record.save(update_fields=["occurred_on", "updated"])
        return record


class DamageRecordDeleteView(ObjectDeleteView):
    """Only an unpaid record entered by mistake can be deleted; a paid one is a financial record."""

    queryset = DamageRecord.objects.all()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            services.delete_damage_record(record=obj, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted."))
        return redirect("assets:damagerecord_list")


class DamageStepView(StepPageView):
    """Record the payment — declared on ``DamageRecord``; a paid record is read-only."""

    queryset = DamageRecord.objects.all()


def damage_receipt(request, pk):
    from django.contrib.auth.views import redirect_to_login
    from django.http import FileResponse, Http404

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    record = get_object_or_404(DamageRecord.objects.restrict(request.user, "view"), pk=pk)
    if not record.receipt:
        raise Http404
    return FileResponse(record.receipt.open("rb"), filename=record.receipt.name.rsplit("/", 1)[-1])
