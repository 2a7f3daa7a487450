from django.core import mail

from logistics.accounts.roles import Role
from logistics.notifications.models import Notification
from logistics.notifications.services import notify


class TestNotification:
    def test_notify_dedupes_and_emails(self, room, make_user, django_capture_on_commit_callbacks):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        with django_capture_on_commit_callbacks(execute=True):
            first = notify([head, head], "水管漏水", "三楼", obj=room, key="leak-1")
        again = notify([head], "水管漏水", obj=room, key="leak-1")
        assert len(first) == 1 and again == []
        assert Notification.objects.filter(recipient=head).count() == 1
        assert len(mail.outbox) == 1 and mail.outbox[0].subject == "水管漏水"
        assert first[0].url == room.get_absolute_url()

    def test_recipient_who_cannot_see_object_is_dropped(self, room, other_school, make_user):
        stranger = make_user(Role.LOGISTICS_HEAD, other_school)
        parent = make_user(Role.PARENT, room.school)
        assert notify([stranger, parent], "x", obj=room) == []

    def test_bell_list_and_mark_read(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        note = notify([head], "请处理", obj=room)[0]
        client = login(head)
        assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
        assert "请处理" in client.get("/notifications/").content.decode()
        response = client.post(f"/notifications/{note.pk}/read/")
        assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
        note.refresh_from_db()
        assert note.read_at is not None
        assert 'data-testid="unread-count"' not in client.get("/").content.decode()

    def test_cannot_read_others_notifications(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        note = notify([head], "私信", obj=room)[0]
        other = login(make_user(Role.LOGISTICS_HEAD, room.school))
        assert other.post(f"/notifications/{note.pk}/read/").status_code == 404
        assert "私信" not in other.get("/notifications/").content.decode()

    def test_mark_all_read(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        notify([head], "a", obj=room)
        notify([head], "b", obj=room)
        login(head).post("/notifications/read/")
        assert not Notification.objects.filter(recipient=head, read_at__isnull=True).exists()


class TestNotificationDelivery:
    def test_delivered_once_even_when_task_and_scan_race(self, room, make_user):
        from logistics.notifications.services import deliver_now

        head = make_user(Role.LOGISTICS_HEAD, room.school)
        note = notify([head], "一次", obj=room)[0]
        deliver_now([note.pk])
        deliver_now([note.pk])
        assert len(mail.outbox) == 1

    def test_failing_mail_server_is_not_retried_forever(self, room, make_user, settings):
        from logistics.notifications.services import deliver_now

        settings.EMAIL_BACKEND = "tests.platform.test_notifications.BrokenBackend"
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        note = notify([head], "坏邮件", obj=room)[0]
        deliver_now([note.pk])
        note.refresh_from_db()
        assert note.emailed_at is not None


from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
