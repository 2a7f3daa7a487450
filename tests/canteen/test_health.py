"""Staff health: certificates (食品安全法 art. 45), the morning check (晨检) and who sees health data."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from canteen import health
from canteen.models import HealthCertificate, MorningCheck
from logistics.notifications.models import Notification
from logistics.reminders.services import scan

from .conftest import NOON

TODAY = datetime.date(2026, 12, 3)
CHECKS = "/api/v1/canteen/morning-checks/"
CERTS = "/api/v1/canteen/health-certificates/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def certify(school, person, valid_until=datetime.date(2027, 6, 30), number=None):
    return HealthCertificate.objects.create(
        school=school,
        person=person,
        number=number or f"JKZ-{person.pk}",
        issued_on=datetime.date(2026, 7, 1),
        valid_until=valid_until,
    )


class TestMorningCheck:
    def test_healthy_and_certified_is_on_duty(self, frozen, school, people):
        certify(school, people.cook)
        check = health.record_check(school=school, person=people.cook, checked_by=people.manager, temperature="36.6")
        assert check.on_duty and check.off_duty_reason == "" and check.checked_by == people.manager

    @pytest.mark.parametrize("answer", ["fever", "diarrhoea", "skin_wound", "sore_throat", "other_symptom"])
    def test_any_yes_is_off_duty(self, frozen, school, people, answer):
        certify(school, people.cook)
        check = health.record_check(
            school=school, person=people.cook, checked_by=people.manager, temperature="36.6", **{answer: True}
        )
        assert not check.on_duty and check.off_duty_reason

    def test_37_2_on_duty_37_3_off(self, frozen, school, people):
        certify(school, people.cook)
        certify(school, people.cook2)
        assert health.record_check(
            school=school, person=people.cook, checked_by=people.manager, temperature="37.2"
        ).on_duty
        off = health.record_check(school=school, person=people.cook2, checked_by=people.manager, temperature="37.3")
        assert not off.on_duty and "37.3" in off.off_duty_reason

    def test_without_a_valid_certificate_never_on_duty(self, frozen, school, people):
        certify(school, people.cook, valid_until=TODAY - datetime.timedelta(days=1))
        check = health.record_check(school=school, person=people.cook, checked_by=people.manager, temperature="36.5")
        assert not check.on_duty and "第四十五条" in check.off_duty_reason


class TestMorningCheckPages:
    def test_the_team_in_one_screen(self, frozen, login, school, people):
        certify(school, people.cook)
        client = login(people.manager)
        page = client.get(reverse("canteen:team_check")).content.decode()
        assert page.count('data-testid="person"') == 3  # manager, cook, cook2
        assert page.count('data-testid="no-certificate"') == 2
        answer = client.post(
            reverse("canteen:team_check"),
            {
                f"p{people.cook.pk}-temperature": "36.5",
                f"p{people.cook2.pk}-temperature": "36.4",
                f"p{people.cook2.pk}-diarrhoea": "on",
            },
        )
        assert answer.status_code == 302
        checks = {c.person: c for c in MorningCheck.objects.all()}
        assert checks[people.cook].on_duty and not checks[people.cook2].on_duty
        again = client.get(reverse("canteen:team_check")).content.decode()
        assert again.count('data-testid="checked"') == 2

    def test_a_bad_temperature_is_refused_and_kept(self, frozen, login, school, people):
        answer = login(people.manager).post(reverse("canteen:team_check"), {f"p{people.cook.pk}-temperature": "52"})
        assert answer.status_code == 400 and 'value="52"' in answer.content.decode()
        assert not MorningCheck.objects.exists()

    def test_list_query_count_is_flat(self, frozen, login, school, people):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = login(people.manager)
        health.record_check(school=school, person=people.cook, checked_by=people.manager, temperature="36.5")
        client.get(reverse("canteen:morningcheck_list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("canteen:morningcheck_list"))
        for n in range(1, 6):
            health.record_check(
                school=school,
                person=people.cook2,
                checked_by=people.manager,
                temperature="36.5",
                day=TODAY - datetime.timedelta(days=n),
            )
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("canteen:morningcheck_list")).status_code == 200
        assert len(many) == len(few)


class TestHealthCertificate:
    def test_health_data_only_for_manager_head_principal_and_own(
        self, frozen, login, api, school, people, other_manager
    ):
        certify(school, people.cook)
        certify(school, people.cook2)
        health.record_check(school=school, person=people.cook2, checked_by=people.manager, temperature="38.0")
        for user in (people.manager, people.head, people.principal):
            assert api(user).get(CERTS).json()["count"] == 2
            assert api(user).get(CHECKS).json()["count"] == 1
            assert login(user).get(reverse("canteen:healthcertificate_list")).status_code == 200
        assert api(people.cook).get(CERTS).json()["count"] == 1  # their own
        assert api(people.cook).get(CHECKS).json()["count"] == 0  # the check is cook2's
        assert api(people.cook2).get(CHECKS).json()["count"] == 1
        for user in (people.teacher, people.parent, other_manager):
            assert api(user).get(CERTS).json()["count"] == 0
            assert api(user).get(CHECKS).json()["count"] == 0
        page = login(people.teacher).get(reverse("canteen:healthcertificate_list")).content.decode()
        assert "JKZ-" not in page

    def test_api_morning_check_computes_off_duty(self, frozen, api, school, people):
        certify(school, people.cook)
        answer = api(people.manager).post(CHECKS, {"person": people.cook.pk, "temperature": "37.5"}, format="json")
        assert answer.status_code == 201, answer.json()
        assert answer.json()["on_duty"] is False
        again = api(people.manager).post(CHECKS, {"person": people.cook.pk, "temperature": "36.5"}, format="json")
        assert again.status_code == 400
        assert (
            api(people.cook).post(CHECKS, {"person": people.cook.pk, "temperature": "36.5"}, format="json").status_code
            == 403
        )

    def test_expiring_within_30_days_reminded_once(self, frozen, school, people):
        certify(school, people.cook, valid_until=TODAY + datetime.timedelta(days=30))
        certify(school, people.cook2, valid_until=TODAY + datetime.timedelta(days=31))
        scan()
        scan()
        notes = Notification.objects.filter(recipient=people.manager, title__contains="2027-01-02")
        assert notes.count() == 1
        assert not Notification.objects.filter(title__contains="2027-01-03").exists()

    def test_valid_until_before_issue_refused_in_words(self, login, school, people):
        answer = login(people.manager).post(
            reverse("canteen:healthcertificate_add"),
            {"person": people.cook.pk, "number": "X1", "issued_on": "2026-07-01", "valid_until": "2026-06-01"},
        )
        assert answer.status_code == 400
        assert not HealthCertificate.objects.exists()


class TestMorningCheckReminder:
    def test_staff_unchecked_at_the_first_meal_flagged_once(self, school, people):
        from canteen.models import MealService

        with time_machine.travel(NOON - datetime.timedelta(hours=5, minutes=1), tick=False) as clock:  # 06:59
            MealService.objects.create(school=school, date=TODAY, meal="breakfast")
            certify(school, people.cook)
            health.record_check(school=school, person=people.cook, checked_by=people.manager, temperature="36.5")
            scan()
            assert not Notification.objects.filter(title__contains="晨检").exists()
            clock.move_to(NOON - datetime.timedelta(hours=5))  # 07:00, breakfast starts
            scan()
            scan()
            notes = list(Notification.objects.filter(recipient=people.manager, title__contains="晨检"))
            assert len(notes) == 1 and "2" in notes[0].title  # cook2 and the manager
