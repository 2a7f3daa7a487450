"""The corrective actions' reminders, run by the platform's scan every 15 minutes."""

from django.utils.translation import gettext as _

from logistics.reminders.registry import DueItem, Provider

from . import services


class CorrectiveActionProvider(Provider):
    """The responsible person is reminded on the deadline day; an action still open after its deadline
    escalates once to the logistics head and once more to the principal
    (``corrective.escalate_principal_after_days`` later) — :func:`services.escalate_overdue`."""

    code = "corrective.deadline"

    def process(self, now):
        services.escalate_overdue(now)

    def due_items(self, now):
        for action in services.due_today(now).order_by("school_id", "pk")[:2000]:
            yield DueItem(
                obj=action,
                due_at=action.deadline,
                title=_("%(ref)s is due today: %(title)s") % {"ref": action.reference, "title": action.title},
                recipients=[action.owner],
            )
