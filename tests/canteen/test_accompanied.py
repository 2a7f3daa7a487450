"""陪餐: leaders and parents record, a parent sees only their own feedback and the canteen's answer, a
served meal without a record is flagged once the next morning, coverage, late entry at the Rule edge,
pinned query counts of the list page and the API."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canteen import accompanied
from canteen.choices import AccompanimentStatus
from canteen.models import AccompaniedMeal
from logistics.notifications.models import Notification
from logistics.reminders.services import scan
from logistics.workflow import guard
from logistics.workflow.errors import StepNotAllowed

from .conftest import NOON, make_meal

URL = "/api/v1/canteen/accompanied-meals/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def record(meal, who, **kw):
    return accompanied.record(meal=meal, actor=who, rating=kw.pop("rating", 4), **kw)


class TestAccompaniedMealRecording:
    def test_leader_records_and_parent_waits_for_an_answer(self, frozen, lunch, people):
        breakfast = make_meal(lunch.school, meal="breakfast", dishes=("白粥",))
        leader = record(breakfast, people.principal, quality="口味适中")
        parent = record(breakfast, people.parent, feedback="汤有点凉")
        assert leader.kind == "leader" and leader.status == AccompanimentStatus.RECORDED
        assert parent.kind == "parent" and parent.status == AccompanimentStatus.AWAITING_ANSWER
        assert (leader.date, leader.meal_kind) == (breakfast.date, "breakfast")

    def test_refused_for_a_meal_not_served_yet_twice_or_a_cook(self, frozen, school, people):
        dinner = make_meal(school, meal="dinner")
        with pytest.raises(ValidationError, match="还没有开餐"):
            record(dinner, people.principal)
        breakfast = make_meal(school, meal="breakfast")
        record(breakfast, people.principal)
        with pytest.raises(ValidationError, match="已登记过"):
            record(breakfast, people.principal)
        with pytest.raises(ValidationError, match="学校领导和家长"):
            record(breakfast, people.cook)
        with pytest.raises(ValidationError, match="1 到 5"):
            record(breakfast, people.head, rating=6)

    def test_late_entry_at_the_rule_edge(self, school, people):
        meal = make_meal(school, day=datetime.date(2026, 12, 2), meal="lunch")  # ends 12:30 Shanghai
        end = meal.ends_at_datetime
        with time_machine.travel(end + datetime.timedelta(hours=12), tick=False):
            on_time = record(meal, people.principal)
        with time_machine.travel(end + datetime.timedelta(hours=12, minutes=1), tick=False):
            late = record(meal, people.head)
        assert not on_time.late_entry and late.late_entry


class TestAccompaniedMealAnswerAndVisibility:
    def test_parent_sees_only_own_feedback_and_the_answer(self, frozen, lunch, people, make_user, school, login):
        from logistics.accounts.roles import Role

        other_parent = make_user(Role.PARENT, school, username="parent2")
        breakfast = make_meal(school, meal="breakfast", dishes=("白粥",))
        mine = record(breakfast, people.parent, feedback="多些蔬菜")
        theirs = record(breakfast, other_parent, feedback="少油")
        leader = record(breakfast, people.principal)
        assert set(AccompaniedMeal.objects.restrict(people.parent, "view")) == {mine}
        assert set(AccompaniedMeal.objects.restrict(people.manager, "view")) == {mine, theirs, leader}
        assert set(AccompaniedMeal.objects.restrict(people.head, "view")) == {mine, theirs, leader}
        assert not AccompaniedMeal.objects.restrict(people.cook, "view").exists()
        assert not AccompaniedMeal.objects.restrict(people.teacher, "view").exists()

        # a parent cannot answer; the manager can, once
        with pytest.raises(Exception):  # noqa: B017 - the guard's 403
            guard.run(mine, "answer", people.parent, answer_text="x")
        guard.run(mine, "answer", people.manager, answer_text="下周起每天加一份蔬菜")
        mine.refresh_from_db()
        assert mine.status == AccompanimentStatus.ANSWERED and mine.answered_by == people.manager
        assert mine.answered_at is not None
        with pytest.raises(StepNotAllowed):
            guard.run(mine, "answer", people.manager, answer_text="again")
        with pytest.raises(ValidationError):
            guard.run(theirs, "answer", people.manager, answer_text="   ")

        client = login(people.parent)
        page = client.get(reverse("canteen:accompaniedmeal_detail", args=[mine.pk])).content.decode()
        assert "下周起每天加一份蔬菜" in page and 'data-testid="answer"' in page
        assert client.get(reverse("canteen:accompaniedmeal_detail", args=[theirs.pk])).status_code == 404
        listing = client.get(reverse("canteen:accompaniedmeal_list")).content.decode()
        assert "parent2" not in listing

    def test_api_parent_creates_and_lists_own(self, frozen, api, school, people, other_school, make_user):
        from logistics.accounts.roles import Role

        breakfast = make_meal(school, meal="breakfast", dishes=("白粥",))
        client = api(people.parent)
        answer = client.post(URL, {"meal": breakfast.pk, "rating": 5, "feedback": "很好"}, format="json")
        assert answer.status_code == 201, answer.json()
        assert answer.json()["kind"] == "parent" and answer.json()["status"] == "awaiting_answer"
        record(breakfast, people.principal)
        assert client.get(URL).json()["count"] == 1
        # a meal of another school is refused
        foreign = make_meal(other_school, meal="breakfast")
        bad = client.post(URL, {"meal": foreign.pk, "rating": 5}, format="json")
        assert bad.status_code == 400
        # the manager answers through the API
        pk = answer.json()["id"]
        manager = api(people.manager)
        done = manager.post(f"{URL}{pk}/answer/", {"answer_text": "谢谢"}, format="json")
        assert done.status_code == 200, done.json()
        assert client.get(f"{URL}{pk}/").json()["answer_text"] == "谢谢"
        assert manager.post(f"{URL}{pk}/answer/", {"answer_text": "x"}, format="json").status_code == 409
        other = make_user(Role.CANTEEN_MANAGER, other_school, username="om")
        assert api(other).get(f"{URL}{pk}/").status_code == 404

    def test_api_list_queries_do_not_grow(self, frozen, api, school, people):
        client = api(people.manager)
        for n in range(1, 3):
            record(make_meal(school, day=datetime.date(2026, 12, 3 - n), meal="lunch"), people.principal)
        client.get(URL)
        with CaptureQueriesContext(connection) as few:
            assert client.get(URL).status_code == 200
        for n in range(1, 5):
            record(
                make_meal(school, day=datetime.date(2026, 12, 3) - datetime.timedelta(days=n), meal="breakfast"),
                people.head,
            )
        with CaptureQueriesContext(connection) as many:
            assert client.get(URL).json()["count"] == 6
        assert len(many) == len(few) <= 8

    def test_list_page_queries_do_not_grow_and_coverage_shows(self, frozen, login, school, people):
        client = login(people.manager)
        meals = [make_meal(school, day=datetime.date(2026, 12, d), meal="lunch") for d in (1, 2)]
        record(meals[0], people.principal)
        client.get(reverse("canteen:accompaniedmeal_list"))
        with CaptureQueriesContext(connection) as few:
            page = client.get(reverse("canteen:accompaniedmeal_list"))
        body = page.content.decode()
        assert 'data-testid="coverage"' in body and "1 / 2" in body  # today's lunch ends at 12:30: not served yet
        assert 'data-testid="missing-accompaniment"' in body
        for d in range(1, 6):
            m = make_meal(school, day=datetime.date(2026, 12, 3) - datetime.timedelta(days=d), meal="breakfast")
            record(m, people.head)
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("canteen:accompaniedmeal_list")).status_code == 200
        assert len(many) == len(few) <= 20, [q["sql"] for q in many.captured_queries]


class TestAccompaniedMealCoverageAndFlag:
    def test_coverage_counts_served_meals_of_required_kinds(self, frozen, school, people):
        from logistics.tenancy import rules

        day = datetime.date(2026, 12, 3)
        breakfast = make_meal(school, day=day, meal="breakfast")
        make_meal(school, day=day, meal="lunch")  # ended 12:30: not yet served at noon
        make_meal(school, day=day, meal="dinner")
        assert accompanied.coverage(school, day, day + datetime.timedelta(days=1)) == (0, 1)
        record(breakfast, people.principal)
        assert accompanied.coverage(school, day, day + datetime.timedelta(days=1)) == (1, 1)
        rules.set_value(school, "canteen.accompany.breakfast", "false")
        school.save()
        assert accompanied.coverage(school, day, day + datetime.timedelta(days=1)) == (0, 0)

    def test_meal_without_record_flagged_next_morning_once(self, school, people):
        day = datetime.date(2026, 12, 2)
        lunch = make_meal(school, day=day, meal="lunch")
        breakfast = make_meal(school, day=day, meal="breakfast")
        with time_machine.travel(NOON - datetime.timedelta(hours=5), tick=False):
            record(breakfast, people.principal)  # the breakfast has its record; the lunch has none
        morning = datetime.datetime(2026, 12, 3, 7, 0, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
        with time_machine.travel(morning - datetime.timedelta(minutes=1), tick=False):
            scan()
            assert not Notification.objects.filter(title__contains="陪餐").exists()
        with time_machine.travel(morning, tick=False):
            scan()
            scan()
        notes = list(Notification.objects.filter(title__contains="陪餐"))
        assert {n.recipient for n in notes} == {people.principal, people.head}
        assert all("午餐" in n.body and "早餐" not in n.body for n in notes)
        with time_machine.travel(morning + datetime.timedelta(hours=3), tick=False):
            scan()
        assert Notification.objects.filter(title__contains="陪餐").count() == 2
        assert lunch.pk  # the lunch is the one flagged
