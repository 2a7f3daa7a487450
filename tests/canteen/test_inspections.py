"""Hygiene self-inspections: score and grade at the Rule edges, failed items → corrective actions (the
platform's closed loop), schedules with their due reminder and missed escalation (once each), the on-duty
roster's refusals (食品安全法 art. 45), role visibility, other schools' objects refused, pinned query counts,
the cold-chain readings due and back-dated readings."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canteen import cold, health, inspections, roster, schedules
from canteen.inspection_choices import Frequency, Grade, ItemResult, PeriodState, TemplateKind
from canteen.models import (
    ChecklistItem,
    ChecklistTemplate,
    ColdReading,
    ColdStore,
    DutyAssignment,
    HealthCertificate,
    HygieneInspection,
    InspectionResult,
)
from logistics.accounts.roles import Role
from logistics.corrective.choices import ActionStatus
from logistics.corrective.models import CorrectiveAction
from logistics.notifications.models import Notification
from logistics.reminders.services import scan
from logistics.tenancy import rules

from .conftest import NOON, make_meal

INSPECTIONS = "/api/v1/canteen/inspections/"
TEMPLATES = "/api/v1/canteen/inspection-templates/"
ROSTER = "/api/v1/canteen/roster/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def make_template(
    school, points=(90, 10), critical=(), kind=TemplateKind.WEEKLY, frequency=Frequency.WEEKLY, name="每周自查"
):
    template = ChecklistTemplate.objects.create(school=school, name=name, kind=kind, frequency=frequency)
    for n, p in enumerate(points):
        ChecklistItem.objects.create(
            school=school, template=template, position=n + 1, text=f"第{n + 1}项", points=p, critical=n in critical
        )
    return template


def answer(template, *results):
    items = list(template.items.order_by("position"))
    return {item.pk: (result, "") for item, result in zip(items, results, strict=True)}


def inspect(template, user, *results, day=None):
    return inspections.record_inspection(
        template=template, inspector=user, actor=user, answers=answer(template, *results), day=day
    )


P, F, NA = ItemResult.PASS, ItemResult.FAIL, ItemResult.NOT_APPLICABLE


class TestHygieneInspectionScore:
    @pytest.mark.parametrize(
        ("points", "results", "score", "grade"),
        [
            ((90, 10), (P, F), "90.0", Grade.A),
            ((89, 11), (P, F), "89.0", Grade.B),
            ((75, 25), (P, F), "75.0", Grade.B),
            ((74, 26), (P, F), "74.0", Grade.C),
            ((80, 20), (P, NA), "100.0", Grade.A),
        ],
    )
    def test_edges_of_the_grades(self, frozen, school, people, points, results, score, grade):
        inspection = inspect(make_template(school, points), people.manager, *results)
        assert (str(inspection.score), inspection.grade) == (score, grade)
        assert inspection.failed_items == results.count(F)

    def test_a_failed_critical_item_caps_the_grade_at_c(self, frozen, school, people):
        inspection = inspect(make_template(school, (95, 5), critical=(1,)), people.manager, P, F)
        assert inspection.score == 95 and inspection.grade == Grade.C and inspection.critical_failed

    def test_the_thresholds_are_the_schools_rules(self, frozen, school, people):
        rules.set_value(school, "canteen.inspection_grade_a", "95")
        school.save()
        assert inspect(make_template(school, (90, 10)), people.manager, P, F).grade == Grade.B

    def test_every_item_must_be_answered_and_all_na_is_refused(self, frozen, school, people):
        template = make_template(school, (50, 50))
        first = template.items.order_by("position").first()
        with pytest.raises(Exception, match="第2项"):
            inspections.record_inspection(
                template=template, inspector=people.cook, actor=people.cook, answers={first.pk: (P, "")}
            )
        with pytest.raises(Exception, match="apply|适用"):
            inspect(template, people.cook, NA, NA)
        assert not HygieneInspection.objects.exists()

    def test_one_per_checklist_and_day(self, frozen, school, people):
        template = make_template(school)
        inspect(template, people.cook, P, P)
        with pytest.raises(Exception, match="already|已"):
            inspect(template, people.cook, P, P)


class TestInspectionResultCorrectiveAction:
    def test_a_failed_item_opens_one_assigned_action_shown_on_the_page(self, frozen, login, school, people):
        inspection = inspect(make_template(school), people.manager, P, F)
        failed = inspection.results.get(result=F)
        client = login(people.manager)
        page = client.get(inspection.get_absolute_url()).content.decode()
        assert 'data-testid="action-form"' in page
        url = reverse("canteen:inspection_item_action", args=[inspection.pk, failed.pk])
        bad = client.post(url, {f"a{failed.pk}-owner": people.cook.pk, f"a{failed.pk}-deadline": "2026-12-01"})
        assert bad.status_code == 400 and 'value="2026-12-01"' in bad.content.decode()
        ok = client.post(
            url,
            {
                f"a{failed.pk}-owner": people.cook.pk,
                f"a{failed.pk}-deadline": "2026-12-06",
                f"a{failed.pk}-measures": "更换纱网",
            },
        )
        assert ok.status_code == 302
        action = CorrectiveAction.objects.get()
        assert (action.origin, action.source_id, action.owner, action.status) == (
            "canteen.inspection",
            failed.pk,
            people.cook,
            ActionStatus.ASSIGNED,
        )
        assert action.deadline == datetime.date(2026, 12, 6)
        page = client.get(inspection.get_absolute_url()).content.decode()
        assert action.reference in page and 'data-testid="action-form"' not in page
        with pytest.raises(Exception, match="under way|已有"):
            inspections.open_item_action(result=failed, actor=people.manager)
        with pytest.raises(Exception, match="failed|不合格"):
            inspections.open_item_action(result=inspection.results.get(result=P), actor=people.manager)

    def test_api_opens_the_action_and_refuses_another_schools_owner(self, frozen, api, school, people, other_manager):
        inspection = inspect(make_template(school), people.manager, P, F)
        failed = inspection.results.get(result=F)
        url = f"{INSPECTIONS}{inspection.pk}/open-action/"
        refused = api(people.manager).post(
            url, {"result": failed.pk, "owner": other_manager.pk, "deadline": "2026-12-06"}, format="json"
        )
        assert refused.status_code == 400 and not CorrectiveAction.objects.exists()
        assert (
            api(people.cook)
            .post(url, {"result": failed.pk, "owner": people.cook.pk, "deadline": "2026-12-06"}, format="json")
            .status_code
            == 403
        )
        ok = api(people.manager).post(
            url, {"result": failed.pk, "owner": people.cook.pk, "deadline": "2026-12-06"}, format="json"
        )
        assert ok.status_code == 201 and ok.json()["status"] == ActionStatus.ASSIGNED


class TestChecklistTemplate:
    def test_standard_checklists_for_a_new_school(self, login, school, people):
        client = login(people.manager)
        assert (
            'data-testid="standard-checklists"'
            in client.get(reverse("canteen:checklisttemplate_list")).content.decode()
        )
        client.post(reverse("canteen:checklist_standard"))
        kinds = set(ChecklistTemplate.objects.filter(school=school).values_list("kind", flat=True))
        assert kinds == {TemplateKind.CLOSE_DOWN, TemplateKind.WEEKLY, TemplateKind.FOUR_PESTS, TemplateKind.CLEANING}
        assert ChecklistItem.objects.filter(school=school, critical=True).exists()
        client.post(reverse("canteen:checklist_standard"))
        assert ChecklistTemplate.objects.filter(school=school).count() == 4


class TestChecklistItem:
    def test_lines_parse_to_items(self):
        from canteen.inspection_forms import parse_items

        assert parse_items("防鼠｜15｜关键\n地面清洁\n\n纱窗|8") == [
            ("防鼠", 15, True),
            ("地面清洁", 5, False),
            ("纱窗", 8, False),
        ]
        for bad in ("防鼠｜0", "防鼠｜十分", "防鼠\n防鼠", ""):
            with pytest.raises(Exception):
                parse_items(bad)

    def test_edit_items_keeps_the_input_on_error_and_never_deletes(self, frozen, login, school, people):
        template = make_template(school)
        inspect(template, people.cook, P, P)
        client = login(people.manager)
        url = reverse("canteen:checklisttemplate_edit", args=[template.pk])
        data = {
            "name": "每周自查",
            "kind": "weekly",
            "frequency": "weekly",
            "active": "on",
            "items_text": "地面清洁｜十分",
        }
        bad = client.post(url, data)
        assert bad.status_code == 400 and "十分" in bad.content.decode()
        data["items_text"] = "第1项｜20｜关键\n新的一项｜5"
        assert client.post(url, data).status_code == 302
        active = list(template.items.filter(active=True).order_by("position").values_list("text", "points", "critical"))
        assert active == [("第1项", 20, True), ("新的一项", 5, False)]
        assert template.items.filter(text="第2项", active=False).exists()  # still named by the past inspection
        assert not client.get(reverse("canteen:checklisttemplate_list")).context.get("offer_standard")

    def test_api_creates_a_template_with_items(self, api, school, people):
        body = {
            "name": "四防",
            "kind": "four_pests",
            "frequency": "monthly",
            "month_day": 20,
            "items": [{"text": "防鼠", "points": 10, "critical": True}, {"text": "防蝇"}],
        }
        made = api(people.manager).post(TEMPLATES, body, format="json")
        assert made.status_code == 201, made.json()
        assert [i["text"] for i in made.json()["items"]] == ["防鼠", "防蝇"]
        assert api(people.cook).post(TEMPLATES, body | {"name": "x"}, format="json").status_code in (400, 403)
        assert (
            api(people.manager).post(TEMPLATES, body | {"name": "y", "month_day": 31}, format="json").status_code == 400
        )


class TestHygieneInspectionPages:
    def test_staff_inspect_on_one_page_input_kept_on_error(self, frozen, login, school, people):
        template = make_template(school, (50, 50))
        first, second = template.items.order_by("position")
        client = login(people.cook)
        url = reverse("canteen:inspect", args=[template.pk])
        assert client.get(url).status_code == 200
        bad = client.post(
            url,
            {"date": "2026-12-03", "inspector": people.cook.pk, f"r{first.pk}": "fail", f"n{first.pk}": "地漏无网罩"},
        )
        body = bad.content.decode()
        assert bad.status_code == 400 and "地漏无网罩" in body and 'value="fail" autocomplete="off" checked' in body
        ok = client.post(
            url,
            {
                "date": "2026-12-03",
                "inspector": people.cook.pk,
                f"r{first.pk}": "fail",
                f"n{first.pk}": "地漏无网罩",
                f"r{second.pk}": "pass",
            },
        )
        inspection = HygieneInspection.objects.get()
        assert ok.status_code == 302 and inspection.grade == Grade.C and inspection.score == 50
        assert InspectionResult.objects.get(item=first).note == "地漏无网罩"
        future = client.post(
            url, {"date": "2026-12-04", "inspector": people.cook.pk, f"r{first.pk}": "pass", f"r{second.pk}": "pass"}
        )
        assert future.status_code == 400

    def test_visibility_by_role(self, frozen, login, api, school, people, make_user):
        template = make_template(school)
        mine = inspect(template, people.cook, P, P, day=datetime.date(2026, 11, 20))
        other = inspect(template, people.manager, P, F, day=datetime.date(2026, 11, 27))
        today = inspect(make_template(school, name="收市"), people.manager, P, P)
        lst = reverse("canteen:hygieneinspection_list")
        # the cook: today's and their own, not the manager's old one
        assert {r["id"] for r in api(people.cook).get(INSPECTIONS).json()["results"]} == {mine.pk, today.pk}
        assert login(people.cook).get(other.get_absolute_url()).status_code == 404
        # the head and the principal read everything but do not inspect
        for reader in (people.head, people.principal):
            assert api(reader).get(INSPECTIONS).json()["count"] == 3
            assert login(reader).get(reverse("canteen:inspect", args=[template.pk])).status_code == 403
        assert 'data-testid="action-form"' in login(people.head).get(other.get_absolute_url()).content.decode()
        assert 'data-testid="action-form"' not in login(people.principal).get(other.get_absolute_url()).content.decode()
        # teachers, parents and the district see no inspections (the district: figures only)
        officer = make_user(Role.DISTRICT_OFFICER, None, district=school.district)
        for outsider in (people.teacher, people.parent, officer):
            assert api(outsider).get(INSPECTIONS).json()["count"] == 0
        assert other.get_absolute_url() not in login(people.teacher).get(lst).content.decode()
        assert other.get_absolute_url() in login(people.head).get(lst).content.decode()

    def test_other_schools_objects_are_refused(self, frozen, api, login, school, other_school, people, other_manager):
        theirs = make_template(other_school, name="他校")
        item = theirs.items.first()
        body = {"template": theirs.pk, "results": [{"item": item.pk, "result": "pass"}]}
        assert api(people.manager).post(INSPECTIONS, body, format="json").status_code == 400
        ours = make_template(school)
        body = {"template": ours.pk, "results": [{"item": item.pk, "result": "pass"}]}
        assert api(people.manager).post(INSPECTIONS, body, format="json").status_code == 400
        assert login(people.manager).get(reverse("canteen:inspect", args=[theirs.pk])).status_code == 404
        inspection = inspect(ours, people.manager, P, F)
        assert api(other_manager).get(f"{INSPECTIONS}{inspection.pk}/").status_code == 404
        assert not HygieneInspection.objects.filter(template=theirs).exists()

    def test_api_create_and_filters(self, frozen, api, school, people):
        template = make_template(school)
        a, b = template.items.order_by("position")
        body = {
            "template": template.pk,
            "date": "2026-12-02",
            "results": [{"item": a.pk, "result": "pass"}, {"item": b.pk, "result": "fail", "note": "纱窗破"}],
        }
        made = api(people.cook).post(INSPECTIONS, body, format="json")
        assert made.status_code == 201, made.json()
        assert made.json()["grade"] == "A" and made.json()["inspector"] == people.cook.pk
        inspect(make_template(school, name="收市"), people.manager, P, P)
        client = api(people.manager)
        assert client.get(INSPECTIONS, {"failed": "true"}).json()["count"] == 1
        assert client.get(INSPECTIONS, {"grade": "A", "date_after": "2026-12-03"}).json()["count"] == 1
        assert client.get(INSPECTIONS, {"template": template.pk}).json()["count"] == 1
        missing = api(people.cook).post(
            INSPECTIONS, body | {"results": body["results"][:1], "date": "2026-12-01"}, format="json"
        )
        assert missing.status_code == 400 and "results" in missing.json()["errors"]

    def test_list_queries_do_not_grow(self, frozen, login, api, school, people):
        templates = [make_template(school, name=f"表{n}") for n in range(2)]
        inspect(templates[0], people.manager, P, F, day=datetime.date(2026, 11, 1))
        page, client = login(people.manager), api(people.manager)
        url = reverse("canteen:hygieneinspection_list")
        page.get(url)
        client.get(INSPECTIONS)
        with CaptureQueriesContext(connection) as few_page:
            assert page.get(url).status_code == 200
        with CaptureQueriesContext(connection) as few_api:
            client.get(INSPECTIONS)
        for n in range(2, 12):
            inspect(templates[n % 2], people.cook, P, F, day=datetime.date(2026, 11, n))
        with CaptureQueriesContext(connection) as many_page:
            assert page.get(url).status_code == 200
        with CaptureQueriesContext(connection) as many_api:
            assert client.get(INSPECTIONS).json()["count"] == 11
        assert len(many_page) == len(few_page) <= 14
        assert len(many_api) == len(few_api) <= 8

    def test_detail_and_schedule_pages(self, frozen, login, school, people):
        inspection = inspect(make_template(school), people.manager, P, F)
        client = login(people.manager)
        assert 'data-testid="grade"' in client.get(inspection.get_absolute_url()).content.decode()
        page = client.get(reverse("canteen:inspection_schedule")).content.decode()
        assert 'data-testid="state-done"' in page


class TestInspectionSchedule:
    """NOON is Thursday 2026-12-03; a weekly checklist is due on Friday (Rule 5) from 15:00 (Rule)."""

    def test_due_reminder_once_then_missed_escalation_once(self, school, people):
        with time_machine.travel(NOON - datetime.timedelta(days=10), tick=False):
            template = make_template(school)
        with time_machine.travel(NOON, tick=False) as clock:
            scan()
            assert not Notification.objects.filter(title__contains=template.name).exists()
            clock.move_to(NOON + datetime.timedelta(days=1, hours=3))  # Friday 15:00
            scan()
            scan()
            assert Notification.objects.filter(recipient=people.manager, title__contains=template.name).count() == 1
            assert not Notification.objects.filter(recipient=people.head, title__contains=template.name).exists()
            clock.move_to(NOON + datetime.timedelta(days=3, hours=11))  # Sunday 23:00: the week is not over
            scan()
            assert not Notification.objects.filter(recipient=people.head, title__contains=template.name).exists()
            clock.move_to(NOON + datetime.timedelta(days=4))  # Monday
            scan()
            scan()
            assert Notification.objects.filter(recipient=people.head, title__contains=template.name).count() == 1
            assert Notification.objects.filter(recipient=people.manager, title__contains=template.name).count() == 1
            figures = schedules.month_figures([school])[school.pk]
            assert figures["missed"] == 1

    def test_a_done_period_is_not_reminded_and_daily_only_on_meal_days(self, school, people):
        with time_machine.travel(NOON - datetime.timedelta(days=10), tick=False):
            weekly = make_template(school)
            daily = make_template(school, name="收市", kind=TemplateKind.CLOSE_DOWN, frequency=Frequency.DAILY)
        with time_machine.travel(NOON + datetime.timedelta(days=1, hours=4), tick=False):  # Friday 16:00
            inspect(weekly, people.manager, P, P, day=datetime.date(2026, 12, 1))
            scan()
            assert not Notification.objects.filter(title__contains=weekly.name).exists()
            assert not Notification.objects.filter(title__contains="收市").exists()  # no meal served today
            make_meal(school, day=datetime.date(2026, 12, 4))
            scan()
            assert Notification.objects.filter(recipient=people.manager, title__contains="收市").count() == 1
            states = {
                p.template.pk: p.state
                for p in schedules.schedule([school], datetime.date(2026, 12, 4), datetime.date(2026, 12, 4))
            }
            assert states == {weekly.pk: PeriodState.DONE, daily.pk: PeriodState.DUE}


class TestDutyAssignment:
    def test_refuses_without_certificate_and_off_duty_names_the_reason(self, frozen, login, api, school, people):
        today = datetime.date(2026, 12, 3)
        with pytest.raises(Exception, match="health certificate|健康证"):
            roster.assign(school=school, person=people.cook, day=today, meal="lunch", actor=people.manager)
        for person in (people.cook, people.cook2):
            HealthCertificate.objects.create(
                school=school,
                person=person,
                number=f"JK{person.pk}",
                issued_on=today - datetime.timedelta(days=10),
                valid_until=today + datetime.timedelta(days=300),
            )
        health.record_check(school=school, person=people.cook2, checked_by=people.manager, temperature="37.6")
        client = login(people.manager)
        refused = client.post(
            reverse("canteen:roster"),
            {"date": "2026-12-03", "meal": "lunch", "person": people.cook2.pk, "post": "烹饪"},
        )
        body = refused.content.decode()
        assert (
            refused.status_code == 400
            and 'data-testid="duty-refused"' in body
            and "37.6" in body
            and 'value="烹饪"' in body
        )
        ok = client.post(
            reverse("canteen:roster"), {"date": "2026-12-03", "meal": "lunch", "person": people.cook.pk, "post": "切配"}
        )
        assert ok.status_code == 302 and DutyAssignment.objects.get().person == people.cook
        api_refused = api(people.manager).post(ROSTER, {"meal": "lunch", "person": people.cook2.pk}, format="json")
        assert api_refused.status_code == 400 and "person" in api_refused.json()["errors"]
        assert api(people.cook).post(
            ROSTER, {"meal": "dinner", "person": people.cook.pk}, format="json"
        ).status_code in (400, 403)
        assert api(people.cook2).get(ROSTER).json()["count"] == 1  # today's roster
        assert api(people.teacher).get(ROSTER).json()["count"] == 0

    def test_a_later_off_duty_check_is_flagged_on_the_roster(self, frozen, login, school, people):
        today = datetime.date(2026, 12, 3)
        HealthCertificate.objects.create(
            school=school,
            person=people.cook,
            number="JK1",
            issued_on=today,
            valid_until=today + datetime.timedelta(days=300),
        )
        roster.assign(school=school, person=people.cook, day=today, meal="lunch", actor=people.manager)
        health.record_check(
            school=school, person=people.cook, checked_by=people.manager, temperature="36.5", diarrhoea=True
        )
        page = login(people.manager).get(reverse("canteen:roster")).content.decode()
        assert 'data-testid="duty-warning"' in page and "腹泻" in page
        HealthCertificate.objects.create(
            school=school,
            person=people.cook2,
            number="JK2",
            issued_on=today,
            valid_until=today + datetime.timedelta(days=300),
        )
        roster.assign(school=school, person=people.cook2, day=today, meal="lunch", actor=people.manager)
        colleague = login(people.cook2).get(reverse("canteen:roster")).content.decode()
        assert 'data-testid="duty-warning"' in colleague and "腹泻" not in colleague  # not others' health data


class TestColdReadingDue:
    @pytest.fixture
    def fridge(self, school):
        return ColdStore.objects.create(school=school, name="留样冰箱")

    def test_missing_morning_reading_reminded_once_not_on_days_without_meals(self, school, people, fridge):
        day = datetime.datetime(2026, 12, 3, 2, 0, tzinfo=datetime.UTC)  # 10:00 Shanghai
        with time_machine.travel(day - datetime.timedelta(minutes=1), tick=False) as clock:
            scan()
            assert not Notification.objects.exists()
            clock.move_to(day)
            scan()
            assert not Notification.objects.exists()  # no meal served today: the kitchen is closed
            make_meal(school, day=datetime.date(2026, 12, 3))
            scan()
            scan()
            assert Notification.objects.filter(recipient=people.manager, title__contains="留样冰箱").count() == 1
            cold.record_reading(store=fridge, actor=people.cook, celsius="4")  # 10:00 → the afternoon slot
            clock.move_to(day + datetime.timedelta(hours=6))  # 16:00
            scan()
            assert Notification.objects.filter(recipient=people.manager, title__contains="留样冰箱").count() == 1

    def test_a_back_dated_reading_is_marked_late(self, login, school, people, fridge):
        with time_machine.travel(NOON, tick=False):
            client = login(people.cook)
            ok = client.post(
                reverse("canteen:coldreading_list"),
                {"store": fridge.pk, "celsius": "3.5", "taken_at": "2026-12-02T08:30"},
            )
            assert ok.status_code == 302
            reading = ColdReading.objects.get()
            assert reading.taken_at == datetime.datetime(2026, 12, 2, 0, 30, tzinfo=datetime.UTC)
            assert 'data-testid="late-entry"' in client.get(reverse("canteen:coldreading_list")).content.decode()
            future = client.post(
                reverse("canteen:coldreading_list"),
                {"store": fridge.pk, "celsius": "3.5", "taken_at": "2026-12-04T08:30"},
            )
            assert future.status_code == 400 and 'value="3.5"' in future.content.decode()


class TestHygieneFigures:
    def test_widget_report_and_district(self, frozen, school, people):
        from canteen.inspection_report import HygieneSection
        from canteen.inspection_widgets import HygieneWidget

        inspection = inspect(make_template(school), people.manager, P, F, day=datetime.date(2026, 12, 1))
        inspections.open_item_action(
            result=inspection.results.get(result=F),
            actor=people.manager,
            owner=people.cook,
            deadline=datetime.date(2026, 12, 5),
        )
        figures = dict(HygieneWidget().context(school, people.manager)["figures"])
        assert list(figures.values())[0] == 1 and list(figures.values())[3] == 1
        assert HygieneWidget().district_values([school])[school.pk] == {
            "inspections_done": 1,
            "inspections_missed": 0,
            "failed_open": 1,
        }
        data = HygieneSection().build(school, datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
        assert "1" in data.paragraphs[0] and data.tables[1].rows[0][2] == "第2项"
