"""Demo data: a term of repair tickets across the trades, with the parts the seeds name
(水龙头, 推拉门滑轮…), some human damage, maintenance plans and a duty rota. Idempotent."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from logistics.tenancy.models import Room, Sequence

from .choices import Cause, Recurrence, TicketStatus, Trade, Urgency, Weekday, WeekOfMonth
from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog
from .stats import term_bounds

#: trade → [(description, part name, unit, unit cost or None)] — from the seeds' term summary
JOBS = {
    Trade.PLUMBING: [
        ("拖把池堵塞，需要疏通", None, "", None),
        ("卫生间地漏堵塞，积水", None, "", None),
        ("台盆下水管漏水", "台盆水管", "根", "18.00"),
        ("水龙头关不紧，一直滴水", "水龙头", "只", "35.00"),
        ("路边侧石破损", "侧石", "米", "40.00"),
    ],
    Trade.ELECTRICAL: [
        ("教室日光灯不亮", "灯管", "只", "12.00"),
        ("宿舍插座没电", "插座", "只", "15.00"),
        ("办公室开关坏了", "开关", "只", "10.00"),
        ("下雨后电路跳闸", None, "", None),
        ("电热水器不加热", None, "", None),
    ],
    Trade.CARPENTRY: [
        ("宿舍移门推不动，滑轮坏了", "推拉门滑轮", "只", "8.00"),
        ("门锁坏了，打不开", "门锁", "把", "45.00"),
        ("窗玻璃破裂", "玻璃", "块", "60.00"),
        ("教室凳子腿松动", None, "", None),
        ("橱门拉手脱落", "门拉手", "只", "6.00"),
        ("移门铜条脱落", "移门铜条", "根", "12.00"),
    ],
    Trade.HVAC: [("空调不制冷", None, "", None), ("挂壁式空调漏水", "空调排水管", "米", "5.00")],
    Trade.IT: [("投影仪无信号", None, "", None), ("多媒体电脑无法开机", None, "", None)],
    Trade.OTHER: [("窗帘轨道脱落", None, "", None)],
}
#: tickets per trade in a term (large: the seed's 562 / 417 / 697)
COUNTS = {
    "small": {
        Trade.PLUMBING: 24,
        Trade.ELECTRICAL: 18,
        Trade.CARPENTRY: 30,
        Trade.HVAC: 6,
        Trade.IT: 6,
        Trade.OTHER: 3,
    },
    "large": {
        Trade.PLUMBING: 562,
        Trade.ELECTRICAL: 417,
        Trade.CARPENTRY: 697,
        Trade.HVAC: 56,
        Trade.IT: 40,
        Trade.OTHER: 20,
    },
}
HOURS = {Urgency.EMERGENCY: 2, Urgency.HIGH: 24, Urgency.NORMAL: 72, Urgency.LOW: 168}


def reserve_references(school_id, year, n):
    """Take ``n`` numbers of REP-<year> at once (bulk inserts bypass ``save()``)."""
    with transaction.atomic():
        row, _ = Sequence.objects.select_for_update().get_or_create(school_id=school_id, key=f"REP-{year}")
        first = row.last + 1
        row.last += n
        row.save(update_fields=["last"])
    return first


def seed(school, users, scale, rng):
    if Ticket.objects.filter(school=school).exists():
        return
    rooms = list(Room.objects.filter(school=school).select_related("building"))
    if not rooms:
        return
    teacher = users.get("teacher")
    worker = users.get("repair_worker")
    head = users.get("logistics_head")
    requesters = [u for u in (teacher, users.get("canteen_manager"), users.get("guard"), head) if u]
    now = timezone.now()
    start, _end = term_bounds(timezone.localdate())
    start_dt = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    span = max((now - start_dt).total_seconds(), 86400)
    plan_rows = []
    for trade, n in COUNTS["large" if scale == "large" else "small"].items():
        plan_rows += [trade] * n
    rng.shuffle(plan_rows)
    year = timezone.localdate().year
    first = reserve_references(school.pk, year, len(plan_rows))
    tickets, extras = [], []
    for index, trade in enumerate(plan_rows):
        description, part, unit, cost = rng.choice(JOBS[trade])
        urgency = rng.choices(list(HOURS), weights=[3, 15, 70, 12])[0]
        submitted = start_dt + datetime.timedelta(seconds=rng.uniform(0, span - 3600))
        submitted = submitted.replace(hour=rng.randint(7, 17))
        if submitted > now:
            submitted = now - datetime.timedelta(hours=rng.uniform(1, 48))
        target = submitted + datetime.timedelta(hours=HOURS[urgency])
        age_hours = (now - submitted).total_seconds() / 3600
        took = HOURS[urgency] * rng.choice([0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 2.0])
        ticket = Ticket(
            school=school,
            room=(room := rng.choice(rooms)),
            building_id=room.building_id,
            trade=trade,
            urgency=urgency,
            description=description,
            requester=rng.choice(requesters),
            submitted_at=submitted,
            target_at=target,
            reference=f"REP-{year}-{first + index:06d}",
            reference_number=year * 1_000_000 + first + index,
        )
        if took < age_hours:
            ticket.status = TicketStatus.CONFIRMED if took + 72 < age_hours else TicketStatus.DONE
            ticket.assigned_at = submitted + datetime.timedelta(hours=took * 0.1)
            ticket.started_at = submitted + datetime.timedelta(hours=took * 0.3)
            ticket.done_at = submitted + datetime.timedelta(hours=took)
            if ticket.status == TicketStatus.CONFIRMED:
                ticket.auto_confirmed = rng.random() < 0.3
                ticket.confirmed_at = ticket.done_at + datetime.timedelta(hours=72 if ticket.auto_confirmed else 5)
                ticket.rating = None if ticket.auto_confirmed else rng.choice([3, 4, 5, 5, 5])
            ticket.reopen_count = 1 if rng.random() < 0.04 else 0
            ticket.cause = rng.choices(Cause.values, weights=[80, 12, 8])[0]
            ticket.labour_minutes = rng.choice([15, 20, 30, 45, 60, 90])
            if ticket.cause == Cause.HUMAN_DAMAGE:
                ticket.damage_amount = Decimal(rng.choice([20, 30, 50, 80, 120]))
                ticket.damage_responsible = rng.choice(["七年级(1)班", "八年级(3)班", "九年级(2)班", "宿舍楼305"])
            if part:
                qty = Decimal(rng.choice([1, 1, 1, 2, 2, 4]))
                ticket.parts_cost = qty * Decimal(cost)
                extras.append((index, part, unit, qty, Decimal(cost)))
        else:
            ticket.status = rng.choice([TicketStatus.SUBMITTED, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS])
            if ticket.status != TicketStatus.SUBMITTED:
                ticket.assigned_at = submitted + datetime.timedelta(minutes=20)
            if target < now:
                ticket.escalated_at = target + datetime.timedelta(minutes=15)
        tickets.append(ticket)
    with transaction.atomic():
        Ticket.objects.bulk_create(tickets, batch_size=500)
        through = Ticket.assignees.through
        if worker is not None:
            through.objects.bulk_create(
                [through(ticket_id=t.pk, user_id=worker.pk) for t in tickets if t.status != TicketStatus.SUBMITTED],
                batch_size=1000,
            )
            WorkLog.objects.bulk_create(
                [
                    WorkLog(
                        school=school,
                        ticket_id=t.pk,
                        worker=worker,
                        minutes=t.labour_minutes,
                        work_date=timezone.localdate(t.done_at),
                    )
                    for t in tickets
                    if t.done_at and t.labour_minutes
                ],
                batch_size=1000,
            )
        PartUsage.objects.bulk_create(
            [
                PartUsage(
                    school=school,
                    ticket_id=tickets[i].pk,
                    name=name,
                    unit=unit,
                    quantity=qty,
                    unit_cost=cost,
                    cost=qty * cost,
                )
                for i, name, unit, qty, cost in extras
            ],
            batch_size=1000,
        )
        _plans(school, rooms, worker, head, rng)


def _plans(school, rooms, worker, head, rng):
    today = timezone.localdate()
    by_kind = {}
    for room in rooms:
        by_kind.setdefault(room.kind, room)
    somewhere = rooms[0]
    specs = [
        (
            "电梯月度维保",
            "行政楼电梯",
            Trade.OTHER,
            by_kind.get("office", somewhere),
            Recurrence.MONTHS,
            1,
            "曳引机运行声音\n制动器\n轿厢照明与通风\n紧急呼叫装置\n层门门锁",
        ),
        (
            "空调月度清洗保养",
            "教室挂壁式空调",
            Trade.HVAC,
            by_kind.get("classroom", somewhere),
            Recurrence.MONTHS,
            1,
            "清洗滤网\n检查排水管\n检查制冷效果",
        ),
        (
            "消防器材月检",
            "灭火器、消火栓、应急灯",
            Trade.OTHER,
            by_kind.get("dormitory", somewhere),
            Recurrence.NTH_WEEKDAY,
            1,
            "灭火器压力与有效期\n消火栓水带水枪齐全\n应急照明与疏散指示灯",
        ),
        (
            "食堂厨房设备检查",
            "灶具、排烟、冷库",
            Trade.ELECTRICAL,
            by_kind.get("canteen", somewhere),
            Recurrence.WEEKS,
            2,
            "燃气灶具与管道\n排烟罩\n冷藏冷冻温度",
        ),
        (
            "电气安全检查",
            "配电房与线路",
            Trade.ELECTRICAL,
            by_kind.get("plant", somewhere),
            Recurrence.MONTHS,
            3,
            "配电柜\n漏电保护器试跳\n线路老化情况",
        ),
    ]
    for name, equipment, trade, room, recurrence, interval, checklist in specs:
        plan = MaintenancePlan.objects.create(
            school=school,
            name=name,
            equipment=equipment,
            trade=trade,
            room=room,
            recurrence=recurrence,
            interval=interval,
            week_of_month=WeekOfMonth.FIRST if recurrence == Recurrence.NTH_WEEKDAY else None,
            weekday=Weekday.MONDAY if recurrence == Recurrence.NTH_WEEKDAY else None,
            next_due=today + datetime.timedelta(days=rng.randint(2, 20)),
            lead_days=3,
            checklist=checklist,
            created_by=head,
        )
        if worker is not None:
            plan.assignees.add(worker)
    if worker is not None:
        for trade in Trade.values:
            DutySlot.objects.get_or_create(school=school, trade=trade, weekday=None, defaults={"worker": worker})
