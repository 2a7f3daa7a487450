"""Guardian links added or removed through ``Student.guardians`` (bulk, no save signals) still reach
the student's history: a guardian link is what lets a parent see a child's records."""

from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event

from .models import Student


def guardians_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    students = [instance] if not reverse else list(Student.objects.filter(pk__in=pk_set or []))
    for student in students:
        record_event(
            student,
            f"guardians.{action.removeprefix('post_')}",
            _("Guardians changed"),
            {"guardian_ids": sorted(pk_set or []) if not reverse else [instance.pk]},
        )


def connect():
    m2m_changed.connect(guardians_changed, sender=Student.guardians.through, dispatch_uid="people-guardians")
