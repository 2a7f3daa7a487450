"""The platform's own widget: the school at a glance."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from logistics.notifications.models import Notification
from logistics.people.models import Student
from logistics.tenancy.models import Room

from .registry import Widget


class SchoolSummaryWidget(Widget):
    code = "school"
    title = _("The school at a glance")
    order = 0
    district_columns = (("rooms", _("Rooms")), ("students", _("Students")))

    def context(self, school, user):
        return {
            "figures": [
                (_("Rooms"), Room.objects.filter(school=school).count()),
                (_("Students"), Student.objects.filter(school=school).count()),
                (
                    _("My unread notifications"),
                    Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
                ),
            ]
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        rooms = dict(Room.objects.filter(school__in=ids).values_list("school").annotate(n=Count("pk")).order_by())
        students = dict(Student.objects.filter(school__in=ids).values_list("school").annotate(n=Count("pk")).order_by())
        return {sid: {"rooms": rooms.get(sid, 0), "students": students.get(sid, 0)} for sid in ids}
