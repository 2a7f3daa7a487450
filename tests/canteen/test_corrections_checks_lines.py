"""Corrections of morning checks (晨检) and delivery lines (进货明细): the same mechanism as samples'
(``canteen.corrections``) — original kept with the reason, the corrected values pass the rules of a new
entry; a morning check corrected to a symptom or a fever takes the person off duty (and off the roster's
"may work" list); a delivery line's inspection decision is not correctable; only the canteen manager;
another school's records are 404."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from canteen import corrections, health, roster, supply
from canteen.choices import LineDecision
from canteen.models import Correction, DeliveryLine, HealthCertificate, MorningCheck
from logistics.audit.models import ChangeRecord
from logistics.workflow import guard

from .conftest import NOON
from .test_supply import cabbage, make_supplier, rice

TODAY = datetime.date(2026, 12, 3)
CHECKS = "/api/v1/canteen/morning-checks/"
DELIVERIES = "/api/v1/canteen/deliveries/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def certify(school, person):
    return HealthCertificate.objects.create(
        school=school,
        person=person,
        number=f"JKZ-{person.pk}",
        issued_on=datetime.date(2026, 7, 1),
        valid_until=datetime.date(2027, 6, 30),
    )


@pytest.fixture
def check(frozen, school, people):
    certify(school, people.cook)
    return health.record_check(school=school, person=people.cook, checked_by=people.manager, temperature="36.5")


class TestMorningCheckCorrection:
    def test_a_symptom_ticked_by_mistake_puts_them_back_on_duty(self, frozen, school, people):
        certify(school, people.cook)
        wrong = health.record_check(
            school=school, person=people.cook, checked_by=people.manager, temperature="36.5", diarrhoea=True
        )
        assert not wrong.on_duty
        correction = corrections.correct(wrong, people.manager, "勾错了一行", diarrhoea=False)
        wrong.refresh_from_db()
        assert wrong.on_duty and wrong.off_duty_reason == "" and not wrong.diarrhoea
        fields = [c["field"] for c in correction.changes]
        assert fields == ["diarrhoea", "on_duty"]  # the derived duty shown beside the corrected answer
        assert all(c["old"] not in ("True", "False") for c in correction.changes)
        assert roster.refusal(school, people.cook, TODAY) == ""

    def test_a_correction_to_a_fever_takes_them_off_duty_as_a_new_check_would(self, check, school, people):
        roster.assign(school=school, person=people.cook, day=TODAY, meal="lunch", actor=people.manager)
        corrections.correct(check, people.manager, "体温抄错", temperature="37.3")  # the Rule's edge
        check.refresh_from_db()
        new = MorningCheck(school=school, person=people.cook, date=TODAY, temperature=Decimal("37.3"))
        health.assess(new)
        assert not check.on_duty and check.off_duty_reason == new.off_duty_reason != ""
        assert "37.3" in check.off_duty_reason
        # the roster now warns about the person and refuses them for another meal
        ((duty, warning),) = roster.day_roster(school, TODAY)
        assert warning and "37.3" in warning
        assert "37.3" in roster.refusal(school, people.cook, TODAY)

    def test_below_the_rule_stays_on_duty(self, check, people):
        corrections.correct(check, people.manager, "体温抄错", temperature="37.2")
        check.refresh_from_db()
        assert check.on_duty and check.temperature == Decimal("37.2")

    def test_refused_values_leave_the_record_as_it_was(self, check, people):
        for value in ("33.9", "43.1"):
            with pytest.raises(ValidationError):
                corrections.correct(check, people.manager, "x", temperature=value)
        with pytest.raises(ValidationError):
            corrections.correct(check, people.manager, "", temperature="36.8")
        with pytest.raises(ValidationError):
            corrections.correct(check, people.manager, "x", temperature="36.5")  # nothing changed
        with pytest.raises(ValidationError):
            corrections.correct(check, people.manager, "x", date=TODAY - datetime.timedelta(days=1))
        check.refresh_from_db()
        assert check.temperature == Decimal("36.5") and check.on_duty
        assert not Correction.objects.exists()

    def test_page_button_form_and_timeline(self, check, people, login):
        detail = login(people.manager).get(check.get_absolute_url())
        assert detail.status_code == 200 and 'data-testid="correct-link"' in detail.content.decode()
        url = reverse("canteen:correction", args=["morningcheck", check.pk])
        manager = login(people.manager)
        form = manager.get(url).content.decode()
        assert 'data-testid="correction-form"' in form and 'name="fever"' in form
        bad = manager.post(url, {"temperature": "36.5", "fever": "on", "reason": ""})
        assert bad.status_code == 400
        done = manager.post(url, {"temperature": "36.5", "fever": "on", "reason": "发热一栏没勾"})
        assert done.status_code == 302
        check.refresh_from_db()
        assert check.fever and not check.on_duty
        page = login(people.head).get(check.get_absolute_url()).content.decode()
        assert "发热一栏没勾" in page and 'data-testid="off-duty"' in page
        assert ChangeRecord.objects.filter(object_id=check.pk, event="morningcheck.corrected").exists()

    def test_only_the_manager_corrects_and_health_data_stays_personal(self, check, people, login, api):
        url = reverse("canteen:correction", args=["morningcheck", check.pk])
        assert login(people.cook).post(url, {"temperature": "37.5", "reason": "x"}).status_code == 403
        assert login(people.cook2).get(url).status_code == 404  # another worker's health data
        assert login(people.teacher).get(url).status_code in (403, 404)
        assert login(people.head).post(url, {"temperature": "37.5", "reason": "x"}).status_code == 403
        assert (
            api(people.head).post(f"{CHECKS}{check.pk}/correct/", {"temperature": "37.5", "reason": "x"}).status_code
            == 403
        )
        check.refresh_from_db()
        assert check.temperature == Decimal("36.5")

    def test_api_correct_and_history(self, check, people, api):
        url = f"{CHECKS}{check.pk}/correct/"
        refused = api(people.manager).post(url, {"temperature": "50", "reason": "x"}, format="json")
        assert refused.status_code == 400 and "temperature" in refused.json()["errors"]
        done = api(people.manager).post(url, {"sore_throat": True, "reason": "咽痛漏勾"}, format="json")
        assert done.status_code == 201, done.json()
        body = api(people.manager).get(f"{CHECKS}{check.pk}/").json()
        assert body["sore_throat"] is True and body["on_duty"] is False
        history = api(people.head).get(f"{CHECKS}{check.pk}/corrections/").json()
        assert history[0]["reason"] == "咽痛漏勾" and {c["field"] for c in history[0]["changes"]} == {
            "sore_throat",
            "on_duty",
        }

    def test_other_school(self, check, other_manager, login, api):
        url = reverse("canteen:correction", args=["morningcheck", check.pk])
        assert login(other_manager).get(url).status_code == 404
        post = api(other_manager).post(f"{CHECKS}{check.pk}/correct/", {"fever": True, "reason": "x"}, format="json")
        assert post.status_code == 404


@pytest.fixture
def delivery(frozen, school, people, grain, veg):
    supplier = make_supplier(school)
    made = supply.create_delivery(
        school=school, actor=people.manager, supplier=supplier, lines=[rice(grain), cabbage(veg)]
    )
    return made


@pytest.fixture
def grain(school):
    from canteen.models import ProductCategory

    return ProductCategory.objects.create(school=school, name="粮油", bulk_staple=True)


@pytest.fixture
def veg(school):
    from canteen.models import ProductCategory

    return ProductCategory.objects.create(school=school, name="蔬菜")


def lines_of(delivery):
    return list(delivery.lines.order_by("pk"))


class TestDeliveryLineCorrection:
    def test_quantity_typo_on_an_accepted_line(self, delivery, people, login):
        grain_line, veg_line = lines_of(delivery)
        guard.run(delivery, "accept_line", people.cook, line=veg_line)
        correction = corrections.correct(veg_line, people.manager, "磅秤读数抄错", quantity="28.5")
        veg_line.refresh_from_db()
        assert veg_line.quantity == Decimal("28.5") and veg_line.decision == LineDecision.ACCEPTED
        assert correction.changes[0]["old"] == "30" and correction.changes[0]["new"] == "28.5"
        page = login(people.head).get(delivery.get_absolute_url()).content.decode()
        assert 'data-testid="line-corrections"' in page and "磅秤读数抄错" in page
        assert 'data-testid="correct-line"' not in page  # the head reads, the manager corrects
        assert 'data-testid="correct-line"' in login(people.manager).get(delivery.get_absolute_url()).content.decode()
        # told on the delivery's timeline
        assert ChangeRecord.objects.filter(object_id=delivery.pk, event="deliveryline.corrected").exists()

    def test_decision_product_and_category_are_not_correctable(self, delivery, people):
        line = lines_of(delivery)[1]
        for field, value in (("decision", "rejected"), ("product", "菠菜"), ("category", 1), ("disposal", "returned")):
            with pytest.raises(ValidationError):
                corrections.correct(line, people.manager, "x", **{field: value})
        assert not Correction.objects.exists()

    def test_an_accepted_line_cannot_be_corrected_past_its_expiry(self, delivery, people):
        line = lines_of(delivery)[1]
        guard.run(delivery, "accept_line", people.cook, line=line)
        with pytest.raises(ValidationError) as exc:
            corrections.correct(line, people.manager, "x", expiry_date=TODAY - datetime.timedelta(days=1))
        assert "2026-12-02" in str(exc.value)
        corrections.correct(line, people.manager, "保质期抄错", expiry_date=TODAY)  # the edge: expires that day
        line.refresh_from_db()
        assert line.expiry_date == TODAY

    def test_zero_quantity_refused(self, delivery, people):
        line = lines_of(delivery)[1]
        with pytest.raises(ValidationError):
            corrections.correct(line, people.manager, "x", quantity="0")
        line.refresh_from_db()
        assert line.quantity == Decimal("30")

    def test_retention_is_recomputed_and_never_shortened(self, delivery, people):
        grain_line = lines_of(delivery)[0]
        kept = delivery.retain_until
        corrections.correct(grain_line, people.manager, "保质期抄错", shelf_life_days=730)
        delivery.refresh_from_db()
        assert delivery.retain_until > kept
        longer = delivery.retain_until
        corrections.correct(grain_line, people.manager, "又抄错", shelf_life_days=30)
        delivery.refresh_from_db()
        assert delivery.retain_until == longer

    def test_api_correct_line(self, delivery, people, api, other_manager):
        line = lines_of(delivery)[1]
        url = f"{DELIVERIES}{delivery.pk}/correct-line/"
        assert (
            api(people.cook).post(url, {"line": line.pk, "quantity": "29", "reason": "x"}, format="json").status_code
            == 403
        )
        refused = api(people.manager).post(url, {"line": line.pk, "quantity": "0", "reason": "x"}, format="json")
        assert refused.status_code == 400
        bogus = api(people.manager).post(url, {"line": 999999, "quantity": "29", "reason": "x"}, format="json")
        assert bogus.status_code == 400 and "line" in bogus.json()["errors"]
        done = api(people.manager).post(url, {"line": line.pk, "quantity": "29", "reason": "称错"}, format="json")
        assert done.status_code == 201, done.json()
        assert done.json()["line"] == line.pk
        history = api(people.head).get(f"{DELIVERIES}{delivery.pk}/line-corrections/").json()
        assert history[0]["line"] == line.pk and history[0]["reason"] == "称错"
        theirs = api(other_manager).post(url, {"line": line.pk, "quantity": "1", "reason": "x"}, format="json")
        assert theirs.status_code == 404
        line.refresh_from_db()
        assert line.quantity == Decimal("29")

    def test_a_line_of_another_school_is_404_on_the_page(self, delivery, other_manager, login):
        line = lines_of(delivery)[0]
        assert (
            login(other_manager).get(reverse("canteen:correction", args=["deliveryline", line.pk])).status_code == 404
        )

    def test_the_page_form(self, delivery, people, login):
        line = lines_of(delivery)[1]
        url = reverse("canteen:correction", args=["deliveryline", line.pk])
        manager = login(people.manager)
        page = manager.get(url).content.decode()
        assert 'name="quantity"' in page and 'name="decision"' not in page and 'name="product"' not in page
        done = manager.post(url, {"quantity": "31", "unit": "kg", "reason": "点数有误"})
        assert done.status_code == 302
        assert DeliveryLine.objects.get(pk=line.pk).quantity == Decimal("31")


def test_the_schema_documents_the_bodies(api, people, frozen):
    schema = api(people.manager).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    body = paths["/api/v1/canteen/morning-checks/{id}/correct/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"reason", "temperature", "fever"} <= set(schema["components"]["schemas"][ref]["properties"])
    body = paths["/api/v1/canteen/deliveries/{id}/correct-line/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    props = set(schema["components"]["schemas"][ref]["properties"])
    assert {"line", "reason", "quantity", "expiry_date"} <= props and "decision" not in props
