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


class TestChangeRecordAppendOnly:
    def test_bulk_update_and_delete_refused(self, room):
        records = ChangeRecord.objects.filter(object_id=room.pk)
        with pytest.raises(PermissionDenied):
            records.update(user_name="someone else")
        with pytest.raises(PermissionDenied):
            records.delete()

    def test_database_refuses_raw_update(self, room):
        from django.db import DatabaseError, connection, transaction

        if connection.vendor != "postgresql":
            pytest.skip("the trigger is PostgreSQL's")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_changerecord SET user_name = 'x'")

    def test_deleting_a_user_keeps_their_records(self, school, make_user):
        user = make_user(Role.LOGISTICS_HEAD, school)
        with change_context(user=user):
            room = RoomFactory(school=school, building__school=school, building__campus__school=school)
        record = ChangeRecord.objects.get(object_id=room.pk, content_type__model="room", action="create")
        user.memberships.all().delete()
        user.delete()
        record = ChangeRecord.objects.get(pk=record.pk)
        assert record.user is None and record.user_name == str(user)

    def test_user_changes_recorded_without_password(self, school, make_user):
        user = make_user(Role.TEACHER, school)
        user.is_staff = True
        user.set_password("new-secret-1")
        user.save()
        record = ChangeRecord.objects.filter(content_type__model="user", object_id=user.pk, action="update").get()
        assert record.after == {"is_staff": True}

    def test_guardian_added_through_m2m_is_recorded(self, school, make_user):
        from ..factories import StudentFactory

        parent = make_user(Role.PARENT, school)
        student = StudentFactory(school_class__grade__school=school)
        student.guardians.add(parent, through_defaults={"school": school})
        assert ChangeRecord.objects.filter(object_id=student.pk, event="guardians.add").exists()

    def test_timeline_hides_field_changes_without_audit_permission(self, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        with change_context(user=head):
            room.code = "SECRET-CODE"
            room.save()
            record_event(room, "room.checked", "已检查")
        teacher_view = login(make_user(Role.TEACHER, room.school)).get(room.get_absolute_url()).content.decode()
        assert "已检查" in teacher_view and "SECRET-CODE</" not in teacher_view.split('data-testid="timeline"')[1]
        head_view = login(head).get(room.get_absolute_url()).content.decode()
        assert "SECRET-CODE" in head_view.split('data-testid="timeline"')[1]


class TestBulkCreateRecords:
    def test_bulk_created_rows_get_create_records(self, school, make_user):
        from logistics.audit.recorder import record_bulk_create

        from ..factories import BuildingFactory

        head = make_user(Role.LOGISTICS_HEAD, school)
        building = BuildingFactory(school=school, campus__school=school)
        rooms = Room.objects.bulk_create([Room(school=school, building=building, name=f"批量{i}") for i in range(3)])
        with change_context(user=head):
            assert record_bulk_create(rooms) == 3
        records = ChangeRecord.objects.filter(content_type__model="room", object_id__in=[r.pk for r in rooms])
        assert records.count() == 3 and {r.user_id for r in records} == {head.pk}
        assert {r.after["name"] for r in records} == {"批量0", "批量1", "批量2"}


class TestReadableHistory:
    """The change history reads as the page does: labels, choice labels, local time, no non-changes."""

    def test_update_shows_labels_and_choice_labels_not_names_and_codes(self, room, make_user, login):
        from ..factories import BuildingFactory

        head = make_user(Role.LOGISTICS_HEAD, room.school)
        other = BuildingFactory(school=room.school, campus=room.building.campus, name="实验楼")
        response = login(head).post(
            f"/school/rooms/{room.pk}/edit/",
            {"building": other.pk, "name": room.name, "code": "", "floor": 3, "kind": "office"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert response.status_code == 302
        body = login(head).get(room.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        changes = body.split('data-testid="changes"')[1].split("</ul>")[0]
        assert "实验楼" in changes and "楼层" in changes and "→ 3" in changes
        assert "office" not in changes and "building_id" not in changes and "floor:" not in changes
        assert "办公室" in changes  # RoomKind.OFFICE's label

    def test_time_is_local_to_the_minute_and_equal_values_are_dropped(self, room):
        from django.contrib.contenttypes.models import ContentType

        from logistics.audit.display import readable_changes
        from repairs.models import Ticket

        record = ChangeRecord(
            content_type=ContentType.objects.get_for_model(Ticket),
            action="update",
            before={"parts_cost": "385.00", "done_at": None, "auto_confirmed": False},
            after={"parts_cost": "385", "done_at": "2026-11-30T02:05:09.123456+00:00", "auto_confirmed": True},
        )
        rows = readable_changes(record)
        labels = [label for label, _old, _new in rows]
        assert len(rows) == 2, rows  # the cost did not change
        done = dict((label, new) for label, _old, new in rows)
        assert any(v == "2026-11-30 10:05" for v in done.values()), rows  # Asia/Shanghai, to the minute
        assert not any("_" in label for label in labels)
        assert any(new in ("Yes", "是") for _l, _o, new in rows)
