"""Separation of duties on the pages (管钱不管帐): a step the user would be refused is not offered — the
recorder of a payment sees no 冲正 (reverse) button, the asker of a refund no approve button — because
the grants of those steps are row-scoped, not because a template hides them."""

import datetime

import pytest
from django.urls import reverse

from finance import money
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from logistics.workflow import guard

from .test_money import insurance_charge  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 10)


def _step_url(model, pk, step):
    return reverse(f"finance:{model}_step", args=[pk, step])


class TestRecorderDoesNotSeeReverse:
    def test_recorder_sees_no_reverse_button_others_do(self, insurance_charge, people, login):  # noqa: F811
        payment = money.record_payment(insurance_charge, people.officer, "40", "cash", "B-1", TODAY)
        page = reverse("finance:charge_detail", args=[insurance_charge.pk])
        reverse_url = _step_url("payment", payment.pk, "reverse")

        officer_page = login(people.officer).get(page).content.decode()
        assert "B-1" in officer_page and reverse_url not in officer_page
        assert "冲正" not in officer_page
        # and clicking the address anyway is refused, nothing changes
        assert login(people.officer).post(reverse_url, {"reason": "错"}).status_code == 403
        payment.refresh_from_db()
        assert payment.status == "recorded"

        principal_page = login(people.principal).get(page).content.decode()
        assert reverse_url in principal_page

    def test_a_head_who_also_recorded_it_is_not_offered_it(self, insurance_charge, people, school):  # noqa: F811
        payment = money.record_payment(insurance_charge, people.officer, "40", "cash", "B-2", TODAY)
        Membership.objects.create(user=people.officer, school=school, role=Role.LOGISTICS_HEAD)
        officer = type(people.officer).objects.get(pk=people.officer.pk)
        assert [s.name for s in guard.allowed_steps(officer, payment)] == []
        assert [s.name for s in guard.allowed_steps(people.head, payment)] == ["reverse"]


class TestDecisionsNotOfferedToTheInvolved:
    def test_refund_asker_and_payment_recorder_see_no_approve(self, insurance_charge, people, school, login):  # noqa: F811
        money.record_payment(insurance_charge, people.officer, "100", "cash", "B-3", TODAY)
        Membership.objects.create(user=people.officer, school=school, role=Role.LOGISTICS_HEAD)
        officer = type(people.officer).objects.get(pk=people.officer.pk)
        refund = money.request_refund(insurance_charge, people.head, "30", "未生效部分")
        assert guard.allowed_steps(officer, refund) == []  # recorded a payment of the charge
        assert guard.allowed_steps(people.head, refund) == []  # asked for it
        assert [s.name for s in guard.allowed_steps(people.principal, refund)] == ["approve", "reject"]
        page = reverse("finance:charge_detail", args=[insurance_charge.pk])
        approve_url = _step_url("refund", refund.pk, "approve")
        assert approve_url not in login(people.head).get(page).content.decode()
        assert approve_url in login(people.principal).get(page).content.decode()

    def test_waiver_asker_sees_no_approve(self, insurance_charge, people):  # noqa: F811
        waiver = money.request_waiver(insurance_charge, people.head, "50", "individual", "困难")
        assert guard.allowed_steps(people.head, waiver) == []
        assert [s.name for s in guard.allowed_steps(people.principal, waiver)] == ["approve", "reject"]


class TestPaidConsentNotWithdrawn:
    """The step "withdraw consent" is offered only while nothing is paid on the fee; once paid, the page says why
    and what to do instead (a refund at the finance office), and the API and the step page refuse with
    that rule in Chinese."""

    def _consent(self, charge, klass):
        from finance.models import Consent

        return Consent.objects.get(fee_item=charge.fee_item, student=klass.students[0])

    def test_offered_before_payment(self, insurance_charge, people, klass, login):  # noqa: F811
        consent = self._consent(insurance_charge, klass)
        assert [s.name for s in guard.allowed_steps(people.parent, consent)] == ["revoke"]
        page = login(people.parent).get(consent.get_absolute_url()).content.decode()
        assert _step_url("consent", consent.pk, "revoke") in page
        assert 'data-testid="paid-consent-note"' not in page

    def test_absent_once_paid_with_the_rule_stated(self, insurance_charge, people, klass, login, api):  # noqa: F811
        money.record_payment(insurance_charge, people.officer, "40", "cash", "B-9", TODAY)
        consent = self._consent(insurance_charge, klass)
        revoke_url = _step_url("consent", consent.pk, "revoke")
        assert guard.allowed_steps(people.parent, consent) == []
        assert guard.allowed_steps(people.officer, consent) == []
        page = login(people.parent).get(consent.get_absolute_url()).content.decode()
        assert revoke_url not in page and "撤回同意" not in page.split('data-testid="paid-consent-note"')[0]
        assert 'data-testid="paid-consent-note"' in page
        assert "已缴费（40.00 元），不能再撤回同意" in page and "申请退费" in page
        # clicking the address anyway: refused with the rule in Chinese, nothing changes
        response = login(people.parent).post(revoke_url, {"revoke-reason": "不要了"})
        assert response.status_code == 403 and "申请退费" in response.content.decode()
        response = api(people.parent).post(f"/api/v1/finance/consents/{consent.pk}/revoke/", {"reason": "不要了"})
        assert response.status_code == 403
        assert "不能再撤回同意" in response.json()["detail"]
        consent.refresh_from_db()
        assert consent.status == "given"

    def test_offered_again_after_a_full_refund(self, insurance_charge, people, klass):  # noqa: F811
        money.record_payment(insurance_charge, people.officer, "40", "cash", "B-10", TODAY)
        refund = money.request_refund(insurance_charge, people.officer, "40", "家长要求")
        guard.run(refund, "approve", people.principal)
        consent = self._consent(insurance_charge, klass)
        assert [s.name for s in guard.allowed_steps(people.parent, consent)] == ["revoke"]

    def test_another_family_gets_no_rule_text(self, insurance_charge, people, klass, api):  # noqa: F811
        money.record_payment(insurance_charge, people.officer, "40", "cash", "B-11", TODAY)
        consent = self._consent(insurance_charge, klass)
        response = api(people.parent2).post(f"/api/v1/finance/consents/{consent.pk}/revoke/", {"reason": "x"})
        assert response.status_code == 404
