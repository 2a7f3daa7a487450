"""Demo data: a realistic ledger (desks and chairs, computers, projectors, lab instruments, kitchen
equipment), consumables, one finished stock-take and some damages. Idempotent; small is fast."""

import datetime
from decimal import Decimal

from django.utils import timezone

from logistics.people.models import SchoolClass, Student
from logistics.tenancy.models import Room, RoomKind

from . import services
from .categories import ensure_default_categories
from .choices import LineResult
from .models import Asset, Consumable, DamageRecord, StockTakeLine

#: (category code, name, spec, price, room kind, per room, bulk)
CLASSROOM_KIT = [
    ("A05010203", "学生课桌椅（套）", "1.2m 升降式", Decimal("320.00"), RoomKind.CLASSROOM, 4, True),
    ("A02020600", "交互式教学一体机", "86英寸", Decimal("12800.00"), RoomKind.CLASSROOM, 1, False),
    ("A02020100", "投影仪", "3LCD 4000流明", Decimal("4500.00"), RoomKind.CLASSROOM, 1, False),
]
OTHER_KIT = [
    ("A02010105", "台式计算机", "i5/16G/512G", Decimal("4800.00"), RoomKind.OFFICE, 2, False),
    ("A02021000", "激光打印机", "A4 黑白", Decimal("1680.00"), RoomKind.OFFICE, 1, False),
    ("A05010000", "办公桌", "1.4m", Decimal("1200.00"), RoomKind.OFFICE, 1, False),
    ("A02100400", "生物显微镜", "XSP-2CA", Decimal("1350.00"), RoomKind.LAB, 3, False),
    ("A02100300", "数字化实验系统", "朗威 DISLab", Decimal("18600.00"), RoomKind.LAB, 1, False),
    ("A02150100", "燃气双头大炒炉", "不锈钢", Decimal("8600.00"), RoomKind.CANTEEN, 1, False),
    ("A02150200", "留样冰箱", "双门 300L", Decimal("3200.00"), RoomKind.CANTEEN, 1, False),
]
CONSUMABLES = [
    ("水龙头", "DN15 铜", "个", Decimal("35.00"), 10, 40),
    ("LED灯管", "T8 1.2m", "支", Decimal("28.00"), 20, 60),
    ("推拉门滑轮", "40mm", "个", Decimal("6.50"), 50, 260),
    ("粉笔", "无尘 白色", "盒", Decimal("8.00"), 30, 25),
    ("A4复印纸", "70g", "包", Decimal("22.00"), 20, 80),
]


def seed(school, users, scale, rng):
    if Asset.objects.filter(school=school).exists():
        return
    staff = users.get("logistics_staff")
    head = users.get("logistics_head")
    categories = ensure_default_categories(school)
    rooms = list(Room.objects.filter(school=school).select_related("building").order_by("pk"))
    by_kind = {}
    for room in rooms:
        by_kind.setdefault(room.kind, []).append(room)
    large = scale == "large"
    factor = 3 if large else 1
    today = timezone.localdate()
    for code, name, spec, price, kind, per_room, bulk in CLASSROOM_KIT + OTHER_KIT:
        # each school equips a different number of its rooms, so its figures are its own (not a copy)
        targets = by_kind.get(kind, [])[: (40 if large else 6 - rng.randint(0, 2))]
        for room in targets:
            years_ago = rng.randint(0, 7)
            services.acquire_assets(
                school=school,
                user=staff,
                quantity=per_room * factor,
                name=name,
                category=categories[code],
                model_spec=spec,
                unit_price=price,
                purchase_date=today.replace(day=1) - datetime.timedelta(days=365 * years_ago + rng.randint(0, 300)),
                supplier=rng.choice(["杭州教育装备有限公司", "浙江联创科技", "华东教学仪器厂"]),
                room=room,
                custodian=users.get("teacher") if kind == RoomKind.CLASSROOM else None,
                department="总务处",
                bulk_item=bulk,
            )
    stores = by_kind.get(RoomKind.STORE) or by_kind.get(RoomKind.CANTEEN) or rooms[:1]
    for name, spec, unit, price, minimum, qty in CONSUMABLES:
        item, _created = Consumable.objects.get_or_create(
            school=school, name=name, spec=spec, defaults={"unit": unit, "unit_price": price, "minimum_level": minimum}
        )
        if stores:
            services.receive_stock(
                consumable=item, store=stores[0], quantity=qty * factor, user=staff, reason="期初入库"
            )
    teacher = users.get("teacher")
    if teacher:
        chalk = Consumable.objects.get(school=school, name="粉笔")
        request = services.request_issue(consumable=chalk, quantity=5, purpose="七年级1班 本周用", user=teacher)
        services.approve_issue(request=request, user=staff)
        services.request_issue(
            consumable=Consumable.objects.get(school=school, name="A4复印纸"),
            quantity=2,
            purpose="月考试卷",
            user=teacher,
        )
    # one finished stock-take of the classrooms
    classrooms = by_kind.get(RoomKind.CLASSROOM, [])[:3]
    if classrooms and head:
        stocktake = services.start_stocktake(
            school=school, user=staff, name="2025学年第一学期教室清查", rooms=classrooms
        )
        lines = list(StockTakeLine.objects.filter(stocktake=stocktake).select_related("asset", "expected_room"))
        for index, line in enumerate(lines):
            if index == 0:
                continue  # one missing
            room = line.expected_room if index != 1 else classrooms[-1]
            services.scan(stocktake=stocktake, user=staff, asset=line.asset, room=room, condition="good")
        services.submit_stocktake(stocktake=stocktake, user=staff)
        for line in services.stocktake.differences(stocktake):
            services.explain(
                stocktake=stocktake,
                user=staff,
                line=line,
                explanation="借给音乐教室未归还，已报失" if line.result == LineResult.MISSING else "调整座位时搬动",
            )
        services.approve_stocktake(stocktake=stocktake, user=head)
    # damages
    student = Student.objects.filter(school=school).order_by("student_number").first()
    school_class = SchoolClass.objects.filter(school=school).order_by("pk").first()
    desk = Asset.objects.filter(school=school, name__startswith="学生课桌椅").first()
    if not DamageRecord.objects.filter(school=school).exists():
        first = services.open_damage_record(
            school=school,
            user=staff,
            amount="180.00",
            description="课间打闹，桌面断裂",
            asset=desk,
            responsible_class=school_class,
            responsible_student=student,
        )
        services.record_damage_payment(record=first, user=staff, receipt_number="SJ-0001")
        services.open_damage_record(
            school=school,
            user=staff,
            amount="60.00",
            description="宿舍门锁人为损坏",
            responsible_class=school_class,
            responsible_person="八年级2班 值日组",
        )
