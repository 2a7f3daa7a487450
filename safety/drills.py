"""Safety education events and drills: the term's count against the rule, photos, and a problem found
opening a hazard (once per problem).

Terms: the platform's (`logistics.terms`): autumn 1 September – 31 January, spring 1 February – 31 August.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import terms
from logistics.accounts import permissions
from logistics.corrective.photos import attach_photo
from logistics.corrective.services import actions_for, open_action
from logistics.tenancy import rules

from . import settings_rules as keys
from .choices import DRILL_KINDS
from .models import Hazard, SafetyEvent


def term_of(day):
    """(first day, last day) of the term holding ``day`` (``logistics.terms``: Sep 1 – Jan 31, Feb 1 – Aug 31)."""
    term = terms.term_of(day)
    return term.start, term.last_day


def term_status(school, today=None):
    """The drills of this term against ``safety.drills_per_term``: {start, end, drills, events, minimum,
    short}."""
    today = today or timezone.localdate()
    start, end = term_of(today)
    events = SafetyEvent.objects.filter(school=school, held_on__gte=start, held_on__lte=end)
    drills = events.filter(kind__in=DRILL_KINDS).count()
    minimum = rules.value(school, keys.DRILLS_PER_TERM)
    return {
        "start": start,
        "end": end,
        "drills": drills,
        "events": events.count(),
        "minimum": minimum,
        "short": drills < minimum,
    }


def add_photo(event, photo, user):
    return attach_photo(event, photo, user, kind="event")


def _title(event, problem):
    return f"{event.title}: {problem}"[:200]


def problems_with_hazards(event, user):
    """[(index, problem, hazard or None)]: each problem of the event and the hazard it opened (that the
    user may see)."""
    opened = {a.title: a for a in actions_for(event, user)}
    return [(i, p, opened.get(_title(event, p))) for i, p in enumerate(event.problem_list())]


def open_problem_hazard(event, index, user):
    """Open a hazard (origin ``safety.drill``, source the event) for problem ``index``; pressed again,
    the same hazard is returned."""
    if not permissions.has_perm(user, "safety.add_hazard", event.school_id):
        raise PermissionDenied(_("You may not report hazards in this school."))
    problems = event.problem_list()
    if not 0 <= index < len(problems):
        raise ValidationError(_("There is no such problem in this record."))
    title = _title(event, problems[index])
    with transaction.atomic():
        SafetyEvent.objects.select_for_update().filter(pk=event.pk).first()
        for action in actions_for(event):
            if action.title == title:
                return Hazard.objects.get(pk=action.pk)
        action = open_action(
            school=event.school,
            actor=user,
            origin="safety.drill",
            title=title,
            description=_("Found during %(event)s") % {"event": event},
            source=event,
            place=event.place or str(event),
        )
    return Hazard.objects.get(pk=action.pk)
