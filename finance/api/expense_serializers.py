"""Serializers of spending approval (expenses and their signatures, collective decisions), budgets and
the staff statement, and the request bodies of their steps."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.validators import validate_document
from logistics.workflow.serializers import StepSerializer

from ..choices import PayMethod
from ..models import Budget, BudgetRevision, CollectiveDecision, Expense, ExpenseSignature, StaffStatement


class FileRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


def _files(obj, kind):
    from ..expenses import attachments_of

    return [
        {"id": a.pk, "name": str(a), "url": reverse("attachments:download", args=[a.pk])}
        for a in attachments_of(obj, kind)
    ]


class ExpenseSignatureSerializer(serializers.ModelSerializer):
    signer_name = serializers.CharField(source="signer.__str__", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ExpenseSignature
        fields = ["id", "signer", "signer_name", "role", "role_label", "signed_at", "comment"]


class ExpenseSerializer(SchoolScopedSerializer):
    """An expense/reimbursement. Create (multipart for the invoice scans ``invoices``) as a draft, then
    the steps ``submit``, ``approve`` (a signature; twice, by two different people), ``reject``,
    ``withdraw``, ``pay``, ``reverse``. The buyer (经办人) and the receiver (验收人) differ."""

    invoices = serializers.ListField(
        child=serializers.FileField(validators=[validate_document]), write_only=True, required=False, max_length=5
    )
    invoice_files = serializers.SerializerMethodField()
    signatures = ExpenseSignatureSerializer(many=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    buyer_name = serializers.CharField(source="buyer.__str__", read_only=True)
    receiver_name = serializers.CharField(source="receiver.__str__", read_only=True)
    pay_method = serializers.CharField(read_only=True, help_text="bank, official_card or cash; empty until paid")
    pay_method_label = serializers.CharField(source="get_pay_method_display", read_only=True)

    class Meta:
        model = Expense
        fields = [
            "id", "school", "reference", "purpose", "amount", "category", "category_label", "supplier",
            "spent_on", "buyer", "buyer_name", "receiver", "receiver_name", "decision", "status",
            "status_label", "filed_by", "submitted_at", "approved_at", "rejection_reason", "paid_on",
            "pay_method", "pay_method_label", "voucher_number", "reversed_at", "reversal_reason", "signatures", "invoices",
            "invoice_files",
        ]  # fmt: skip
        read_only_fields = ["reference", "status", "filed_by"]

    @extend_schema_field(FileRefSerializer(many=True))
    def get_invoice_files(self, obj):
        from ..expenses import INVOICE

        return _files(obj, INVOICE)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        buyer = attrs.get("buyer", getattr(self.instance, "buyer", None))
        receiver = attrs.get("receiver", getattr(self.instance, "receiver", None))
        if buyer is not None and buyer == receiver:
            from django.utils.translation import gettext as _

            raise serializers.ValidationError(
                {
                    "receiver": _(
                        "The person who checked receipt (验收人) must be someone other than the buyer (经办人)."
                    )
                }
            )
        return attrs


class SignSerializer(StepSerializer):
    """A signature on an expense, with an optional comment."""

    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PaySerializer(StepSerializer):
    """The payment of an approved expense."""

    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PayMethod.choices)
    voucher_number = serializers.CharField(max_length=40)


class CollectiveDecisionSerializer(SchoolScopedSerializer):
    """A collective decision (集体决策) with its minutes (multipart ``minutes``, required on create)."""

    minutes = serializers.ListField(
        child=serializers.FileField(validators=[validate_document]), write_only=True, max_length=5, min_length=1
    )
    minutes_files = serializers.SerializerMethodField()

    class Meta:
        model = CollectiveDecision
        fields = ["id", "school", "meeting_date", "subject", "participants", "decision", "minutes", "minutes_files"]

    @extend_schema_field(FileRefSerializer(many=True))
    def get_minutes_files(self, obj):
        from ..expenses import MINUTES

        return _files(obj, MINUTES)


class BudgetRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetRevision
        fields = ["id", "previous_amount", "amount", "reason", "created", "created_by"]


class BudgetSerializer(SchoolScopedSerializer):
    """A budget per school, year and category, with actual (paid), committed (approved, unpaid),
    remaining and percent used. The amount changes only through the action ``revise``."""

    category_label = serializers.CharField(source="get_category_display", read_only=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    remaining = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()

    class Meta:
        model = Budget
        fields = [
            "id", "school", "year", "category", "category_label", "amount", "note", "actual", "committed",
            "remaining", "percent",
        ]  # fmt: skip

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_remaining(self, obj):
        actual, committed = getattr(obj, "actual", None), getattr(obj, "committed", None)
        if actual is None:
            return None
        return str(obj.amount - actual - committed)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_percent(self, obj):
        actual = getattr(obj, "actual", None)
        if actual is None or not obj.amount:
            return None
        return float(round((actual + obj.committed) * 100 / obj.amount, 1))


class BudgetDetailSerializer(BudgetSerializer):
    revisions = BudgetRevisionSerializer(many=True, read_only=True)

    class Meta(BudgetSerializer.Meta):
        fields = [*BudgetSerializer.Meta.fields, "revisions"]


class BudgetReviseSerializer(serializers.Serializer):
    """A budget revision: the new amount and why."""

    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    reason = serializers.CharField(max_length=300)


class StaffStatementSerializer(SchoolScopedSerializer):
    """A staff income/expense statement for a period. Create a draft with ``title``, ``period_start``,
    ``period_end`` (or ``corrects``: the published version it corrects); then ``submit`` (finance
    officer), ``publish`` or ``return-for-changes`` (principal). Published versions answer 409 to writes."""

    corrects = serializers.PrimaryKeyRelatedField(
        queryset=StaffStatement.objects.all(), write_only=True, required=False, allow_null=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)

    class Meta:
        model = StaffStatement
        fields = [
            "id", "school", "title", "period_start", "period_end", "version", "note", "status", "status_label",
            "figures", "supersedes", "corrects", "submitted_at", "published_at", "published_by",
        ]  # fmt: skip
        read_only_fields = ["version", "status", "figures", "supersedes", "published_at", "published_by"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("corrects"):
            from django.utils.translation import gettext as _

            errors = {k: [_("This field is required.")] for k in ("period_start", "period_end") if not attrs.get(k)}
            if errors:
                raise serializers.ValidationError(errors)
        return attrs
