"""Choices of spending approval, budgets and the staff statement (一支笔审批, 预算, 经费收支通报)."""

from django.db import models
from django.utils.translation import pgettext_lazy


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
