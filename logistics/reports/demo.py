"""Demo monthly reports: the month before last made final by the logistics head with next month's plan and
read by the principal; last month's generated and waiting for the head's plan (a realistic gap)."""

from logistics.workflow import guard

from . import services
from .choices import ReportStatus
from .models import Report

PLANS = {
    "demo-1": (
        "1. 督促相关班级缴清损坏赔偿款，月底前销账。\n"
        "2. 对逾期未完成的报修单逐单跟进，电工组本周内完成教学楼照明检修。\n"
        "3. 更换到期的供应商证照，证照不全的供应商暂停进货。\n"
        "4. 开展冬季消防安全检查，重点检查宿舍楼和食堂燃气管道。"
    ),
    "demo-2": (
        "1. 外墙瓷砖空鼓隐患落实专项资金，设置警戒区，限期完成整改销号。\n"
        "2. 木工组集中维修课桌椅，期末前完成各班级财产核对。\n"
        "3. 组织食堂从业人员办理健康证换证。"
    ),
}


def seed(school, users, scale, rng):
    head, principal = users.get("logistics_head"), users.get("principal")
    last = services.previous_month()
    before = services.previous_month(last)
    if not Report.objects.filter(school=school, period=before).exists():
        report = services.generate(school, before, user=head)
        if head is not None:
            plan = PLANS.get(school.slug, PLANS["demo-1"])
            guard.run(report, "finalize", head, plan=plan)
            report.refresh_from_db()
            if principal is not None and report.status == ReportStatus.FINAL:
                guard.run(report, "mark_read", principal)
    if not Report.objects.filter(school=school, period=last).exists():
        services.generate(school, last, user=head)
