"""Reminder providers of the safety app, run by the platform's scan every 15 minutes."""

from logistics.reminders.registry import Provider

from . import rounds


class PatrolRoundsProvider(Provider):
    """Makes the rounds of the schedules (idempotent) and ends those past their grace time: never
    started → missed, started → complete/incomplete; missed and incomplete ones are told once."""

    code = "safety.rounds"

    def process(self, now):
        rounds.generate_rounds(now)
        rounds.close_overdue(now)


class GatePurgeProvider(Provider):
    """Removes the personal data of gate entries older than ``safety.gate_retention_days``, keeping the
    rows (so the counts stay)."""

    code = "safety.gate_purge"

    def process(self, now):
        from . import gate

        gate.purge_old(now)


class LeavePassProvider(Provider):
    """Boarders out past the expected return: the class teacher and the guardians are told once
    (中小学幼儿园安全管理办法 art. 24)."""

    code = "safety.leave_passes"

    def process(self, now):
        from . import passes

        passes.tell_not_back(now)
