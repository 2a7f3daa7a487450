"""Fast bulk seeding of a district-scale finance data set for ``bench/bench_finance.py``: 20 schools ×
2,000 students × 10 fee items × 6 terms ≈ 2.4 M charges, their consents (the 9 voluntary items) and
payments (about 85 % paid).

Schools, people, items and the published boards go in with ``bulk_create``; charges, consents and
payments with PostgreSQL ``COPY`` (secondary indexes dropped and rebuilt around it; triggers — the
published board's immutability guard — off with ``session_replication_role = replica``). Not a demo
provider: it writes directly and records no history.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from harness import copy_rows

from finance.choices import AdministrativeKind, ConsentStatus, DisclosureStatus, FeeCategory, FeeUnit
from finance.models import Charge, Consent, DisclosureEntry, FeeDisclosure, FeeItem, Payment
from logistics.accounts.roles import Role
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student
from logistics.tenancy.models import District, Membership, School, SchoolStage

PASSWORD = "bench1234"
STUDENTS = 2000
CLASSES = 40  # 6 grades; 50 students a class
TERMS = [
    (f"{year}年{season}季学期", datetime.date(year, 9 if season == "秋" else 2, 1))
    for year, season in [(2024, "春"), (2024, "秋"), (2025, "春"), (2025, "秋"), (2026, "春"), (2026, "秋")]
]
ITEMS = [
    (FeeCategory.ADMINISTRATIVE, "住宿费", "400.00", FeeUnit.TERM),
    (FeeCategory.ON_BEHALF, "学生意外伤害保险", "100.00", FeeUnit.YEAR),
    (FeeCategory.ON_BEHALF, "作业本费", "35.00", FeeUnit.TERM),
    (FeeCategory.ON_BEHALF, "教辅材料费", "60.00", FeeUnit.TERM),
    (FeeCategory.ON_BEHALF, "校服费", "180.00", FeeUnit.TERM),
    (FeeCategory.ON_BEHALF, "床上用品费", "150.00", FeeUnit.TERM),
    (FeeCategory.SERVICE, "午餐费", "1300.00", FeeUnit.TERM),
    (FeeCategory.SERVICE, "校车费", "600.00", FeeUnit.TERM),
    (FeeCategory.SERVICE, "课后服务费", "300.00", FeeUnit.TERM),
    (FeeCategory.SERVICE, "牛奶费", "120.00", FeeUnit.TERM),
]
TABLES = ["finance_charge", "finance_consent", "finance_payment"]


def _without_indexes(tables):
    """Drop the secondary indexes of ``tables`` (kept: primary keys and constraint indexes); return
    the statements that rebuild them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def school_and_people(district, n, password):
    User = get_user_model()
    school = School.objects.create(
        district=district, name=f"基准第{n}中学", slug=f"bench-{n}", code=f"B{n:02d}", stage=SchoolStage.SENIOR
    )
    officer = User(username=f"bench-finance-{n}", display_name=f"财务{n}", password=password)
    principal = User(username=f"bench-principal-{n}", display_name=f"校长{n}", password=password)
    teachers = [
        User(username=f"bench-teacher-{n}-{k}", display_name=f"班主任{n}-{k}", password=password)
        for k in range(1, CLASSES + 1)
    ]
    parent = User(username=f"bench-parent-{n}", display_name=f"家长{n}", password=password)
    User.objects.bulk_create([officer, principal, parent, *teachers])
    Membership.objects.bulk_create(
        [
            Membership(user=officer, school=school, role=Role.FINANCE_OFFICER),
            Membership(user=principal, school=school, role=Role.PRINCIPAL),
            Membership(user=parent, school=school, role=Role.PARENT),
            *(Membership(user=t, school=school, role=Role.TEACHER) for t in teachers),
        ]
    )
    grades = Grade.objects.bulk_create(
        [Grade(school=school, name=f"高{g}年级" if g <= 3 else f"{g}年级", order=g) for g in range(1, 7)]
    )
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(school=school, grade=grades[k % 6], name=f"{k + 1}班", head_teacher=teachers[k])
            for k in range(CLASSES)
        ]
    )
    per_class = STUDENTS // CLASSES
    students = Student.objects.bulk_create(
        [
            Student(
                school=school,
                school_class=classes[i // per_class],
                name=f"学生{n}-{i + 1}",
                student_number=f"{n:02d}{i + 1:05d}",
            )
            for i in range(STUDENTS)
        ],
        batch_size=2000,
    )
    GuardianLink.objects.create(school=school, student=students[0], guardian=parent)
    return school, officer, students


def items_and_board(school, officer):
    """10 items × 6 terms, all on one published board (bulk, the immutability trigger off)."""
    items = []
    for label, start in TERMS:
        end = start + datetime.timedelta(days=140)
        for category, name, amount, unit in ITEMS:
            extra = (
                {"administrative_kind": AdministrativeKind.ACCOMMODATION, "basis_authority": "省发展改革委",
                 "basis_document": "示范发改价格〔2023〕18号", "voluntary": False}
                if category == FeeCategory.ADMINISTRATIVE
                else {"voluntary": True}
            )  # fmt: skip
            items.append(
                FeeItem(
                    school=school,
                    category=category,
                    name=name,
                    amount=Decimal(amount),
                    unit=unit,
                    period_label=label,
                    period_start=start,
                    period_end=end,
                    due_date=start + datetime.timedelta(days=14),
                    complaint_phone="12345",
                    waiver_policy="家庭经济困难学生按资助政策减免。",
                    **extra,
                )
            )
    items = FeeItem.objects.bulk_create(items)
    now = timezone.now()
    board = FeeDisclosure.objects.create(
        school=school,
        version=1,
        status=DisclosureStatus.PUBLISHED,
        note="基准测试公示",
        published_at=now,
        published_by=officer,
        created_by=officer,
    )
    entries = DisclosureEntry.objects.bulk_create(
        [
            DisclosureEntry(
                school=school,
                disclosure=board,
                fee_item=item,
                category=item.category,
                administrative_kind=item.administrative_kind,
                name=item.name,
                amount=item.amount,
                unit=item.unit,
                basis_authority=item.basis_authority,
                basis_document=item.basis_document,
                scope="全体学生",
                period_label=item.period_label,
                period_start=item.period_start,
                period_end=item.period_end,
                waiver_policy=item.waiver_policy,
                voluntary=item.voluntary,
                complaint_phone=item.complaint_phone,
            )
            for item in items
        ]
    )
    return list(zip(items, entries, strict=True))


def seed(counts):
    schools = counts[0] if counts else 20
    rng = random.Random(10)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    password = make_password(PASSWORD)
    district = District.objects.create(name="基准测试区", slug="bench-district")
    made = []
    with transaction.atomic():
        for n in range(1, schools + 1):
            school, officer, students = school_and_people(district, n, password)
            made.append((school, officer, [s.pk for s in students], items_and_board(school, officer)))
    print(f"  schools, people, boards: {time.monotonic() - started:.0f}s", flush=True)
    rebuild = _without_indexes(TABLES)
    now = timezone.now().isoformat()
    charge_cols = ["school_id", "fee_item_id", "entry_id", "student_id", "amount", "due_date", "reference",
                   "reference_number", "created", "updated", "created_by_id"]  # fmt: skip
    consent_cols = ["school_id", "fee_item_id", "student_id", "status", "channel", "decided_at", "decided_by_id",
                    "signed_by", "paper_form", "revoke_reason", "created", "updated", "created_by_id"]  # fmt: skip
    payment_cols = ["school_id", "charge_id", "amount", "method", "receipt_number", "paid_on", "status",
                    "reversal_reason", "transaction_id", "created", "updated", "created_by_id"]  # fmt: skip
    _check_columns(Charge, charge_cols)
    _check_columns(Consent, consent_cols)
    _check_columns(Payment, payment_cols)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM finance_charge")
        next_charge = cursor.fetchone()[0] + 1

    def charges():
        for school, officer, students, pairs in made:
            sid, oid = str(school.pk), str(officer.pk)
            number = 0
            for item, entry in pairs:
                fields = (sid, str(item.pk), str(entry.pk))
                amount, due = str(entry.amount), item.due_date.isoformat()
                for student in students:
                    number += 1
                    yield (*fields, str(student), amount, due, f"FEE-2026-{number:07d}", str(number), now, now, oid)

    def consents():
        for school, officer, students, pairs in made:
            sid = str(school.pk)
            for item, _entry in pairs:
                if not item.voluntary:
                    continue
                iid = str(item.pk)
                for student in students:
                    yield (sid, iid, str(student), ConsentStatus.GIVEN, "online", now, "\\N", "", "", "", now, now,
                           str(officer.pk))  # fmt: skip

    t = time.monotonic()
    n_charges = copy_rows("finance_charge", charge_cols, charges())
    print(f"  {n_charges:,} charges: {time.monotonic() - t:.0f}s", flush=True)
    t = time.monotonic()
    n_consents = copy_rows("finance_consent", consent_cols, consents())
    print(f"  {n_consents:,} consents: {time.monotonic() - t:.0f}s", flush=True)

    def payments():
        charge_id = next_charge
        methods = ["wechat", "alipay", "platform", "bank", "cash"]
        for school, officer, students, pairs in made:
            sid, oid = str(school.pk), str(officer.pk)
            receipt = 0
            for item, entry in pairs:
                amount, paid = str(entry.amount), (item.due_date - datetime.timedelta(days=3)).isoformat()
                for _student in students:
                    if rng.random() < 0.85:
                        receipt += 1
                        yield (sid, str(charge_id), amount, methods[receipt % 5], f"{school.code}-{receipt:07d}", paid,
                               "recorded", "", "", now, now, oid)  # fmt: skip
                    charge_id += 1

    t = time.monotonic()
    n_payments = copy_rows("finance_payment", payment_cols, payments())
    print(f"  {n_payments:,} payments: {time.monotonic() - t:.0f}s", flush=True)
    t = time.monotonic()
    with connection.cursor() as cursor:
        for statement in rebuild:
            cursor.execute(statement)
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ["finance_charge", "finance_consent", "finance_payment", "people_student", "finance_feeitem"]:
            cursor.execute(f"ANALYZE {table}")
    print(f"  indexes and ANALYZE: {time.monotonic() - t:.0f}s; total {time.monotonic() - started:.0f}s", flush=True)


def _check_columns(model, columns):
    """``columns`` exist, and every NOT NULL column (but the key) is among them — the COPY would fail
    late otherwise."""
    have = {f.column for f in model._meta.concrete_fields}
    required = {f.column for f in model._meta.concrete_fields if not f.null and not f.primary_key}
    unknown, missing = set(columns) - have, required - set(columns)
    if unknown or missing:
        raise RuntimeError(f"{model.__name__}: unknown columns {sorted(unknown)}, missing {sorted(missing)}")
