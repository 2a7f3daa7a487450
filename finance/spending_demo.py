"""Demo data of spending approval: a budget per category, expenses in each band and each state, one
collective decision with its minutes, one published half-term statement (with a few realistic gaps:
an over-budget purchase and a large one waiting for the principal)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from logistics.accounts.roles import Role
from logistics.workflow import guard

from . import expenses, statements
from .choices import ExpenseCategory as C
from .choices import PayMethod
from .expense_forms import half_term_default
from .models import Budget, CollectiveDecision

BUDGETS = {
    C.OFFICE: 24000,
    C.PRINTING: 18000,
    C.UTILITIES: 160000,
    C.TELECOM: 1200,
    C.PROPERTY: 60000,
    C.TRAVEL: 20000,
    C.REPAIRS: 80000,
    C.TRAINING: 30000,
    C.MATERIALS: 40000,
    C.EQUIPMENT: 120000,
    C.OTHER: 10000,
}

#: (purpose, amount, category, supplier, days ago, how far it got)
EXPENSES = [
    ("办公用品（签字笔、文件夹）", "286.50", C.OFFICE, "文华办公用品店", 70, "paid"),
    ("教务处打印纸 10 箱", "300.00", C.PRINTING, "晨光文具批发部", 40, "approved"),
    ("教学楼卫生间水龙头维修配件", "458.00", C.REPAIRS, "五金建材市场 李记五金", 12, "submitted"),
    ("化学实验耗材（试剂、烧杯）", "3600.00", C.MATERIALS, "科教仪器有限公司", 9, "signed"),
    ("暑期教师信息技术培训费", "8000.00", C.TRAINING, "市教师进修学校", 80, "paid"),
    ("录播教室多媒体设备", "48000.00", C.EQUIPMENT, "华信电子科技有限公司", 30, "approved"),
    ("教师节慰问品", "600.00", C.OTHER, "万家超市", 60, "rejected"),
    ("宽带续费（传达室）", "480.00", C.TELECOM, "中国电信营业厅", 50, "paid"),
    ("传达室电话机及话费充值", "980.00", C.TELECOM, "中国电信营业厅", 5, "submitted"),
    ("运动会奖品（重复报销）", "520.00", C.OTHER, "体育用品店", 45, "reversed"),
    ("图书馆书架油漆", "260.00", C.REPAIRS, "五金建材市场 李记五金", 3, "drafted"),
    ("外出学习交通费", "180.00", C.TRAVEL, "铁路 12306", 20, "withdrawn"),
]

#: a tiny valid PDF standing for a scan (demo only)
PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _scan(name):
    return ContentFile(PDF, name=name)


def seed(school, users, scale, rng):
    if Budget.objects.filter(school=school).exists():
        return
    # the timeline texts are written now: in the users' language, not the shell's
    with translation.override(settings.LANGUAGE_CODE):
        _seed(school, users, scale, rng)


def _seed(school, users, scale, rng):
    officer, principal, head = users[Role.FINANCE_OFFICER], users[Role.PRINCIPAL], users[Role.LOGISTICS_HEAD]
    teacher, staff = users[Role.TEACHER], users[Role.LOGISTICS_STAFF]
    today = timezone.localdate()
    year = today.year
    for category, amount in BUDGETS.items():
        Budget.objects.create(school=school, year=year, category=category, amount=Decimal(amount), created_by=officer)
    printing = Budget.objects.get(school=school, year=year, category=C.PRINTING)
    from .budgets import revise

    revise(printing, officer, Decimal("20000.00"), "新学期增加试卷印刷量，经校务会同意追加预算")

    def day(ago):
        return max(today - datetime.timedelta(days=ago), datetime.date(year, 1, 1))

    decision = CollectiveDecision.objects.create(
        school=school,
        meeting_date=day(35),
        subject="录播教室多媒体设备采购",
        participants="校长、副校长、后勤主任、教务主任、工会主席",
        decision="同意采购录播教室多媒体设备一套，预算 48,000 元，按政府采购程序询价三家。",
        created_by=principal,
    )
    expenses.attach(decision, [_scan("会议纪要.pdf")], expenses.MINUTES)

    for n, (purpose, amount, category, supplier, ago, state) in enumerate(EXPENSES, start=1):
        buyer, receiver = (teacher, staff) if n % 2 else (staff, teacher)
        if n % 3 == 0:  # the canteen buys too: the teacher sees none of these
            buyer, receiver = users.get(Role.CANTEEN_MANAGER, teacher), staff
        expense = expenses.file_expense(
            school=school,
            actor=buyer,
            purpose=purpose,
            amount=Decimal(amount),
            category=category,
            supplier=supplier,
            spent_on=day(ago),
            buyer=buyer,
            receiver=receiver,
            decision=decision if category == C.EQUIPMENT else None,
            invoices=[_scan(f"发票-{n}.pdf")],
        )
        if state == "drafted":
            continue
        if state == "withdrawn":
            guard.run(expense, "withdraw", buyer, reason="活动取消，未发生费用")
            continue
        guard.run(expense, "submit", buyer)
        if state == "submitted":
            continue
        if state == "rejected":
            guard.run(expense, "reject", head, reason="不属于公用经费开支范围，请走工会经费")
            continue
        guard.run(expense, "approve", head, comment="情况属实")
        if state == "signed":
            continue
        second = principal if expenses.needs_principal(expense) else officer
        guard.run(expense, "approve", second, comment="同意报销")
        if state == "approved":
            continue
        guard.run(
            expense,
            "pay",
            officer,
            paid_on=min(day(ago) + datetime.timedelta(days=3), today),
            method=PayMethod.BANK,
            voucher_number=f"记-{year}-{n:04d}",
        )
        if state == "reversed":
            guard.run(expense, "reverse", principal, reason="同一张发票已于上月报销，冲销本笔")

    start, end = half_term_default(today - datetime.timedelta(days=30))
    end = min(end, today)
    statement = statements.new_statement(
        school=school,
        actor=officer,
        title=f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}经费收支情况",
        period_start=start,
        period_end=end,
        note="收费均按公示标准收取；支出均经两人签字审批，大额支出经校务会集体决策。",
    )
    guard.run(statement, "submit", officer)
    guard.run(statement, "publish", principal)
