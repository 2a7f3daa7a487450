"""Corrections with a reason: the original values, the reason, who and when are kept and shown; the
corrected values pass the rules again (a sample below the minimum is refused); only the canteen manager."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from canteen import cold, corrections
from canteen.models import ColdStore, Correction, Disinfection

from .conftest import NOON, sample_all


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


class TestCorrectionOfASample:
    def test_keeps_the_original_and_the_reason(self, frozen, lunch, people, login):
        sample = sample_all(lunch, people.cook, grams=150)[0]
        correction = corrections.correct(sample, people.manager, "称重时多按了一位", weight_grams=135)
        sample.refresh_from_db()
        assert sample.weight_grams == 135
        assert [(c["field"], c["old"], c["new"]) for c in correction.changes] == [("weight_grams", "150", "135")]
        assert (correction.reason, correction.corrected_by) == ("称重时多按了一位", people.manager)
        page = login(people.head).get(sample.get_absolute_url()).content.decode()
        assert 'data-testid="corrections"' in page and "称重时多按了一位" in page and "150" in page

    def test_below_the_minimum_is_refused(self, frozen, lunch, people):
        sample = sample_all(lunch, people.cook, grams=150)[0]
        with pytest.raises(ValidationError, match="125"):
            corrections.correct(sample, people.manager, "typo", weight_grams=124)
        sample.refresh_from_db()
        assert sample.weight_grams == 150 and not Correction.objects.exists()

    def test_reason_required_and_something_must_change(self, frozen, lunch, people):
        sample = sample_all(lunch, people.cook)[0]
        with pytest.raises(ValidationError, match="更正原因"):
            corrections.correct(sample, people.manager, " ", weight_grams=140)
        with pytest.raises(ValidationError, match="没有改动"):
            corrections.correct(sample, people.manager, "x", weight_grams=sample.weight_grams)

    def test_api_only_the_manager(self, frozen, lunch, people, api):
        sample = sample_all(lunch, people.cook)[0]
        url = f"/api/v1/canteen/samples/{sample.pk}/correct/"
        assert api(people.cook).post(url, {"weight_grams": 140, "reason": "x"}, format="json").status_code == 403
        refused = api(people.manager).post(url, {"weight_grams": 100, "reason": "x"}, format="json")
        assert refused.status_code == 400 and "weight_grams" in refused.json()["errors"]
        done = api(people.manager).post(url, {"weight_grams": 140, "reason": "称错"}, format="json")
        assert done.status_code == 201, done.json()
        history = api(people.head).get(f"/api/v1/canteen/samples/{sample.pk}/corrections/").json()
        assert history[0]["reason"] == "称错" and history[0]["changes"][0]["old"] == "150"


class TestCorrectionOfDisinfectionsAndReadings:
    def test_disinfection_is_rechecked(self, frozen, school, people, login):
        d = Disinfection.objects.create(
            school=school, date=datetime.date(2026, 12, 3), meal="lunch", method="steam",
            temperature=Decimal("100"), minutes=Decimal("10"), done_by=people.cook,
        )  # fmt: skip
        assert d.in_range
        corrections.correct(d, people.manager, "温度抄错", temperature="90")
        d.refresh_from_db()
        assert not d.in_range and "100" in d.problems
        page = login(people.manager).get(reverse("canteen:correction", args=["disinfection", d.pk]))
        assert page.status_code == 200 and "温度抄错" in page.content.decode()

    def test_reading_corrected_out_of_range_is_refused(self, frozen, school, people):
        store = ColdStore.objects.create(school=school, name="留样冰箱")
        reading = cold.record_reading(store=store, actor=people.cook, celsius=4)
        with pytest.raises(ValidationError, match="新的读数"):
            corrections.correct(reading, people.manager, "x", celsius="14")
        typo = cold.record_reading(store=store, actor=people.cook, celsius=40)
        assert not typo.in_range
        corrections.correct(typo, people.manager, "漏输小数点", celsius="4.0")
        typo.refresh_from_db()
        assert typo.in_range and typo.episode is not None  # the episode and its action stay on record

    def test_page_form_refused_for_staff(self, frozen, school, people, login):
        store = ColdStore.objects.create(school=school, name="冷藏库")
        reading = cold.record_reading(store=store, actor=people.cook, celsius=4)
        url = reverse("canteen:correction", args=["coldreading", reading.pk])
        client = login(people.cook)
        assert client.get(url).status_code == 200
        assert 'data-testid="correction-form"' not in client.get(url).content.decode()
        assert client.post(url, {"celsius": "5", "reason": "x"}).status_code == 403
        manager = login(people.manager)
        bad = manager.post(url, {"celsius": "5", "reason": ""})
        assert bad.status_code == 400 and 'value="5"' in bad.content.decode()
