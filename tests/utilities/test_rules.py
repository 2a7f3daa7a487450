"""The rules of readings: the usual and the anomaly threshold at its edges, the alert sent once, a lower
reading refused unless the meter was replaced, corrections that keep the original."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from logistics.audit.models import ChangeAction, ChangeRecord
from logistics.notifications.models import Notification
from logistics.reminders.services import scan
from logistics.workflow import guard
from utilities import services
from utilities.choices import ReadingStatus
from utilities.models import MeterReading, ReadingCorrection

from .factories import add_history, make_meter

pytestmark = pytest.mark.django_db

D = Decimal


def months(n, end=datetime.date(2026, 11, 1)):
    return services.months_back(end, n)


class TestMeterReadingUsual:
    def test_median_of_same_month_in_past_years_and_last_six_months(self):
        nov = datetime.date(2026, 11, 1)
        history = {m: D(100) for m in months(6, datetime.date(2026, 10, 1))}  # May–Oct 2026: 100
        history[datetime.date(2025, 11, 1)] = D(400)  # last November
        history[datetime.date(2024, 11, 1)] = D(500)  # the November before
        history[datetime.date(2025, 12, 1)] = D(9999)  # neither the same month nor the last 6: ignored
        # samples: 400, 500 and six times 100 → median 100
        assert services.usual_use(history, nov) == D(100)
        history.update({m: D(300) for m in months(4, datetime.date(2026, 10, 1))})
        # samples: 400, 500, 100, 100, 300 ×4 → sorted 100 100 300 300 300 300 400 500 → 300
        assert services.usual_use(history, nov) == D(300)

    def test_too_little_history_is_not_judged(self):
        nov = datetime.date(2026, 11, 1)
        assert services.usual_use({datetime.date(2026, 10, 1): D(1), datetime.date(2026, 9, 1): D(1)}, nov) is None
        history = {datetime.date(2026, 10, 1): D(1), datetime.date(2026, 9, 1): D(1), datetime.date(2026, 8, 1): D(1)}
        assert services.usual_use(history, nov) == D(1)

    def test_months_without_use_do_not_count(self):
        nov = datetime.date(2026, 11, 1)
        history = {m: None for m in months(6, datetime.date(2026, 10, 1))}
        history[datetime.date(2026, 10, 1)] = D(50)
        assert services.usual_use(history, nov) is None

    @pytest.mark.parametrize(
        ("use", "flagged"),
        [("150.00", False), ("150.01", True), ("149.99", False), ("600", True)],
    )
    def test_threshold_edges(self, use, flagged):
        assert services.is_above_usual(D(use), D(100), D("1.5")) is flagged

    def test_zero_or_unknown_usual_is_not_judged(self):
        assert services.is_above_usual(D(10), D(0), D("1.5")) is False
        assert services.is_above_usual(D(10), None, D("1.5")) is False
        assert services.is_above_usual(None, D(10), D("1.5")) is False


class TestMeterReadingRecord:
    def test_exactly_the_factor_is_not_flagged_above_is(self, school, people):
        a = make_meter(school, name="甲")
        b = make_meter(school, name="乙", campus=a.campus)
        before = services.months_back(services.last_month(), 2)[0]
        for m in (a, b):
            add_history(m, people.staff, [100] * 12, end=before)
        month, today = services.last_month(), datetime.date.today()
        exact = services.record_reading(a, people.staff, month, today, value=D(1000 + 1200 + 150))
        above = services.record_reading(b, people.staff, month, today, value=D("2350.01"))
        assert (exact.consumption, exact.usual, exact.flagged) == (D(150), D(100), False)
        assert (above.consumption, above.flagged) == (D("150.01"), True)

    def test_the_factor_is_the_schools_rule(self, school, people):
        from logistics.tenancy import rules

        rules.set_value(school, "utilities.anomaly_factor", "2")
        school.save()
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 12, end=services.months_back(services.last_month(), 2)[0])
        reading = services.record_reading(
            meter, people.staff, services.last_month(), datetime.date.today(), value=D(2380)
        )
        assert (reading.consumption, reading.flagged) == (D(180), False)

    def test_lower_value_refused_unless_replaced_with_a_reason(self, school, people):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 3, end=services.months_back(services.last_month(), 2)[0])
        month, today = services.last_month(), datetime.date.today()
        with pytest.raises(ValidationError) as lower:
            services.record_reading(meter, people.staff, month, today, value=D(1299))
        assert "value" in lower.value.error_dict and "1,300" in str(lower.value)
        with pytest.raises(ValidationError) as no_reason:
            services.record_reading(meter, people.staff, month, today, value=D(20), replacement=True)
        assert "reason" in no_reason.value.error_dict
        assert not MeterReading.objects.filter(meter=meter, month=month).exists()
        reading = services.record_reading(
            meter, people.staff, month, today, value=D(20), replacement=True, reason="换新表，新表从0起"
        )
        assert (reading.consumption, reading.replacement, reading.entered_by) == (D(20), True, people.staff)

    def test_one_per_month_in_month_order(self, school, people):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 3)
        last, today = services.last_month(), datetime.date.today()
        with pytest.raises(ValidationError, match="correct that one"):
            services.record_reading(meter, people.staff, last, today, value=D(5000))
        with pytest.raises(ValidationError, match="later month"):
            services.record_reading(meter, people.staff, services.months_back(last, 5)[0], today, value=D(5000))
        with pytest.raises(ValidationError):
            services.record_reading(
                meter, people.staff, today.replace(day=1) + datetime.timedelta(days=40), today, value=D(1)
            )
        meter.active = False
        meter.save()
        with pytest.raises(ValidationError, match="no longer in use"):
            services.record_reading(meter, people.staff, today.replace(day=1), today, value=D(9000))

    def test_use_entered_directly_for_a_meter_read_from_the_bill(self, school, people):
        meter = make_meter(school)
        month = services.last_month()
        reading = services.record_reading(meter, people.staff, month, datetime.date.today(), consumption=D("321.5"))
        assert (reading.value, reading.consumption) == (None, D("321.5"))
        with pytest.raises(ValidationError, match="meter value or the month"):
            services.record_reading(meter, people.staff, datetime.date.today(), datetime.date.today())


class TestReadingCorrection:
    def test_correction_keeps_the_original_and_the_next_month_follows(self, school, people):
        meter = make_meter(school)
        r1, r2, r3 = add_history(meter, people.staff, [100, 100, 100])  # values 1100, 1200, 1300
        guard.run(r2, "correct", people.head, value=D(1150), reason="抄错一位")
        r2.refresh_from_db()
        r3.refresh_from_db()
        assert (r2.value, r2.consumption, r2.status) == (D(1150), D(50), ReadingStatus.CORRECTED)
        assert (r3.value, r3.consumption, r3.status) == (D(1300), D(150), ReadingStatus.CORRECTED)
        own = ReadingCorrection.objects.get(reading=r2)
        assert (own.old_value, own.old_consumption, own.new_value, own.new_consumption) == (
            D(1200),
            D(100),
            D(1150),
            D(50),
        )
        assert own.reason == "抄错一位" and own.corrected_by == people.head
        follow = ReadingCorrection.objects.get(reading=r3)
        assert (follow.old_consumption, follow.new_consumption) == (D(100), D(150)) and "抄错一位" in follow.reason
        ct = ContentType.objects.get_for_model(MeterReading)
        events = ChangeRecord.objects.filter(content_type=ct, object_id=r2.pk, action=ChangeAction.EVENT)
        assert events.filter(event="reading.corrected").exists()
        assert MeterReading.objects.filter(meter=meter).count() == 3

    def test_correction_checked_like_a_reading(self, school, people):
        meter = make_meter(school)
        r1, r2, r3 = add_history(meter, people.staff, [100, 100, 100])
        for data, field in (
            ({"value": D(1050), "reason": "x"}, "value"),  # below the previous month
            ({"value": D(1350), "reason": "x"}, "value"),  # above the next month
            ({"value": D(1200), "reason": "x"}, "value"),  # nothing changes
            ({"value": D(1150), "reason": "  "}, "reason"),
        ):
            with pytest.raises(ValidationError) as exc:
                guard.run(r2, "correct", people.head, **data)
            assert field in exc.value.error_dict, data
        r2.refresh_from_db()
        assert (r2.value, r2.status) == (D(1200), ReadingStatus.RECORDED)
        assert not ReadingCorrection.objects.exists()

    def test_only_logistics_may_correct(self, school, people, other_school, make_user):
        meter = make_meter(school)
        (reading,) = add_history(meter, people.staff, [100])
        for user in (people.principal, people.teacher, make_user("logistics_head", other_school)):
            with pytest.raises(Exception) as exc:
                guard.run(reading, "correct", user, value=D(1200), reason="x")
            assert type(exc.value).__name__ == "PermissionDenied"
        reading.refresh_from_db()
        assert reading.value == D(1100)


class TestMeterReadingAlert:
    def test_alert_once_to_the_head_with_the_chart(self, school, people):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 12, end=services.months_back(services.last_month(), 2)[0])
        reading = services.record_reading(
            meter, people.staff, services.last_month(), datetime.date.today(), value=D(2500)
        )
        assert reading.flagged
        scan()
        scan()
        notes = Notification.objects.filter(object_id=reading.pk, content_type__model="meterreading")
        assert [n.recipient for n in notes] == [people.head]
        assert notes[0].url == f"/utilities/meters/{meter.pk}/#chart"
        assert "3.0" in notes[0].title
        # a correction that stays above the usual sends nothing new
        guard.run(reading, "correct", people.head, value=D(2450), reason="复核")
        scan()
        assert Notification.objects.filter(object_id=reading.pk, content_type__model="meterreading").count() == 1

    def test_no_alert_within_the_usual(self, school, people):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 13)
        scan()
        assert not Notification.objects.filter(content_type__model="meterreading").exists()
