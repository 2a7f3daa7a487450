"""Demo data of the finance app for one school: a published fee board with a previous version (the
lunch fee changed), consents answered by the guardians online, charges, payments (one reversed by the
principal), a policy waiver, an approved refund and the term settlement of the exercise books (多退少不补:
5 yuan refunded to each student who paid). Idempotent: nothing is added to a school that has
fee items."""

import datetime
from decimal import Decimal

from logistics.accounts.roles import Role
from logistics.people.models import GuardianLink
from logistics.tenancy.models import SchoolStage
from logistics.workflow import guard

from . import money, services
from .choices import AdministrativeKind, ConsentStatus, FeeCategory, FeeUnit, PaymentMethod, WaiverKind
from .models import Consent, FeeItem, Settlement

TERM = ("2026年秋季学期", datetime.date(2026, 9, 1), datetime.date(2027, 1, 20))


def _items(school):
    label, start, end = TERM
    common = {
        "period_label": label,
        "period_start": start,
        "period_end": end,
        "complaint_phone": school.complaint_phone,
    }
    rows = [
        dict(
            category=FeeCategory.ON_BEHALF,
            name="学生意外伤害保险",
            amount=Decimal("100.00"),
            unit=FeeUnit.YEAR,
            waiver_policy="低保、特困家庭学生由学校资助，免收。",
            due_date=datetime.date(2026, 9, 15),
        ),
        dict(
            category=FeeCategory.SERVICE,
            name="午餐费",
            amount=Decimal("250.00"),
            unit=FeeUnit.MONTH,
            scope_note="在校用餐学生",
            waiver_policy="家庭经济困难学生按资助政策减免；因病假、事假停餐的按天退还。",
            due_date=datetime.date(2026, 9, 10),
        ),
        dict(
            category=FeeCategory.ON_BEHALF,
            name="作业本费",
            amount=Decimal("35.00"),
            unit=FeeUnit.TERM,
            waiver_policy="期末按实际结算，多退少不补。",
        ),
        dict(
            category=FeeCategory.ADMINISTRATIVE,
            administrative_kind=AdministrativeKind.ACCOMMODATION,
            name="住宿费",
            amount=Decimal("400.00"),
            unit=FeeUnit.TERM,
            basis_authority="省发展改革委 省财政厅 省教育厅",
            basis_document="示范发改价格〔2023〕18号",
            boarders_only=True,
            voluntary=False,
            waiver_policy="建档立卡家庭学生免收。",
        ),
    ]
    return [FeeItem.objects.create(school=school, **common, **row) for row in rows]


def seed(school, users, scale, rng):
    if FeeItem.objects.filter(school=school).exists():
        return
    officer, principal, head = users[Role.FINANCE_OFFICER], users[Role.PRINCIPAL], users[Role.LOGISTICS_HEAD]
    if not school.stage:
        school.stage = SchoolStage.PRIMARY
        school.save()
    insurance, lunch, exercise, accommodation = _items(school)

    def publish(note):
        disclosure = services.new_disclosure(school, officer, note)
        guard.run(disclosure, "submit", officer)
        guard.run(disclosure, "approve", principal)
        guard.run(disclosure, "publish", officer)
        return disclosure

    publish("2026年秋季学期收费公示")
    lunch.amount = Decimal("260.00")
    lunch.save()
    publish("午餐费按物价部门核定标准由每月250元调整为260元")
    if scale != "small":
        return

    # consents: the guardians answer online — most agree, a few decline, some have not answered yet
    services.open_consents(insurance, officer)
    services.open_consents(exercise, officer)
    guardians = {}
    for link in GuardianLink.objects.filter(school=school).select_related("guardian").order_by("pk"):
        guardians.setdefault(link.student_id, link.guardian)
    for item in (insurance, exercise):
        pending = Consent.objects.filter(school=school, fee_item=item, status=ConsentStatus.PENDING).order_by("pk")
        for i, consent in enumerate(pending[:50]):
            guardian = guardians.get(consent.student_id)
            if guardian is None or i % 9 == 8:
                continue  # not answered yet
            guard.run(consent, "decline" if i % 13 == 5 else "give", guardian)
    money.generate_charges(insurance, officer)
    money.generate_charges(exercise, officer)
    money.generate_charges(accommodation, officer)

    # payments: most pay in full; one payment recorded twice is reversed by the principal
    charges = (
        list(insurance.charges.order_by("pk"))
        + list(accommodation.charges.order_by("pk"))
        + list(exercise.charges.order_by("pk"))
    )
    receipt = 1
    paid_on = datetime.date(2026, 9, 12)
    methods = [PaymentMethod.WECHAT, PaymentMethod.ALIPAY, PaymentMethod.PLATFORM, PaymentMethod.CASH]
    for i, charge in enumerate(charges):
        if i % 5 == 4:
            continue  # still unpaid
        if i == 2:
            money.request_waiver(charge, officer, charge.amount, WaiverKind.POLICY, "低保家庭学生，按减免政策免收")
            guard.run(charge.waivers.get(), "approve", principal)
            continue
        money.record_payment(
            charge, officer, charge.amount, methods[i % 4], f"{school.code}-2026-{receipt:05d}", paid_on
        )
        receipt += 1
    if len(charges) > 4:
        # a payment entered for the wrong student is reversed by the principal (管钱不管帐)
        wrong = money.record_payment(
            charges[4], officer, charges[4].amount, PaymentMethod.CASH, f"{school.code}-2026-{receipt:05d}", paid_on
        )
        guard.run(wrong, "reverse", principal, reason="录入到了错误的学生名下，已核对收据存根")
        # a refund: the student moved away before the insurance started; asked by the head, approved by the principal
        refund = money.request_refund(charges[0], head, Decimal("50.00"), "学生转学，保险未生效部分退还")
        guard.run(refund, "approve", principal)

    # the term settlement of the exercise books: bought for 30 yuan a student, 5 yuan each refunded
    count = exercise.charges.count()
    if count:
        settlement = Settlement.objects.create(
            school=school,
            fee_item=exercise,
            actual_total=Decimal("30.00") * count,
            spending_note=f"向新华书店采购作业本{count}套，每套30.00元，发票号 44012345。",
            created_by=officer,
        )
        guard.run(settlement, "compute", officer)
        guard.run(settlement, "approve", principal)
