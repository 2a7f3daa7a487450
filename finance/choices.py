"""Choices of the finance app (收费公示与财务公开): value and label in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy


class FeeCategory(models.TextChoices):
    """The three kinds of school fees (DOMAIN.md § Finance)."""

    ADMINISTRATIVE = "administrative", pgettext_lazy("fee category", "Administrative fee")
    SERVICE = "service", pgettext_lazy("fee category", "Service fee")
    ON_BEHALF = "on_behalf", pgettext_lazy("fee category", "Collected on behalf")


#: categories that are always voluntary (家长自愿, 签字手续方可收费)
VOLUNTARY_CATEGORIES = frozenset({FeeCategory.SERVICE, FeeCategory.ON_BEHALF})


class AdministrativeKind(models.TextChoices):
    """What an administrative fee (行政事业性收费) is; tuition and miscellaneous fees are barred in
    compulsory education (义务教育法 art. 2)."""

    TUITION = "tuition", pgettext_lazy("administrative fee", "Tuition")
    MISCELLANEOUS = "miscellaneous", pgettext_lazy("administrative fee", "Miscellaneous fee")
    ACCOMMODATION = "accommodation", pgettext_lazy("administrative fee", "Accommodation fee")
    OTHER = "other", pgettext_lazy("administrative fee", "Other administrative fee")


#: administrative fees a compulsory-education school may not charge (义务教育法 art. 2)
BARRED_IN_COMPULSORY = frozenset({AdministrativeKind.TUITION, AdministrativeKind.MISCELLANEOUS})


class FeeUnit(models.TextChoices):
    """The billing unit (计费单位) of a fee."""

    TERM = "term", pgettext_lazy("fee unit", "per term")
    YEAR = "year", pgettext_lazy("fee unit", "per school year")
    MONTH = "month", pgettext_lazy("fee unit", "per month")
    MEAL = "meal", pgettext_lazy("fee unit", "per meal")
    DAY = "day", pgettext_lazy("fee unit", "per day")
    ONCE = "once", pgettext_lazy("fee unit", "once")
    SET = "set", pgettext_lazy("fee unit", "per set")


class DisclosureStatus(models.TextChoices):
    """The life of one version of a school's fee disclosure board (收费公示)."""

    DRAFTED = "drafted", pgettext_lazy("disclosure status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("disclosure status", "Awaiting the principal")
    APPROVED = "approved", pgettext_lazy("disclosure status", "Approved")
    PUBLISHED = "published", pgettext_lazy("disclosure status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("disclosure status", "Superseded")


DISCLOSURE_COLOURS = {
    DisclosureStatus.DRAFTED: "secondary",
    DisclosureStatus.SUBMITTED: "warning",
    DisclosureStatus.APPROVED: "info",
    DisclosureStatus.PUBLISHED: "success",
    DisclosureStatus.SUPERSEDED: "light",
}

#: versions never changed again, by anybody (the database refuses it too)
FROZEN_DISCLOSURE_STATUSES = frozenset({DisclosureStatus.PUBLISHED, DisclosureStatus.SUPERSEDED})


class ConsentStatus(models.TextChoices):
    """A guardian's answer for one voluntary fee (家长知情同意)."""

    PENDING = "pending", pgettext_lazy("consent status", "Awaiting an answer")
    GIVEN = "given", pgettext_lazy("consent status", "Agreed")
    DECLINED = "declined", pgettext_lazy("consent status", "Declined")
    REVOKED = "revoked", pgettext_lazy("consent status", "Withdrawn")


CONSENT_COLOURS = {
    ConsentStatus.PENDING: "warning",
    ConsentStatus.GIVEN: "success",
    ConsentStatus.DECLINED: "secondary",
    ConsentStatus.REVOKED: "secondary",
}


class ConsentChannel(models.TextChoices):
    """How a consent was given: online by the guardian, or a signed paper form recorded by the teacher."""

    ONLINE = "online", pgettext_lazy("consent channel", "Online by the guardian")
    PAPER = "paper", pgettext_lazy("consent channel", "Signed paper form")


class PaymentMethod(models.TextChoices):
    CASH = "cash", pgettext_lazy("payment method", "Cash")
    BANK = "bank", pgettext_lazy("payment method", "Bank transfer")
    CARD = "card", pgettext_lazy("payment method", "Bank card")
    WECHAT = "wechat", pgettext_lazy("payment method", "WeChat Pay")
    ALIPAY = "alipay", pgettext_lazy("payment method", "Alipay")
    PLATFORM = "platform", pgettext_lazy("payment method", "School payment platform")


class PaymentStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("payment status", "Recorded")
    REVERSED = "reversed", pgettext_lazy("payment status", "Reversed")


class WaiverKind(models.TextChoices):
    POLICY = "policy", pgettext_lazy("waiver kind", "By the waiver policy")
    INDIVIDUAL = "individual", pgettext_lazy("waiver kind", "Individual")
    WITHDRAWN = "withdrawn", pgettext_lazy("waiver kind", "Consent withdrawn")
    SETTLEMENT = "settlement", pgettext_lazy("waiver kind", "Settled at cost")


class ApprovalStatus(models.TextChoices):
    """A waiver or refund: asked for, then approved or rejected by someone else."""

    REQUESTED = "requested", pgettext_lazy("approval status", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("approval status", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval status", "Rejected")


class SettlementStatus(models.TextChoices):
    """A term settlement of an at-cost fee (期末结算)."""

    DRAFTED = "drafted", pgettext_lazy("settlement status", "Draft")
    COMPUTED = "computed", pgettext_lazy("settlement status", "Computed, awaiting the principal")
    APPROVED = "approved", pgettext_lazy("settlement status", "Approved and published")


class CostSplit(models.TextChoices):
    """How a settlement's actual cost is divided among the students charged (分摊方式)."""

    EQUAL = "equal", pgettext_lazy("cost split", "Total split equally")
    BY_CHARGE = "by_charge", pgettext_lazy("cost split", "Total split in proportion to each charge")
    PER_STUDENT = "per_student", pgettext_lazy("cost split", "Actual cost entered per student")


# --- spending approval (一支笔审批), budgets and the staff statement (经费收支通报) ---
class ExpenseCategory(models.TextChoices):
    """Budget categories: the economic classification of 政府收支分类科目 (302 商品和服务支出, 310 资本性
    支出) that school budgets use."""

    OFFICE = "office", pgettext_lazy("expense category", "Office supplies")
    PRINTING = "printing", pgettext_lazy("expense category", "Printing")
    UTILITIES = "utilities", pgettext_lazy("expense category", "Water and electricity")
    TELECOM = "telecom", pgettext_lazy("expense category", "Post and telecommunications")
    PROPERTY = "property", pgettext_lazy("expense category", "Property management")
    TRAVEL = "travel", pgettext_lazy("expense category", "Travel")
    REPAIRS = "repairs", pgettext_lazy("expense category", "Repairs and maintenance")
    TRAINING = "training", pgettext_lazy("expense category", "Training")
    MATERIALS = "materials", pgettext_lazy("expense category", "Special materials")
    EQUIPMENT = "equipment", pgettext_lazy("expense category", "Equipment purchase")
    OTHER = "other", pgettext_lazy("expense category", "Other goods and services")


class ExpenseStatus(models.TextChoices):
    """The life of a reimbursement (支出报销)."""

    DRAFTED = "drafted", pgettext_lazy("expense status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("expense status", "Awaiting the first signature")
    SIGNED = "signed", pgettext_lazy("expense status", "Awaiting the second signature")
    APPROVED = "approved", pgettext_lazy("expense status", "Approved, awaiting payment")
    PAID = "paid", pgettext_lazy("expense status", "Paid")
    REJECTED = "rejected", pgettext_lazy("expense status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("expense status", "Withdrawn")
    REVERSED = "reversed", pgettext_lazy("expense status", "Reversed")


EXPENSE_COLOURS = {
    ExpenseStatus.DRAFTED: "secondary",
    ExpenseStatus.SUBMITTED: "warning",
    ExpenseStatus.SIGNED: "warning",
    ExpenseStatus.APPROVED: "info",
    ExpenseStatus.PAID: "success",
    ExpenseStatus.REJECTED: "danger",
    ExpenseStatus.WITHDRAWN: "light",
    ExpenseStatus.REVERSED: "dark",
}

#: waiting for a signature
AWAITING_SIGNATURE = (ExpenseStatus.SUBMITTED, ExpenseStatus.SIGNED)
#: never changed again (the database refuses it too, except paid → reversed)
FROZEN_EXPENSE_STATUSES = frozenset({ExpenseStatus.PAID, ExpenseStatus.REVERSED})


class ApprovalBand(models.TextChoices):
    """Who approves an amount (一支笔审批 by amount band, Rules ``finance.expense_head_limit`` and
    ``finance.expense_principal_limit``)."""

    HEAD = "head", pgettext_lazy("approval band", "Logistics head")
    PRINCIPAL = "principal", pgettext_lazy("approval band", "Principal")
    COLLECTIVE = "collective", pgettext_lazy("approval band", "Collective decision and principal")


class SignerRole(models.TextChoices):
    """In which capacity a person signed an expense."""

    FINANCE = "finance_officer", pgettext_lazy("signer role", "Finance officer (review)")
    HEAD = "logistics_head", pgettext_lazy("signer role", "Logistics head")
    PRINCIPAL = "principal", pgettext_lazy("signer role", "Principal")


class PayMethod(models.TextChoices):
    BANK = "bank", pgettext_lazy("expense payment method", "Bank transfer")
    OFFICIAL_CARD = "official_card", pgettext_lazy("expense payment method", "Official card (公务卡)")
    CASH = "cash", pgettext_lazy("expense payment method", "Cash")


class StatementStatus(models.TextChoices):
    """A staff income/expense statement (经费收支情况通报)."""

    DRAFTED = "drafted", pgettext_lazy("statement status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("statement status", "Awaiting the principal's review")
    PUBLISHED = "published", pgettext_lazy("statement status", "Published to staff")
    SUPERSEDED = "superseded", pgettext_lazy("statement status", "Superseded by a correction")


STATEMENT_COLOURS = {
    StatementStatus.DRAFTED: "secondary",
    StatementStatus.SUBMITTED: "warning",
    StatementStatus.PUBLISHED: "success",
    StatementStatus.SUPERSEDED: "light",
}
FROZEN_STATEMENT_STATUSES = frozenset({StatementStatus.PUBLISHED, StatementStatus.SUPERSEDED})
