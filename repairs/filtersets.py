"""One FilterSet per model, used by the HTML lists and the API alike."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.models import Building, Room
from logistics.ui.filtersets import BaseFilterSet

from .choices import OPEN_STATUSES, Cause, Recurrence, TicketKind, TicketStatus, Trade, Urgency
from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog


class TicketFilterSet(BaseFilterSet):
    search_fields = ("reference", "description", "room__name")
    # distinct=False: these are columns of the ticket (no join, no duplicates); DISTINCT would
    # defeat the index-only count
    # distinct=False: columns of the ticket itself (no join, no duplicates); DISTINCT would turn the
    # index-only capped count into a sort
    status = django_filters.MultipleChoiceFilter(choices=TicketStatus.choices, label=_("status"), distinct=False)
    trade = django_filters.MultipleChoiceFilter(choices=Trade.choices, label=_("trade"), distinct=False)
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("urgency"), distinct=False)
    kind = django_filters.ChoiceFilter(choices=TicketKind.choices, label=_("kind"))
    cause = django_filters.ChoiceFilter(choices=Cause.choices, label=_("cause"))
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.all(), label=_("building"))
    room = django_filters.NumberFilter(field_name="room_id", label=_("room"))
    requester = django_filters.NumberFilter(field_name="requester_id", label=_("requester"))
    assignee = django_filters.NumberFilter(method="filter_assignee", label=_("repair worker"))
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte", label=_("from"))
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte", label=_("to"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("escalated"))
    past_target = django_filters.BooleanFilter(method="filter_past_target", label=_("past the target time"))

    class Meta:
        model = Ticket
        fields = ["status", "trade", "urgency", "building", "room", "requester", "assignee", "kind"]

    def filter_assignee(self, queryset, name, value):
        if value is None:
            return queryset
        through = Ticket.assignees.through.objects.filter(user_id=value).values("ticket_id")
        return queryset.filter(pk__in=through)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(escalated_at__isnull=not value)

    def filter_past_target(self, queryset, name, value):
        """Open tickets whose target time has passed (the dashboard's "past their target time")."""
        if value is None:
            return queryset
        late = Q(status__in=OPEN_STATUSES, target_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class MaintenancePlanFilterSet(BaseFilterSet):
    search_fields = ("name", "equipment")
    trade = django_filters.ChoiceFilter(choices=Trade.choices, label=_("trade"))
    recurrence = django_filters.ChoiceFilter(choices=Recurrence.choices, label=_("recurrence"))
    room = django_filters.ModelChoiceFilter(queryset=Room.objects.all(), label=_("room"))

    class Meta:
        model = MaintenancePlan
        fields = ["trade", "recurrence", "active", "room"]


class DutySlotFilterSet(BaseFilterSet):
    search_fields = ("worker__username", "worker__display_name")
    trade = django_filters.ChoiceFilter(choices=Trade.choices, label=_("trade"))

    class Meta:
        model = DutySlot
        fields = ["trade", "weekday"]


class WorkLogFilterSet(BaseFilterSet):
    search_fields = ("note",)
    worker = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("worker"))

    class Meta:
        model = WorkLog
        fields = ["worker"]


class PartUsageFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = PartUsage
        fields = ["name"]
