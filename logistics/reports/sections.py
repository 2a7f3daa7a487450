"""The platform's own report sections: the school at a glance (places, people) and, in the appendix, the
changes recorded (for the record — a principal has no use for them in the report itself)."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit.models import ChangeAction, ChangeRecord
from logistics.people.models import SchoolClass, Student
from logistics.tenancy.models import Building, Campus, Membership, Room

from .registry import OpenItem, Section, SectionData, Table


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class SchoolSummarySection(Section):
    code = "school"
    title = gettext_lazy("The school at a glance")
    order = 0

    def build(self, school, start, end):
        rooms = Room.objects.filter(school=school)
        students = Student.objects.filter(school=school)
        staff = Membership.objects.filter(school=school, active=True).values("user").distinct().count()
        places = [
            [_("Campuses"), Campus.objects.filter(school=school).count()],
            [_("Buildings"), Building.objects.filter(school=school).count()],
            [_("Rooms"), rooms.count()],
            [_("Classes"), SchoolClass.objects.filter(school=school).count()],
            [_("Students"), students.count()],
            [_("Boarders"), students.filter(boarding=True).count()],
            [_("People with a role"), staff],
        ]
        paragraph = _(
            "%(school)s has %(rooms)s rooms in %(buildings)s buildings and %(students)s students in %(classes)s "
            "classes."
        ) % {
            "school": school.name,
            "rooms": places[2][1],
            "buildings": places[1][1],
            "students": places[4][1],
            "classes": places[3][1],
        }
        return SectionData(
            title=str(self.title),
            paragraphs=[paragraph],
            tables=[Table(_("Places and people"), [_("Item"), _("Count")], places)],
        )

    def open_items(self, school, day):
        """The shared closed loop (``logistics.corrective``: hazards, inspection findings …): every action past
        its deadline and every major one not yet closed."""
        from logistics.corrective.choices import ACTIVE_STATUSES, OPEN_STATUSES, ActionLevel
        from logistics.corrective.models import CorrectiveAction

        actions = CorrectiveAction.objects.filter(
            Q(status__in=OPEN_STATUSES, deadline__lt=day) | Q(status__in=ACTIVE_STATUSES, level=ActionLevel.MAJOR),
            school=school,
        ).order_by("deadline", "found_at")
        items = []
        for action in actions[:50]:
            late = action.status in OPEN_STATUSES and action.deadline is not None and action.deadline < day
            if late:
                text = _("%(action)s is past its deadline (%(status)s)")
            else:
                text = _("Major hazard %(action)s is not closed yet (%(status)s)")
            items.append(
                OpenItem(
                    text % {"action": action, "status": action.get_status_display()},
                    due=action.deadline,
                    url=action.get_absolute_url(),
                    kind=str(action.origin_label),
                    area=_("Corrective actions"),
                )
            )
        return items


class ChangeLogSection(Section):
    """Appendix: how many changes were recorded in the period, by kind."""

    code = "changes"
    title = gettext_lazy("Appendix: changes recorded")
    order = 900
    appendix = True

    def build(self, school, start, end):
        changes = ChangeRecord.objects.filter(school=school, time__gte=_aware(start), time__lt=_aware(end))
        by_action = dict(changes.values_list("action").annotate(n=Count("pk")).order_by())
        activity = [
            [ChangeAction(action).label, by_action.get(action, 0)]
            for action in (
                ChangeAction.CREATE,
                ChangeAction.UPDATE,
                ChangeAction.DELETE,
                ChangeAction.EVENT,
            )
        ]
        total = sum(row[1] for row in activity)
        return SectionData(
            title=str(self.title),
            paragraphs=[_("%(total)s changes were recorded in Houqin in this period.") % {"total": total}],
            tables=[Table(_("Changes recorded"), [_("Kind"), _("Count")], activity, footer=[_("Total"), total])],
        )
