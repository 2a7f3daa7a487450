"""Demo data of the safety app for each demo school: checkpoints, a night route and a day route with a
month of rounds (a few missed or incomplete, some explained), visitors, vehicles and scrap sales,
leave passes in each state with a duty rota, and hazards in every state. Idempotent."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from logistics.corrective.services import open_action
from logistics.people import idnumbers
from logistics.people.models import GuardianLink, Student
from logistics.workflow import guard as steps

from .choices import PassStatus, Proof, RoundStatus, VisitStatus
from .models import (
    Checkpoint,
    DutyLeader,
    Equipment,
    GateGoods,
    Hazard,
    LeavePass,
    PatrolRound,
    PatrolScan,
    PatrolSchedule,
    Route,
    RouteStop,
    SafetyEvent,
    VehicleEntry,
    Visitor,
)

CHECKPOINTS = [
    ("校门门卫室", "gate", True, Proof.STATIC),
    ("教学楼一楼大厅", "teaching", False, Proof.STATIC),
    ("学生宿舍楼", "dormitory", True, Proof.STATIC),
    ("实验楼化学实验室", "lab", True, Proof.STATIC),
    ("配电房", "power", True, Proof.ROTATING),
    ("消防水泵房", "fire_pump", True, Proof.STATIC),
    ("东侧围墙", "fence", False, Proof.STATIC),
    ("食堂后厨", "canteen", True, Proof.STATIC),
]
NIGHT = ["校门门卫室", "学生宿舍楼", "实验楼化学实验室", "配电房", "消防水泵房", "东侧围墙"]
DAY = ["校门门卫室", "教学楼一楼大厅", "食堂后厨", "学生宿舍楼", "配电房"]
EXPLANATIONS = [
    "当晚雷雨，围墙段积水无法通行，改为在监控室查看该区域。",
    "保安临时送突发疾病学生就医，巡查中断，已补巡。",
    "手机没电，后半程为纸质登记，次日补录。",
]
HAZARDS = [
    ("东侧围墙铁丝网破损约2米", "东侧围墙", "general"),
    ("实验楼消防通道堆放纸箱", "实验楼一楼", "general"),
    ("宿舍楼3楼应急灯不亮", "学生宿舍楼三楼", "general"),
    ("配电房门锁损坏，无法上锁", "配电房", "general"),
    ("食堂后厨灭火器压力不足", "食堂后厨", "general"),
    ("教学楼外墙瓷砖空鼓有脱落风险", "教学楼北侧", "major"),
    ("校门口减速带松动", "校门", "general"),
    ("操场看台栏杆锈蚀", "操场看台", "general"),
]


def _local(day, hh, mm=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hh, mm)))


def _id_number(rng):
    first = f"110101{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first + idnumbers.check_digit(first)


def seed(school, users, scale, rng):
    if scale != "small":
        return
    guard = users.get("guard")
    head = users.get("logistics_head")
    staff = users.get("logistics_staff") or head
    principal = users.get("principal") or head
    teacher = users.get("teacher")
    if not (guard and head):
        return
    if not Route.objects.filter(school=school).exists():
        _patrols(school, guard, head, staff, rng)
        _gate(school, guard, teacher, rng)
        _passes(school, users, head, principal, guard, rng)
        _hazards(school, guard, head, staff, principal, rng)
    if not Equipment.objects.filter(school=school).exists():
        _inspections(school, guard, staff, rng)
    if not SafetyEvent.objects.filter(school=school).exists():
        _events(school, head, staff, teacher or head, rng)


def _patrols(school, guard, head, staff, rng):
    points = {}
    for name, kind, key, proof in CHECKPOINTS:
        points[name] = Checkpoint.objects.create(
            school=school, name=name, kind=kind, spot=name, key_area=key, proof=proof
        )
    night = Route.objects.create(
        school=school, name="夜间巡更（定点、定岗、定人）", supervisor=staff, min_seconds_between=60
    )
    day = Route.objects.create(school=school, name="日间安全巡查", supervisor=staff, min_seconds_between=60)
    for route, names in ((night, NIGHT), (day, DAY)):
        for position, name in enumerate(names, start=1):
            RouteStop.objects.create(school=school, route=route, checkpoint=points[name], position=position)
    schedules = [
        PatrolSchedule.objects.create(
            school=school, route=night, start_time=datetime.time(h), window_minutes=50, guard=guard
        )
        for h in (22, 0, 2, 4)
    ] + [
        PatrolSchedule.objects.create(
            school=school, route=day, start_time=datetime.time(h, 30), window_minutes=40, guard=guard
        )
        for h in (8, 12, 16)
    ]
    today = timezone.localdate()
    now = timezone.now()
    rounds, scans = [], []
    for offset in range(30, 0, -1):
        date = today - datetime.timedelta(days=offset)
        for schedule in schedules:
            route = schedule.route
            stops = NIGHT if route == night else DAY
            start = _local(date, schedule.start_time.hour, schedule.start_time.minute)
            end = start + datetime.timedelta(minutes=schedule.window_minutes)
            roll = rng.random()
            if roll < 0.04:
                status, outcome, done = RoundStatus.MISSED, RoundStatus.MISSED, 0
            elif roll < 0.10:
                status, outcome, done = RoundStatus.INCOMPLETE, RoundStatus.INCOMPLETE, len(stops) - rng.randint(1, 2)
            else:
                status, outcome, done = RoundStatus.COMPLETE, RoundStatus.COMPLETE, len(stops)
            explained = status != RoundStatus.COMPLETE and rng.random() < 0.6
            round_ = PatrolRound(
                school=school,
                route=route,
                schedule=schedule,
                guard=guard,
                planned_start=start,
                planned_end=end,
                grace_until=end + datetime.timedelta(minutes=schedule.grace_minutes),
                status=RoundStatus.EXPLAINED if explained else status,
                outcome=outcome,
                started_at=start + datetime.timedelta(minutes=2) if done else None,
                finished_at=end if done else None,
                stops_total=len(stops),
                stops_done=done,
                explanation=rng.choice(EXPLANATIONS) if explained else "",
                explained_by=staff if explained else None,
                explained_at=end + datetime.timedelta(hours=8) if explained else None,
            )
            rounds.append((round_, stops[:done]))
    PatrolRound.objects.bulk_create([r for r, _s in rounds])
    for round_, names in rounds:
        moment = round_.planned_start + datetime.timedelta(minutes=2)
        flagged = 0
        for position, name in enumerate(names, start=1):
            moment += datetime.timedelta(minutes=rng.randint(3, 8))
            late = moment > round_.planned_end
            # now and then a torn poster: the guard picks the checkpoint from the list (flagged)
            by_hand = points[name].proof == Proof.STATIC and position == 3 and round_.planned_start.day % 9 == 0
            flagged += late or by_hand
            scans.append(
                PatrolScan(
                    school=school,
                    round=round_,
                    checkpoint=points[name],
                    guard=guard,
                    client_id=uuid.uuid4(),
                    scanned_at=moment + datetime.timedelta(seconds=rng.randint(1, 20)),
                    device_time=moment,
                    position=position,
                    proof=points[name].proof,
                    late=late,
                    by_hand=by_hand,
                )
            )
        round_.flagged_scans = flagged
    PatrolScan.objects.bulk_create(scans, batch_size=1000)
    for round_, _names in rounds:
        if round_.flagged_scans:
            round_.save(update_fields=["flagged_scans"])
    from .rounds import generate_rounds

    generate_rounds(now, days_back=0)  # today's rounds (the scan keeps making them from here on)


def _gate(school, guard, teacher, rng):
    names = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞", "徐明", "孙丽"]
    reasons = [
        ("区教育局", "安全检查"),
        ("家长", "给孩子送衣物"),
        ("维保公司", "消防设施维保"),
        ("供应商", "送教学用品"),
        ("", "学生家长会"),
    ]
    now = timezone.now()
    for index, name in enumerate(names):
        organisation, reason = rng.choice(reasons)
        checked_in = now - datetime.timedelta(days=index, hours=rng.randint(1, 5))
        inside = index < 2
        Visitor.objects.create(
            school=school,
            name=name,
            id_number=_id_number(rng),
            phone=f"138{rng.randint(10000000, 99999999)}",
            organisation=organisation,
            reason=reason,
            host=teacher,
            status=VisitStatus.INSIDE if inside else VisitStatus.LEFT,
            checked_in_at=checked_in,
            checked_out_at=None if inside else checked_in + datetime.timedelta(minutes=rng.randint(20, 90)),
        )
    for plate, driver, purpose in (
        ("京A·5K321", "赵师傅", "送菜"),
        ("京B·77Q10", "钱师傅", "维修材料"),
        ("京C·2M888", "孙师傅", "垃圾清运"),
    ):
        entry = VehicleEntry.objects.create(school=school, plate=plate, driver=driver, purpose=purpose)
        if plate != "京A·5K321":
            entry.out_at = timezone.now()
            entry.save()
    for kind, what, weight, party in (
        ("delivery", "教学用品（作业本）", None, "文化用品公司"),
        ("scrap", "废纸箱、旧报纸", Decimal("86.50"), "再生资源回收站"),
        ("scrap", "废旧课桌椅（已报废）", Decimal("240.00"), "再生资源回收站"),
    ):
        GateGoods.objects.create(school=school, kind=kind, what=what, weight_kg=weight, party=party)


def _passes(school, users, head, principal, guard, rng):
    today = timezone.localdate()
    leaders = [principal, head]
    for offset in range(-7, 8):
        DutyLeader.objects.get_or_create(
            school=school, day=today + datetime.timedelta(days=offset), defaults={"leader": leaders[offset % 2]}
        )
    links = list(GuardianLink.objects.filter(school=school).select_related("student__school_class", "guardian")[:6])
    if not links:
        return
    leader = DutyLeader.objects.get(school=school, day=today).leader
    states = [
        PassStatus.REQUESTED,
        PassStatus.APPROVED,
        PassStatus.OUT,
        PassStatus.BACK,
        PassStatus.REJECTED,
        PassStatus.BACK,
    ]
    for link, state in zip(links, states, strict=False):
        student = Student.objects.select_related("school_class__head_teacher").get(pk=link.student_id)
        teacher = student.school_class.head_teacher
        if teacher is None:
            continue
        now = timezone.now()
        # today's passes (a pass is good on its own day only): half an hour from now, but not past 23:59
        last_minute = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time(23, 59)))
        leave_pass = LeavePass.objects.create(
            school=school,
            student=student,
            reason=rng.choice(["发烧，家长接回就医", "家中有事", "周末回家", "牙科复诊"]),
            leave_at=min(now + datetime.timedelta(minutes=30), last_minute),
            return_by=now + datetime.timedelta(hours=rng.choice([3, 5, 24])),
            picked_up_by=rng.choice(["母亲", "父亲", "爷爷"]),
            requested_by=link.guardian,
        )
        if state == PassStatus.REQUESTED:
            continue
        if state == PassStatus.REJECTED:
            steps.run(leave_pass, "reject", teacher, reason="请家长先电话联系班主任")
            continue
        steps.run(leave_pass, "approve", teacher)
        if leave_pass.status != PassStatus.APPROVED:
            # the duty leader of the day the student leaves (late in the evening, that is tomorrow)
            duty = DutyLeader.objects.filter(school=school, day=timezone.localdate(leave_pass.leave_at)).first()
            steps.run(leave_pass, "approve", duty.leader if duty else leader)
        if state in (PassStatus.OUT, PassStatus.BACK) and leave_pass.status == PassStatus.APPROVED:
            steps.run(leave_pass, "check_out", guard)
            if state == PassStatus.BACK:
                steps.run(leave_pass, "check_in", guard)


def _hazards(school, guard, head, staff, principal, rng):
    today = timezone.localdate()
    made = []
    for index, (title, spot, level) in enumerate(HAZARDS):
        found_at = timezone.now() - datetime.timedelta(days=20 - index * 2)
        action = open_action(
            school=school,
            actor=guard if index % 2 else head,
            origin="safety.patrol" if index % 3 == 0 else "safety.hazard",
            title=title,
            place=spot,
            level=level,
            found_at=found_at,
        )
        made.append(Hazard.objects.get(pk=action.pk))
    deadline = today + datetime.timedelta(days=7)
    # 0 found · 1 assigned · 2 rectified · 3 verified · 4 closed · 5 major, assigned (挂牌督办) · 6 sent back · 7 withdrawn
    for hazard in made[1:7]:
        plan = "设置警戒区，禁止学生靠近北侧墙面；雨天加强巡查" if hazard.level == "major" else ""
        steps.run(
            hazard,
            "assign",
            head,
            owner=staff,
            deadline=deadline + datetime.timedelta(days=23 if plan else 0),
            measures="联系维保单位限期整改",
            funding=Decimal("18000.00") if plan else None,
            contingency_plan=plan,
        )
    for hazard in (made[2], made[3], made[4], made[6]):
        steps.run(hazard, "rectify", staff, rectification="已按要求整改完毕")
    steps.run(made[3], "verify", head, note="现场复查合格")
    steps.run(made[4], "verify", head, note="现场复查合格")
    steps.run(made[4], "close", head)
    steps.run(made[6], "reject_verification", head, reason="仅临时加固，须更换")
    steps.run(made[7], "cancel", head, reason="与上一条重复")


EQUIPMENT = [
    # kind, number, name, spot, key
    ("extinguisher", "MHQ-001", "干粉灭火器 4kg", "教学楼一楼东楼梯口", False),
    ("extinguisher", "MHQ-002", "干粉灭火器 4kg", "教学楼二楼西楼梯口", False),
    ("extinguisher", "MHQ-003", "干粉灭火器 4kg", "实验楼化学实验室", True),
    ("extinguisher", "MHQ-004", "二氧化碳灭火器 3kg", "配电房", True),
    ("extinguisher", "MHQ-005", "干粉灭火器 8kg", "食堂后厨", True),
    ("extinguisher", "MHQ-006", "干粉灭火器 4kg", "学生宿舍楼一楼大厅", True),
    ("hydrant", "XHS-01", "室内消火栓", "教学楼一楼走廊", False),
    ("hydrant", "XHS-02", "室外消火栓", "操场北侧", False),
    ("emergency_light", "YJZM-01", "应急照明灯", "学生宿舍楼三楼走廊", True),
    ("emergency_light", "YJZM-02", "应急照明灯", "教学楼二楼走廊", False),
    ("exit_sign", "SSCK-01", "安全出口指示灯", "礼堂东门", False),
    ("exit_sign", "SSCK-02", "疏散指示标志", "学生宿舍楼楼梯间", True),
    ("alarm", "YG-01", "烟感报警器", "图书馆二楼", False),
    ("electrical", "PDX-01", "总配电箱", "配电房", True),
    ("fence", "WQ-01", "东侧围墙", "东侧围墙", False),
    ("aed", "AED-01", "自动体外除颤器", "体育馆入口", False),
]
DORMS = ["男生宿舍 101", "男生宿舍 102", "女生宿舍 201", "女生宿舍 202"]
CCTV = ["校门口", "学生宿舍楼门口", "食堂后厨", "东侧围墙", "操场"]


def _inspections(school, guard, staff, rng):
    """The equipment register with two months of monthly inspections (one piece overdue, one never
    inspected, a failed extinguisher that raised a hazard), a week of dormitory checks (one night missed)
    and of CCTV review of 5 monitoring points (two not yet reviewed today)."""
    from assets.models import Asset

    from .inspections import checklist_for, record_inspection

    today = timezone.localdate()
    now = timezone.now()
    asset = Asset.objects.filter(school=school, name__contains="灭火器").order_by("pk").first()
    pieces = []
    for kind, number, name, spot, key in EQUIPMENT:
        fields = {}
        if kind == "extinguisher":
            fields = {
                "serviced_on": today - datetime.timedelta(days=rng.randint(200, 330)),
                "expires_on": today + datetime.timedelta(days=rng.randint(40, 150)),
            }
            if number == "MHQ-002":  # refill due soon: on the due page and reminded
                fields["expires_on"] = today + datetime.timedelta(days=12)
        equipment = Equipment.objects.create(
            school=school, kind=kind, number=number, name=name, spot=spot, key=key, **fields
        )
        if asset is not None and number == "MHQ-001":
            equipment.asset = asset
            equipment.save(update_fields=["asset", "updated"])
        pieces.append(equipment)
    by_number = {e.number: e for e in pieces}
    for equipment in pieces:
        if equipment.number == "AED-01":
            continue  # never inspected: due from the day it was registered (a gap the due page shows)
        items = checklist_for(school, equipment.kind)
        months = (62, 32) if equipment.number == "XHS-02" else (55, 25)  # XHS-02: last one 32 days ago
        for days in months:
            results = [(True, "")] * len(items)
            note = ""
            if equipment.number == "MHQ-005" and days == 25:
                results[0] = (False, "压力表指针在红区，需重新充装")
                note = "已临时从仓库调换一具备用灭火器"
            if equipment.number == "YJZM-01" and days == 55:
                results[0] = (False, "按下测试按钮不亮")
            record_inspection(
                user=staff,
                equipment=equipment,
                results=results,
                note=note,
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{school.pk}-{equipment.number}-{days}"),
                inspected_at=_local(today - datetime.timedelta(days=days), 9, rng.randint(0, 59)),
            )
    del by_number
    dorms = [
        Equipment.objects.create(school=school, kind="dormitory", number=f"SS-{i + 1:02d}", name=name, spot=name)
        for i, name in enumerate(DORMS)
    ]
    cameras = [
        Equipment.objects.create(
            school=school, kind="cctv", number=f"JK-{i + 1:02d}", name=f"{name}监控", spot=name, key=True
        )
        for i, name in enumerate(CCTV)
    ]
    for offset in range(7, 0, -1):
        day = today - datetime.timedelta(days=offset)
        for dorm in dorms:
            if offset == 3 and dorm.number == "SS-04":
                continue  # a night without the check of one room
            items = checklist_for(school, "dormitory")
            results = [(True, "")] * len(items)
            if offset == 2 and dorm.number == "SS-02":
                results[1] = (False, "发现学生使用电热毯，已没收并告知班主任")
            record_inspection(
                user=guard,
                equipment=dorm,
                results=results,
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{school.pk}-{dorm.number}-{offset}"),
                inspected_at=_local(day, 22, rng.randint(0, 30)),
            )
    for offset in range(7, -1, -1):
        day = today - datetime.timedelta(days=offset)
        for index, camera in enumerate(cameras):
            if offset == 0 and index >= 3:
                continue  # two points still to review today
            if offset == 0 and timezone.localtime(now).hour < 8:
                continue
            items = checklist_for(school, "cctv")
            results = [(True, "")] * len(items)
            if offset == 4 and camera.number == "JK-04":
                results[0] = (False, "东侧围墙摄像头被树枝遮挡")
            moment = _local(day, 8, 10 + index * 3)
            record_inspection(
                user=guard,
                equipment=camera,
                results=results,
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{school.pk}-{camera.number}-{offset}"),
                inspected_at=min(moment, now),
            )


def _events(school, head, staff, teacher, rng):
    """Safety education and drills: two evacuation drills this term in the first school, none this term
    in the other (a gap against the rule), lectures, a problem that opened a hazard."""
    from logistics.people.models import SchoolClass

    from .drills import open_problem_hazard, term_of

    today = timezone.localdate()
    start, _end = term_of(today)
    classes = list(SchoolClass.objects.filter(school=school, active=True).order_by("name")[:6])
    first = not SafetyEvent.objects.exclude(school=school).exists()

    def event(kind, title, day, minutes, participants, organiser, **fields):
        record = SafetyEvent.objects.create(
            school=school,
            kind=kind,
            title=title,
            held_on=min(day, today),
            duration_minutes=minutes,
            participants=participants,
            organiser=organiser,
            **fields,
        )
        if classes:
            record.classes.set(classes[: rng.randint(2, len(classes))])
        return record

    term_day = start + datetime.timedelta(days=40)
    if first:
        drill = event(
            "fire_drill",
            "秋季学期消防应急疏散演练",
            term_day,
            30,
            1260,
            head,
            place="全校教学楼",
            start_time=datetime.time(15, 30),
            evacuation_seconds=186,
            evaluation="全校师生3分06秒疏散完毕，各班按预定路线有序撤离，广播清晰。",
            problems="三楼东侧楼梯口疏散时拥堵\n个别班级未带走点名册",
        )
        open_problem_hazard(drill, 0, head)
        event(
            "earthquake_drill",
            "防震减灾应急疏散演练",
            term_day + datetime.timedelta(days=45),
            25,
            1240,
            staff,
            place="操场",
            evacuation_seconds=201,
            evaluation="学生能按要求避险后疏散，个别学生奔跑推挤，已在班会上强调。",
        )
    else:
        event(
            "fire_drill",
            "春季学期消防应急疏散演练",
            start - datetime.timedelta(days=120),
            30,
            860,
            head,
            place="教学楼、宿舍楼",
            evacuation_seconds=214,
            evaluation="疏散总体有序，宿舍楼应急灯一处不亮，已报修。",
        )
    event(
        "traffic",
        "交通安全知识讲座",
        term_day + datetime.timedelta(days=20),
        45,
        420,
        teacher,
        place="学校礼堂",
        evaluation="邀请交警大队民警讲解上下学交通安全，学生提问踊跃。",
    )
    event(
        "drowning",
        "防溺水安全教育主题班会",
        start - datetime.timedelta(days=60),
        40,
        900,
        teacher,
        place="各班教室",
        evaluation="暑假前开展，签订《防溺水安全承诺书》。",
    )
