"""The precomputed monthly figures equal the direct computation, stay flat, and follow changes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repairs import figures, services, stats
from repairs.models import MonthFigures, Ticket

from .test_figures import TZ, october, run  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db

PERIODS = [
    (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)),  # one whole month
    (datetime.date(2026, 9, 1), datetime.date(2027, 2, 1)),  # the term
    (datetime.date(2026, 10, 5), datetime.date(2026, 10, 15)),  # inside a month
    (datetime.date(2026, 9, 20), datetime.date(2026, 12, 3)),  # edges cut two months
    (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)),  # nothing in it
]


def direct(school_ids, start, end):
    return stats.compute(school_ids, start, end, use_cache=False)


class TestMonthFigures:
    @pytest.mark.parametrize(("start", "end"), PERIODS)
    def test_equal_to_the_direct_computation(self, school, october, start, end):  # noqa: F811
        assert figures.figures([school.pk], start, end, use_cache=False) == direct([school.pk], start, end)
        # the second time from the stored rows
        assert MonthFigures.objects.filter(school=school).exists() or start.day != 1
        assert figures.figures([school.pk], start, end, use_cache=False) == direct([school.pk], start, end)

    def test_several_schools(self, school, other_school, other_room, other_people, october):  # noqa: F811
        run(other_people, other_school, other_room, "it", 30, parts=[("网线", 3, "米", "2")])
        start, end = datetime.date(2026, 9, 1), datetime.date(2027, 2, 1)
        ids = [school.pk, other_school.pk]
        assert figures.figures(ids, start, end, use_cache=False) == direct(ids, start, end)

    def test_follows_changes(self, school, room, people, october):  # noqa: F811
        start, end = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
        with time_machine.travel(datetime.datetime(2026, 10, 25, 9, tzinfo=TZ), tick=True):
            before = figures.figures([school.pk], start, end, use_cache=False)
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="hvac", description="空调"
            )
            # the stored month is not recomputed on read: minutes old, until the refresh
            assert figures.figures([school.pk], start, end, use_cache=False) == before
            assert figures.refresh_changed() == 1
            after = figures.figures([school.pk], start, end, use_cache=False)
            assert after == direct([school.pk], start, end) and after["total"] == before["total"] + 1
            services.cancel(ticket, people.teacher, "不用了")
            assert figures.refresh_changed() == 1
            assert figures.figures([school.pk], start, end, use_cache=False) == direct([school.pk], start, end)
        with time_machine.travel(datetime.datetime(2026, 10, 25, 10, tzinfo=TZ), tick=True):
            figures.refresh_changed()  # changes just before the last refresh are looked at again (MARGIN)
        with time_machine.travel(datetime.datetime(2026, 10, 25, 11, tzinfo=TZ), tick=True):
            assert figures.refresh_changed() == 0  # nothing changed since

    def test_net_for_writes_without_a_change_record(self, school, october):  # noqa: F811
        start, end = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
        figures.figures([school.pk], start, end, use_cache=False)
        Ticket.objects.filter(school=school).update(escalated_at=datetime.datetime(2026, 10, 30, tzinfo=TZ))
        MonthFigures.objects.update(computed_at=datetime.datetime(2026, 1, 1, tzinfo=TZ))
        figures.refresh_changed()
        assert figures.figures([school.pk], start, end, use_cache=False) == direct([school.pk], start, end)

    def test_queries_do_not_grow_with_tickets(self, school, room, people, october):  # noqa: F811
        start, end = datetime.date(2026, 9, 1), datetime.date(2027, 2, 1)
        figures.figures([school.pk], start, end, use_cache=False)  # builds the rows
        with CaptureQueriesContext(connection) as few:
            figures.figures([school.pk], start, end, use_cache=False)
        for day in range(3, 9):
            run(people, school, room, "electrical", day, when=datetime.datetime(2026, 11, day, 9, tzinfo=TZ))
        figures.refresh_changed()
        with CaptureQueriesContext(connection) as many:
            figures.figures([school.pk], start, end, use_cache=False)
        assert len(few) == len(many) == 1, [q["sql"] for q in many.captured_queries]
