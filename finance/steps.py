"""What each declared step of the finance records does besides moving its status (the models declare
the steps; ``logistics.workflow.guard.run`` locks the row, checks permission and status, calls the
function here, moves the status, saves and writes the timeline event)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.permissions import has_perm
from logistics.people.models import GuardianLink
from logistics.tenancy.models import COMPULSORY_STAGES
from logistics.workflow import guard
from logistics.workflow.guard import StepResult

from .choices import BARRED_IN_COMPULSORY, ConsentChannel, ConsentStatus, DisclosureStatus
from .models import DisclosureEntry, FeeDisclosure, FeeItem

# --- the disclosure board --------------------------------------------------------------------------


def check_compulsory_education(school, entries):
    """义务教育法 art. 2: compulsory education (primary, junior secondary, nine-year schools) charges no
    tuition and no miscellaneous fees. Raises ``ValidationError`` naming the items and the rule."""
    if school.stage not in COMPULSORY_STAGES:
        return
    barred = [e.name for e in entries if e.administrative_kind in BARRED_IN_COMPULSORY]
    if barred:
        raise ValidationError(
            _(
                "%(school)s gives compulsory education: it may not charge tuition or miscellaneous fees "
                "(义务教育法 art. 2). Remove from the board: %(items)s."
            )
            % {"school": school.name, "items": "、".join(barred)}
        )


def entry_from_item(item, disclosure):
    return DisclosureEntry(
        school_id=disclosure.school_id,
        disclosure=disclosure,
        fee_item=item,
        category=item.category,
        administrative_kind=item.administrative_kind,
        name=item.name,
        amount=item.amount,
        unit=item.unit,
        basis_authority=item.basis_authority,
        basis_document=item.basis_document,
        scope=item.scope_text(),
        period_label=item.period_label,
        period_start=item.period_start,
        period_end=item.period_end,
        waiver_policy=item.waiver_policy,
        voluntary=item.voluntary,
        complaint_phone=item.complaint_phone or disclosure.school.complaint_phone,
    )


def submit_disclosure(disclosure, actor):
    """Copy every fee item marked "on the board" into this version (what the principal approves is
    exactly what is published)."""
    items = list(
        FeeItem.objects.filter(school_id=disclosure.school_id, on_board=True)
        .prefetch_related("grades")
        .order_by("category", "name")
    )
    if not items:
        raise ValidationError(_("There is no fee item on the board: add the school's fee items first."))
    entries = [entry_from_item(item, disclosure) for item in items]
    check_compulsory_education(disclosure.school, entries)
    for old in list(disclosure.entries.all()):
        old.delete()
    for entry in entries:
        entry.save()
    disclosure.submitted_at = timezone.now()
    disclosure.submitted_by = actor
    disclosure.rejection_reason = ""
    return StepResult(
        _("Submitted to the principal with %(count)s fee items.") % {"count": len(entries)},
        {"items": len(entries)},
    )


def approve_disclosure(disclosure, actor):
    disclosure.approved_at = timezone.now()
    disclosure.approved_by = actor


def reject_disclosure(disclosure, actor, reason):
    disclosure.rejection_reason = reason
    disclosure.approved_at = None
    disclosure.approved_by = None
    return StepResult(_("Returned for changes: %(reason)s") % {"reason": reason}, {"reason": reason})


def publish_disclosure(disclosure, actor):
    """Publish the approved version; the version in force before is superseded (it stays visible)."""
    check_compulsory_education(disclosure.school, list(disclosure.entries.all()))
    previous = (
        FeeDisclosure.objects.filter(school_id=disclosure.school_id, status=DisclosureStatus.PUBLISHED)
        .exclude(pk=disclosure.pk)
        .first()
    )
    if previous is not None:
        guard.run(previous, "supersede", actor)
        disclosure.supersedes = previous
    disclosure.published_at = timezone.now()
    disclosure.published_by = actor


def supersede_disclosure(disclosure, actor):
    disclosure.superseded_at = timezone.now()


# --- consents --------------------------------------------------------------------------------------


def _answer(consent, actor, signed_by="", paper_form=None):
    """Who answered and how: a guardian of the student online, anybody else only with the signed
    paper form (the guardian's name and its scan) — 书面或其他可追溯的方式."""
    if not consent.fee_item.voluntary:
        raise ValidationError(_("This fee is not voluntary: no consent is asked for it."))
    is_guardian = GuardianLink.objects.filter(student_id=consent.student_id, guardian=actor).exists()
    if is_guardian and not paper_form:
        consent.channel = ConsentChannel.ONLINE
        consent.signed_by = str(actor)
        consent.paper_form = ""
    else:
        errors = {}
        if not (signed_by or "").strip():
            errors["signed_by"] = _("Enter the name of the guardian who signed the form.")
        if not paper_form:
            errors["paper_form"] = _("Attach the scan or photo of the signed form.")
        if errors:
            raise ValidationError(errors)
        consent.channel = ConsentChannel.PAPER
        consent.signed_by = signed_by.strip()
        consent.paper_form.save(paper_form.name, paper_form, save=False)
    consent.decided_at = timezone.now()
    consent.decided_by = actor
    consent.revoked_at = None
    consent.revoke_reason = ""


def give_consent(consent, actor, signed_by="", paper_form=None):
    _answer(consent, actor, signed_by, paper_form)
    return StepResult(
        _("Agreed (%(how)s, %(who)s).") % {"how": consent.get_channel_display(), "who": consent.signed_by},
        {"channel": consent.channel},
    )


def decline_consent(consent, actor, signed_by="", paper_form=None):
    _answer(consent, actor, signed_by, paper_form)
    return StepResult(
        _("Declined (%(how)s, %(who)s).") % {"how": consent.get_channel_display(), "who": consent.signed_by},
        {"channel": consent.channel},
    )


def revoke_consent(consent, actor, reason):
    """Withdraw a consent until the fee is paid; an unpaid charge of the item is cancelled with it."""
    from . import money

    money.on_consent_revoked(consent, actor, reason)
    consent.revoked_at = timezone.now()
    consent.revoke_reason = reason
    return StepResult(_("Consent withdrawn: %(reason)s") % {"reason": reason}, {"reason": reason})


def revoke_refusal(user, spec, pk):
    """Withdrawing the consent of a paid fee is refused with the rule and what to do instead (a refund),
    not with the general "you may not" — for whoever could withdraw it were it unpaid."""
    if spec.name != "revoke":
        return
    from . import money
    from .models import Consent

    consent = Consent.objects.restrict(user, "view").filter(pk=pk).first()
    if consent is None or not has_perm(user, "finance.revoke_consent", consent.school_id):
        return
    if consent.status == ConsentStatus.GIVEN:
        paid = money.paid_on_consent(consent)
        if paid:
            raise PermissionDenied(money.paid_consent_message(paid))
