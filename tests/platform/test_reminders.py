"""The reminder scan: once per (item, due date, recipient); escalation once; Celery against Redis."""

import datetime
import os
import time

import pytest
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.notifications.models import Notification
from logistics.reminders import registry, services
from logistics.tenancy.models import Room


class RoomCheckProvider(registry.Provider):
    """A test provider: every room is due for a check today, overdue from yesterday."""

    code = "test.roomcheck"
    recipients = []
    escalate = []
    processed = 0

    def process(self, now):
        type(self).processed += 1

    def due_items(self, now):
        for room in Room.objects.all():
            yield registry.DueItem(
                obj=room,
                due_at=timezone.localdate(now),
                title=f"检查 {room.name}",
                recipients=list(self.recipients),
                overdue_at=now - datetime.timedelta(hours=1),
                escalate_to=list(self.escalate),
            )


@pytest.fixture
def provider(room, make_user):
    head = make_user(Role.LOGISTICS_HEAD, room.school)
    staff = make_user(Role.LOGISTICS_STAFF, room.school)
    RoomCheckProvider.recipients = [staff]
    RoomCheckProvider.escalate = [head]
    instance = RoomCheckProvider()
    registry._providers.append(instance)
    yield instance, staff, head
    registry._providers.remove(instance)


class TestReminderScan:
    def test_sent_once_and_escalated_once(self, provider):
        _instance, staff, head = provider
        first = services.scan()
        second = services.scan()
        assert first == (1, 1) and second == (0, 0)
        assert Notification.objects.filter(recipient=staff).count() == 1
        assert Notification.objects.filter(recipient=head, level="danger").count() == 1

    def test_next_due_date_reminds_again(self, provider):
        _instance, staff, _head = provider
        services.scan()
        services.scan(now=timezone.now() + datetime.timedelta(days=1))
        assert Notification.objects.filter(recipient=staff).count() == 2

    def test_failing_provider_does_not_stop_others(self, provider):
        class Broken(registry.Provider):
            code = "broken"

            def due_items(self, now):
                raise RuntimeError("boom")

        broken = Broken()
        registry._providers.insert(0, broken)
        try:
            assert services.scan()[0] == 1
        finally:
            registry._providers.remove(broken)


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("fault")  # shares TEST_REDIS_URL with tests/fault's workers: never at the same time
class TestReminderCeleryIntegration:
    """A real Celery worker on Redis runs the scan task twice: the reminder goes out exactly once."""

    def test_scan_task_over_redis_sends_once(self, provider):
        from celery.contrib.testing.worker import start_worker

        from logistics.celery import app
        from logistics.reminders.tasks import scan

        _instance, staff, _head = provider
        # a database of its own: a worker the fault tests killed may linger on TEST_REDIS_URL's
        base, _sep, db = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rpartition("/")
        redis_url = f"{base}/{(int(db or 15) + 1) % 16}"
        old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager", "broker_transport_options")}
        app.conf.update(broker_url=redis_url, task_always_eager=False, broker_transport_options={})
        before = RoomCheckProvider.processed
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                with app.connection_for_write(redis_url) as connection:
                    for _ in range(2):
                        scan.apply_async(connection=connection)
                deadline = time.monotonic() + 30
                while RoomCheckProvider.processed < before + 2 and time.monotonic() < deadline:
                    time.sleep(0.1)
        finally:
            app.conf.update(**old)
        assert RoomCheckProvider.processed == before + 2, "the worker did not run both scans"
        assert Notification.objects.filter(recipient=staff).count() == 1
