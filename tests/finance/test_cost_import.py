"""The actual cost per student of a settlement from an XLSX/CSV (on the platform's import engine) and
through the API: the template lists the charged students; unknown student, another school's student, a
student not charged, a negative cost and a student twice are errors of their row/entry — and then nothing
is saved; a clean file saves every figure through the page's own service (recorded changes)."""

import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from finance.choices import CostSplit
from finance.cost_import import IMPORTER
from finance.models import Settlement, StudentCost, StudentCostImport
from logistics.audit.models import ChangeRecord
from logistics.imports import engine
from logistics.imports import registry as import_registry
from logistics.imports.choices import ImportStatus
from logistics.workflow import guard

from ..factories import StudentFactory
from .test_settlement import charged  # noqa: F401 — fixture: 3 charged 100, the first two paid

pytestmark = pytest.mark.django_db
HEADERS = ["学号", "学生姓名", "班级", "实际费用"]


def xlsx(rows, headers=HEADERS, name="实际费用.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def settlement(school, items, charged):  # noqa: F811
    return Settlement.objects.create(
        school=school, fee_item=items.insurance, split=CostSplit.PER_STUDENT, actual_total=0, spending_note="保费"
    )


def check(settlement, user, upload):
    record = engine.open_import(
        lambda **fields: StudentCostImport(settlement=settlement, **fields),
        school=settlement.school,
        user=user,
        upload=upload,
        importer=IMPORTER,
    )
    engine.set_mapping(record, user, engine.guess_mapping(import_registry.get(IMPORTER), record.headers))
    engine.check_now(record, user)
    record.refresh_from_db()
    return record


def messages_by_row(record):
    return {(e["row"], e["field"]): e["message"] for e in record.errors}


class TestStudentCostImport:
    def test_clean_file_saves_every_cost_as_recorded_changes(self, settlement, people, klass):
        s0, s1, s2 = klass.students
        record = check(
            settlement,
            people.officer,
            xlsx(
                [
                    [s0.student_number, "", "", 70],
                    ["", s1.name, "一年级1班", "100.00"],
                    [s2.student_number, s2.name, "", "¥90"],
                ]
            ),
        )
        assert record.status == ImportStatus.VALIDATED, record.errors
        engine.apply_now(record, people.officer)
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE and record.created_count == 3
        got = dict(StudentCost.objects.filter(settlement=settlement).values_list("charge__student_id", "amount"))
        assert got == {s0.pk: Decimal("70.00"), s1.pk: Decimal("100.00"), s2.pk: Decimal("90.00")}
        recorded = ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(StudentCost), action="create"
        )
        assert {r.user_id for r in recorded} == {people.officer.pk} and recorded.count() == 3
        guard.run(settlement, "compute", people.officer)
        settlement.refresh_from_db()
        assert settlement.actual_total == Decimal("260.00")

    def test_any_wrong_row_saves_nothing_with_chinese_messages(self, settlement, people, klass, school, other_school):
        s0, s1, s2 = klass.students
        stranger = StudentFactory(school=other_school, name="外校学生")
        uncharged = StudentFactory(school=school, school_class=klass.school_class, name="未收费学生")
        record = check(
            settlement,
            people.officer,
            xlsx(
                [
                    [s0.student_number, "", "", 70],  # row 2: fine
                    ["99999999", "", "", 30],  # row 3: unknown student
                    [stranger.student_number, "", "", 30],  # row 4: another school's student
                    [s1.student_number, "", "", -5],  # row 5: negative cost
                    [s0.student_number, "", "", 60],  # row 6: the same student twice
                    [uncharged.student_number, "", "", 30],  # row 7: not charged for the fee
                    ["", "没有这人", "1班", 30],  # row 8: unknown name in the class
                    [s2.student_number, "", "", "三十"],  # row 9: not an amount
                ]
            ),
        )
        assert record.status == ImportStatus.INVALID
        errors = messages_by_row(record)
        assert (2, "student_number") not in errors and (2, "amount") not in errors
        assert "本校没有学号为“99999999”的学生" in errors[(3, "student_number")]
        assert f"本校没有学号为“{stranger.student_number}”的学生" in errors[(4, "student_number")]
        assert "实际费用不能为负数" in errors[(5, "amount")]
        assert "文件中出现两次" in errors[(6, "student_number")] and "第 2 行" in errors[(6, "student_number")]
        assert "未收取此项费用" in errors[(7, "student_number")]
        assert "没有这人" in errors[(8, "student_name")]
        assert "不是金额" in errors[(9, "amount")]
        assert not StudentCost.objects.exists()
        with pytest.raises(Exception):  # noqa: B017 — an invalid file cannot be run
            engine.start_run(record, people.officer)
        assert not StudentCost.objects.exists()

    def test_approved_settlement_refuses_the_file(self, settlement, people, klass):
        s0 = klass.students[0]
        Settlement.objects.filter(pk=settlement.pk).update(status="approved")
        settlement.refresh_from_db()
        record = check(settlement, people.officer, xlsx([[s0.student_number, "", "", 70]]))
        assert record.status == ImportStatus.INVALID
        assert "已审批" in record.errors[0]["message"]


class TestStudentCostImportPages:
    def test_template_lists_the_charged_students_and_upload_flow(self, settlement, people, klass, login):
        client = login(people.officer)
        page = client.get(f"/finance/settlement-costs/{settlement.pk}/").content.decode()
        assert f"/finance/settlement-costs/imports/add/?settlement={settlement.pk}" in page
        response = client.get(f"/finance/settlement-costs/imports/template/?settlement={settlement.pk}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS
        assert {r[0] for r in rows[1:]} == {s.student_number for s in klass.students}
        upload = client.get(f"/finance/settlement-costs/imports/add/?settlement={settlement.pk}")
        assert upload.status_code == 200 and f"template/?settlement={settlement.pk}" in upload.content.decode()
        s0 = klass.students[0]
        response = client.post(
            f"/finance/settlement-costs/imports/add/?settlement={settlement.pk}",
            {"file": xlsx([[s0.student_number, s0.name, "", 70]])},
        )
        assert response.status_code == 302
        record = StudentCostImport.objects.get()
        assert record.settlement_id == settlement.pk and response["Location"].endswith(f"/imports/{record.pk}/mapping/")
        assert client.get(response["Location"]).status_code == 200
        engine.set_mapping(record, people.officer, engine.guess_mapping(import_registry.get(IMPORTER), record.headers))
        engine.check_now(record, people.officer)
        detail = client.get(record.get_absolute_url())
        assert detail.status_code == 200 and s0.name in detail.content.decode()

    def test_who_may_import(self, settlement, people, login, other_school, make_user):
        from logistics.accounts.roles import Role

        url = f"/finance/settlement-costs/imports/add/?settlement={settlement.pk}"
        assert login(people.teacher).get(url).status_code == 404  # sees no settlement
        assert login(people.principal).get(url).status_code == 403
        outsider = make_user(Role.FINANCE_OFFICER, other_school, username="finance-other")
        assert login(outsider).get(url).status_code == 404


class TestStudentCostApi:
    def test_enter_all_or_nothing_with_errors_by_entry(self, settlement, people, klass, api, school, other_school):
        s0, s1, s2 = klass.students
        stranger = StudentFactory(school=other_school)
        url = f"/api/v1/finance/settlements/{settlement.pk}/costs/"
        client = api(people.officer)
        bad = {
            "costs": [
                {"student": s0.pk, "amount": "70.00"},
                {"student": stranger.pk, "amount": "30"},
                {"student": s1.pk, "amount": "-1"},
                {"student": s0.pk, "amount": "10"},
                {"student": 987654321, "amount": "10"},
            ]
        }
        response = client.post(url, bad, format="json")
        assert response.status_code == 400, response.json()
        errors = response.json()["errors"]
        assert not any(key.startswith("costs[0]") for key in errors)
        assert "第 2 条" in errors["costs[1].student"][0] and "未收取此项费用" in errors["costs[1].student"][0]
        assert "不能为负数" in errors["costs[2].amount"][0]
        assert "出现两次" in errors["costs[3].student"][0]
        assert "未收取此项费用" in errors["costs[4].student"][0]
        assert not StudentCost.objects.exists()
        good = {
            "costs": [{"student": s.pk, "amount": a} for s, a in zip(klass.students, ["70", "100", "90"], strict=True)]
        }
        response = client.post(url, good, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["changed"] == 3
        assert client.post(url, good, format="json").json()["changed"] == 0  # sent again: nothing changes
        listed = api(people.principal).get(url).json()
        assert (listed["count"], listed["total"]) == (3, "260.00")
        assert {(c["student"], c["amount"]) for c in listed["costs"]} == {
            (s0.pk, "70.00"),
            (s1.pk, "100.00"),
            (s2.pk, "90.00"),
        }
        # the principal reads but does not enter; a teacher sees nothing
        assert api(people.principal).post(url, good, format="json").status_code == 403
        assert api(people.teacher).get(url).status_code in (403, 404)

    def test_import_api_with_settlement(self, settlement, people, klass, api):
        client = api(people.officer)
        s0 = klass.students[0]
        response = client.post(
            "/api/v1/finance/student-cost-imports/",
            {"file": xlsx([[s0.student_number, "", "", 70]]), "settlement": settlement.pk},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["settlement"] == settlement.pk and body["mapping"]["amount"] == 3
        record = StudentCostImport.objects.get(pk=body["id"])
        assert record.settlement_id == settlement.pk

    def test_schema_documents_the_request_bodies(self, api, people):
        schema = api(people.officer).get("/api/schema/", {"format": "json"}).json()
        costs = schema["paths"]["/api/v1/finance/settlements/{id}/costs/"]["post"]
        ref = costs["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        assert set(schema["components"]["schemas"][ref]["properties"]) == {"costs"}
        upload = schema["paths"]["/api/v1/finance/student-cost-imports/"]["post"]["requestBody"]["content"]
        ref = upload["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
        assert {"file", "settlement"} <= set(schema["components"]["schemas"][ref]["properties"])
