"""Every create/update/delete writes a ChangeRecord; records cannot be changed; timelines show them."""

import pytest
from django.core.exceptions import PermissionDenied

from logistics.accounts.roles import Role
from logistics.audit.context import change_context
from logistics.audit.models import ChangeRecord
from logistics.audit.recorder import record_event
from logistics.tenancy.models import Room

from ..factories import RoomFactory


class TestChangeRecord:
    def test_create_update_delete_recorded_with_user(self, room, make_user):
        user = make_user(Role.LOGISTICS_HEAD, room.school)
        with change_context(user=user):
            room.name = "新名字"
            room.save()
        update = ChangeRecord.objects.filter(object_id=room.pk, action="update").get()
        assert update.user == user and update.school_id == room.school_id
        assert update.after == {"name": "新名字"}
        assert update.before["name"] != "新名字"
        assert update.request_id is not None
        with change_context(user=user):
            room_pk = room.pk
            room.delete()
        deleted = ChangeRecord.objects.get(object_id=room_pk, action="delete")
        assert deleted.before["name"] == "新名字" and deleted.after is None

    def test_create_sets_created_by(self, school, make_user):
        user = make_user(Role.LOGISTICS_HEAD, school)
        with change_context(user=user):
            room = RoomFactory(school=school, building__school=school, building__campus__school=school)
        assert room.created_by == user
        created = ChangeRecord.objects.get(object_id=room.pk, action="create", content_type__model="room")
        assert created.after["name"] == room.name

    def test_save_without_changes_writes_nothing(self, room):
        before = ChangeRecord.objects.count()
        Room.objects.get(pk=room.pk).save()
        assert ChangeRecord.objects.count() == before

    def test_records_are_immutable(self, room):
        record = ChangeRecord.objects.filter(object_id=room.pk).first()
        record.message = "tampered"
        with pytest.raises(PermissionDenied):
            record.save()
        with pytest.raises(PermissionDenied):
            record.delete()

    def test_event_on_timeline(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        with change_context(user=head):
            record_event(room, "room.inspected", "检查了房间")
        body = login(head).get(room.get_absolute_url()).content.decode()
        assert "检查了房间" in body and 'data-testid="timeline"' in body

    def test_page_edit_records_request_user(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        response = login(head).post(
            f"/school/rooms/{room.pk}/edit/",
            {"building": room.building_id, "name": "改过的", "code": "", "floor": 2, "kind": "office"},
        )
        assert response.status_code == 302
        record = ChangeRecord.objects.filter(object_id=room.pk, action="update").get()
        assert record.user == head and record.after["kind"] == "office"
        assert str(record.request_id) == response["X-Request-ID"]

    def test_api_token_edit_records_user(self, room, make_user, api):
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        head = make_user(Role.LOGISTICS_HEAD, room.school)
        token = Token.objects.create(user=head)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.patch(f"/api/v1/rooms/{room.pk}/", {"floor": 3}, format="json").status_code == 200
        assert ChangeRecord.objects.filter(object_id=room.pk, action="update").get().user == head

    def test_no_write_endpoints_for_change_records(self, room, make_user, api):
        client = api(make_user(Role.LOGISTICS_HEAD, room.school))
        schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
        assert not any("change" in path for path in schema["paths"])
