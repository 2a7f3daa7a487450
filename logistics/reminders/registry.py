"""Registry of "due item" providers, scanned by one Celery beat task every 15 minutes.

A provider (subclass of :class:`Provider`) yields :class:`DueItem` for everything due and not yet
handled — never "what fell due since the last run", so a skipped scan loses nothing. It may also
act (open a preventive ticket, auto-confirm a repair) in :meth:`Provider.process`, which runs
before ``due_items`` on each scan and must be idempotent.

Each reminder goes once per (item, due date, recipient); an item past ``overdue_at`` escalates
once to ``escalate_to``. Dedupe is the notification's key, so it holds across processes.
"""

from dataclasses import dataclass, field


@dataclass
class DueItem:
    obj: object
    due_at: object  # datetime or date
    title: str
    recipients: list
    body: str = ""
    url: str = ""
    overdue_at: object = None
    escalate_to: list = field(default_factory=list)
    escalation_title: str = ""


class Provider:
    code = ""

    def process(self, now):
        """Act on what is due (optional); idempotent."""

    def due_items(self, now):
        return []


_providers = []


def register(provider_class):
    _providers.append(provider_class())
    return provider_class


def providers():
    return list(_providers)
