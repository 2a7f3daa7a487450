"""Equipment inspections: checklists, due dates, failed items → hazards (once), reminders, pages, API,
labels, visibility and cross-school refusals."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.corrective.models import CorrectiveAction
from logistics.notifications.models import Notification
from logistics.reminders.services import scan as reminder_scan
from logistics.tenancy import rules
from safety import inspections
from safety.checklists import DEFAULTS
from safety.models import Checklist, Equipment, Hazard, Inspection, InspectionItem

pytestmark = pytest.mark.django_db


def make_equipment(school, number="MHQ-001", kind="extinguisher", **fields):
    fields.setdefault("spot", "教学楼一楼东")
    return Equipment.objects.create(
        school=school, number=number, name=fields.pop("name", "干粉灭火器"), kind=kind, **fields
    )


def all_ok(kind="extinguisher"):
    return [(True, "")] * len(DEFAULTS[kind])


def with_fault(kind="extinguisher", index=0, note="压力表指针在红区"):
    results = all_ok(kind)
    results[index] = (False, note)
    return results


def at_days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


class TestInspectionItemRecording:
    def test_all_ok_updates_the_equipment_and_raises_nothing(self, school, people):
        equipment = make_equipment(school)
        inspection, created = inspections.record_inspection(user=people.staff, equipment=equipment, results=all_ok())
        assert created and inspection.result == "passed" and inspection.failed_items == 0
        assert inspection.items.count() == len(DEFAULTS["extinguisher"])
        equipment.refresh_from_db()
        assert equipment.last_result == "passed" and equipment.last_inspected_at == inspection.inspected_at
        assert not CorrectiveAction.objects.exists()

    def test_a_failed_item_raises_one_hazard_linked_both_ways_and_a_resend_adds_nothing(self, school, people):
        equipment = make_equipment(school)
        client_id = uuid.uuid4()
        inspection, created = inspections.record_inspection(
            user=people.guard, equipment=equipment, results=with_fault(index=0), client_id=client_id
        )
        assert created and inspection.result == "failed" and inspection.failed_items == 1
        item = InspectionItem.objects.get(inspection=inspection, passed=False)
        hazard = Hazard.objects.get()
        assert item.hazard_id == hazard.pk and hazard.source == item
        assert hazard.origin == "safety.inspection" and "压力表指针在红区" in hazard.description
        assert hazard.spot == "教学楼一楼东" and str(equipment) in hazard.title
        assert "压力表指针在红区" in hazard.title  # what is wrong, not the condition that should hold
        again, created_again = inspections.record_inspection(
            user=people.guard, equipment=equipment, results=with_fault(index=0), client_id=client_id
        )
        assert not created_again and again.pk == inspection.pk
        assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1

    def test_two_faults_two_hazards(self, school, people):
        equipment = make_equipment(school)
        results = with_fault(index=0)
        results[2] = (False, "喷管老化")
        inspections.record_inspection(user=people.staff, equipment=equipment, results=results)
        assert Hazard.objects.count() == 2

    def test_answers_must_match_the_checklist_and_faults_need_a_note(self, school, people):
        equipment = make_equipment(school)
        with pytest.raises(ValidationError):
            inspections.record_inspection(user=people.staff, equipment=equipment, results=all_ok()[:-1])
        with pytest.raises(ValidationError):
            inspections.record_inspection(user=people.staff, equipment=equipment, results=with_fault(note=""))
        assert not Inspection.objects.exists()

    def test_the_schools_own_checklist_replaces_the_built_in_one(self, school, people):
        Checklist.objects.create(school=school, kind="hydrant", items="箱门完好\n\n水带齐全\n")
        assert inspections.checklist_for(school, "hydrant") == ["箱门完好", "水带齐全"]
        equipment = make_equipment(school, kind="hydrant", name="室内消火栓")
        inspection, _created = inspections.record_inspection(
            user=people.staff, equipment=equipment, results=[(True, ""), (True, "")]
        )
        assert list(inspection.items.values_list("text", flat=True)) == ["箱门完好", "水带齐全"]

    def test_who_may_record(self, school, other_school, people, make_user):
        equipment = make_equipment(school)
        with pytest.raises(PermissionDenied):
            inspections.record_inspection(user=people.teacher, equipment=equipment, results=all_ok())
        stranger = make_user(Role.LOGISTICS_STAFF, other_school)
        with pytest.raises(PermissionDenied):
            inspections.record_inspection(user=stranger, equipment=equipment, results=all_ok())


class TestEquipmentDueDates:
    def due(self, school, equipment, today=None):
        row = inspections.annotate_due(Equipment.objects.filter(pk=equipment.pk), school).get()
        return row.next_due, inspections.due_state(row.next_due, today)

    def test_monthly_edges(self, school, people):
        today = timezone.localdate()
        equipment = make_equipment(school)
        assert self.due(school, equipment) == (today, "due")  # never inspected: due from registration
        for days, state in ((29, "ok"), (30, "due"), (31, "overdue")):
            Equipment.objects.filter(pk=equipment.pk).update(last_inspected_at=at_days_ago(days))
            assert self.due(school, equipment)[1] == state, days
        assert [e.pk for e in inspections.due_queryset(school)] == [equipment.pk]

    def test_the_rule_and_the_pieces_own_interval(self, school, people):
        equipment = make_equipment(school)
        Equipment.objects.filter(pk=equipment.pk).update(last_inspected_at=at_days_ago(20))
        assert self.due(school, equipment)[1] == "ok"
        rules.set_value(school, "safety.equipment_inspection_days", 14)
        school.save()
        assert self.due(school, equipment)[1] == "overdue"
        Equipment.objects.filter(pk=equipment.pk).update(interval_days=90)
        assert self.due(school, equipment)[1] == "ok"

    def test_dormitories_and_cctv_are_daily(self, school, people):
        dorm = make_equipment(school, number="SS-101", kind="dormitory", name="男生宿舍101")
        cctv = make_equipment(school, number="JK-01", kind="cctv", name="校门监控")
        for piece in (dorm, cctv):
            Equipment.objects.filter(pk=piece.pk).update(last_inspected_at=at_days_ago(1))
            assert self.due(school, piece)[1] == "due"
            inspections.record_inspection(user=people.guard, equipment=piece, results=all_ok(piece.kind))
            assert self.due(school, piece)[1] == "ok"


class TestReminders:
    def test_due_equipment_is_reminded_once_and_escalated_once(self, school, people):
        equipment = make_equipment(school)
        make_equipment(school, number="JK-01", kind="cctv", name="校门监控")  # daily: not reminded one by one
        Equipment.objects.filter(pk=equipment.pk).update(last_inspected_at=at_days_ago(31))
        reminder_scan()
        reminder_scan()
        titles = list(Notification.objects.values_list("recipient__username", "title"))
        assert [u for u, t in titles if "MHQ-001" in t and t.startswith("Inspection due")] == ["staff"]
        assert [u for u, t in titles if t.startswith("Inspection overdue")] == ["head"]
        assert not [t for _u, t in titles if "JK-01" in t]

    def test_refill_dates_are_reminded(self, school, people):
        make_equipment(school, expires_on=timezone.localdate() + datetime.timedelta(days=10))
        Equipment.objects.update(last_inspected_at=timezone.now())
        reminder_scan()
        assert (
            Notification.objects.filter(title__startswith="Refill / service due", recipient=people.staff).count() == 1
        )


class TestPages:
    def test_the_phone_inspection_keeps_input_on_error_and_raises_the_hazard(self, school, people, login):
        equipment = make_equipment(school)
        client = login(people.guard)
        page = client.get(reverse("safety:inspection_add"), {"code": f"https://x/safety/e/{equipment.code}/"})
        assert page.status_code == 200 and page.context["equipment"] == equipment
        data = {"equipment": equipment.pk, "client_id": str(uuid.uuid4()), "note": "夜查"}
        for index in range(1, len(DEFAULTS["extinguisher"]) + 1):
            data[f"item_{index}"] = "1"
        data["item_2"] = "0"  # a fault without saying what
        answer = client.post(reverse("safety:inspection_add"), data)
        assert answer.status_code == 400 and "note_2" in answer.context["form"].errors
        assert "夜查" in answer.content.decode()  # the input is kept
        data["note_2"] = "铅封缺失"
        answer = client.post(reverse("safety:inspection_add"), data)
        inspection = Inspection.objects.get()
        assert answer.status_code == 302 and answer["Location"] == inspection.get_absolute_url()
        assert client.post(reverse("safety:inspection_add"), data).status_code == 302  # sent twice: once
        assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1
        detail = client.get(inspection.get_absolute_url()).content.decode()
        assert "铅封缺失" in detail and Hazard.objects.get().reference in detail

    def test_an_unknown_label_says_so(self, school, people, login):
        answer = login(people.guard).get(reverse("safety:inspection_add"), {"code": "NOPE-9"})
        assert answer.status_code == 200 and "NOPE-9" in answer.content.decode()
        assert answer.context["not_found"] == "NOPE-9"

    def test_the_asset_label_finds_the_equipment_and_no_second_label_is_printed(self, school, people, login):
        from tests.assets.factories import make_asset

        asset = make_asset(school)
        equipment = make_equipment(school, asset=asset)
        found = inspections.find_by_code(school, f"https://x/assets/l/{asset.code}/")
        assert found == equipment
        page = login(people.guard).get(reverse("safety:inspection_add"), {"code": f"https://x/assets/l/{asset.code}/"})
        assert page.context["equipment"] == equipment
        body = login(people.head).get(equipment.get_absolute_url()).content.decode()
        assert reverse("assets:asset_label", args=[asset.code]) in body

    def test_a_teacher_may_not_inspect(self, school, people, login):
        assert login(people.teacher).get(reverse("safety:inspection_add")).status_code == 403

    def test_due_page_and_list_query_counts_are_flat(self, school, people, login, django_assert_max_num_queries):
        client = login(people.head)
        make_equipment(school)
        for url in (
            reverse("safety:equipment_list"),
            reverse("safety:inspection_due"),
            reverse("safety:inspection_list"),
        ):
            client.get(url)
        inspections.record_inspection(user=people.staff, equipment=Equipment.objects.get(), results=with_fault())
        counts = {}
        for url in (
            reverse("safety:equipment_list"),
            reverse("safety:inspection_due"),
            reverse("safety:inspection_list"),
        ):
            with django_assert_max_num_queries(30) as few:
                assert client.get(url).status_code == 200
            counts[url] = len(few.captured_queries)
        for n in range(2, 14):
            piece = make_equipment(school, number=f"MHQ-{n:03d}")
            inspections.record_inspection(user=people.staff, equipment=piece, results=with_fault())
        for url, count in counts.items():
            with django_assert_max_num_queries(count):
                assert client.get(url).status_code == 200

    def test_detail_pages(self, school, people, login):
        equipment = make_equipment(school)
        inspection, _c = inspections.record_inspection(user=people.staff, equipment=equipment, results=all_ok())
        client = login(people.principal)
        body = client.get(equipment.get_absolute_url()).content.decode()
        assert "MHQ-001" in body and str(DEFAULTS["extinguisher"][0]) in body
        assert client.get(inspection.get_absolute_url()).status_code == 200
        assert client.get(reverse("safety:checklist_list")).status_code == 200

    def test_the_labels_sheet_leaves_out_equipment_on_the_asset_ledger(self, school, people, login):
        make_equipment(school)
        answer = login(people.head).get(reverse("safety:equipment_labels"))
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF")

    def test_a_label_opens_the_inspection(self, school, people, login):
        equipment = make_equipment(school)
        answer = login(people.guard).get(reverse("safety:equipment_code", args=[equipment.code]))
        assert answer.status_code == 302 and f"equipment={equipment.pk}" in answer["Location"]
        answer = login(people.principal).get(reverse("safety:equipment_code", args=[equipment.code]))
        assert answer["Location"] == equipment.get_absolute_url()


class TestApi:
    def body(self, equipment, results, **extra):
        return {
            "equipment": equipment.pk,
            "items": [{"passed": passed, "note": note} for passed, note in results],
            **extra,
        }

    def test_record_once_and_read_back(self, school, people, api):
        equipment = make_equipment(school)
        client = api(people.guard)
        body = self.body(equipment, with_fault(), client_id=str(uuid.uuid4()))
        first = client.post("/api/v1/safety/inspections/", body, format="json")
        assert first.status_code == 201, first.content
        assert first.json()["result"] == "failed" and first.json()["items"][0]["hazard_reference"]
        again = client.post("/api/v1/safety/inspections/", body, format="json")
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert Hazard.objects.count() == 1
        detail = client.get(f"/api/v1/safety/equipment/{equipment.pk}/").json()
        assert detail["checklist"] == [str(i) for i in DEFAULTS["extinguisher"]]

    def test_bad_input_and_other_schools(self, school, other_school, people, api, make_user):
        equipment = make_equipment(school)
        theirs = make_equipment(other_school, number="T-1")
        client = api(people.staff)
        short = client.post("/api/v1/safety/inspections/", self.body(equipment, all_ok()[:2]), format="json")
        assert short.status_code == 400
        foreign = client.post("/api/v1/safety/inspections/", self.body(theirs, all_ok()), format="json")
        assert foreign.status_code == 400 and "equipment" in foreign.json()["errors"]
        assert api(people.teacher).post(
            "/api/v1/safety/inspections/", self.body(equipment, all_ok()), format="json"
        ).status_code in (400, 403)
        created = client.post(
            "/api/v1/safety/equipment/",
            {"kind": "hydrant", "number": "XHS-1", "name": "消火栓", "room": None, "spot": ""},
            format="json",
        )
        assert created.status_code in (400, 403) and not Equipment.objects.filter(number="XHS-1").exists()
        head = api(people.head)
        assert (
            head.post(
                "/api/v1/safety/equipment/", {"kind": "hydrant", "number": "XHS-1", "name": "消火栓"}, format="json"
            ).status_code
            == 400
        )  # no room, no spot
        ok = head.post(
            "/api/v1/safety/equipment/",
            {"kind": "hydrant", "number": "XHS-1", "name": "消火栓", "spot": "东楼梯口"},
            format="json",
        )
        assert ok.status_code == 201, ok.content
        dup = head.post(
            "/api/v1/safety/equipment/",
            {"kind": "hydrant", "number": "XHS-1", "name": "消火栓", "spot": "东楼梯口"},
            format="json",
        )
        assert dup.status_code == 400
        assert not Inspection.objects.filter(equipment=theirs).exists()

    def test_guards_see_their_own_inspections(self, school, people, api):
        equipment = make_equipment(school)
        inspections.record_inspection(user=people.guard, equipment=equipment, results=all_ok())
        inspections.record_inspection(user=people.staff, equipment=equipment, results=all_ok())
        assert api(people.guard).get("/api/v1/safety/inspections/").json()["count"] == 1
        assert api(people.guard2).get("/api/v1/safety/inspections/").json()["count"] == 0
        assert api(people.principal).get("/api/v1/safety/inspections/").json()["count"] == 2
        assert api(people.parent).get("/api/v1/safety/inspections/").status_code in (403, 200)
        if api(people.parent).get("/api/v1/safety/inspections/").status_code == 200:
            assert api(people.parent).get("/api/v1/safety/inspections/").json()["count"] == 0


class TestApiQueryCounts:
    def test_api_lists_do_not_grow(self, school, people, api, django_assert_max_num_queries):
        client = api(people.head)
        piece = make_equipment(school)
        inspections.record_inspection(user=people.staff, equipment=piece, results=with_fault())
        counts = {}
        for url in ("/api/v1/safety/equipment/", "/api/v1/safety/inspections/"):
            client.get(url)
            with django_assert_max_num_queries(20) as few:
                assert client.get(url).status_code == 200
            counts[url] = len(few.captured_queries)
        for n in range(2, 12):
            piece = make_equipment(school, number=f"MHQ-{n:03d}")
            inspections.record_inspection(user=people.staff, equipment=piece, results=with_fault())
        for url, count in counts.items():
            with django_assert_max_num_queries(count):
                assert client.get(url).status_code == 200


class TestCrossSchool:
    def test_equipment_in_another_schools_room_is_refused(self, school, other_school, other_room, people, api, login):
        body = {"kind": "extinguisher", "number": "MHQ-9", "name": "灭火器", "room": other_room.pk}
        assert api(people.head).post("/api/v1/safety/equipment/", body, format="json").status_code == 400
        page = login(people.head).post(reverse("safety:equipment_add"), {**body, "active": "on"})
        assert page.status_code == 400 and "MHQ-9" in page.content.decode()  # input kept
        assert not Equipment.objects.filter(number="MHQ-9").exists()

    def test_another_schools_pages_and_records_are_hidden(self, school, other_school, people, login, api, make_user):
        equipment = make_equipment(school)
        inspection, _c = inspections.record_inspection(user=people.staff, equipment=equipment, results=with_fault())
        stranger = make_user(Role.LOGISTICS_HEAD, other_school)
        client = login(stranger)
        assert client.get(equipment.get_absolute_url()).status_code == 404
        assert client.get(inspection.get_absolute_url()).status_code == 404
        assert client.get(reverse("safety:equipment_code", args=[equipment.code])).status_code == 404
        assert (
            client.post(
                reverse("safety:inspection_add"), {"equipment": equipment.pk, "client_id": str(uuid.uuid4())}
            ).status_code
            == 404
        )
        assert api(stranger).get("/api/v1/safety/inspections/").json()["count"] == 0
        assert api(stranger).get(f"/api/v1/safety/equipment/{equipment.pk}/").status_code == 404
        assert api(people.officer).get("/api/v1/safety/equipment/").json()["count"] == 0  # figures, not equipment
