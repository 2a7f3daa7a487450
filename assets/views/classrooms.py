"""Classroom inventory (班级财产): each room's asset list with its custodian; the class teacher
confirms their classroom's list each term."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.accounts import permissions
from logistics.accounts.roles import ALL
from logistics.people.models import SchoolClass
from logistics.tenancy.models import Room, RoomKind

from .. import services
from ..choices import ON_LEDGER
from ..models import Asset, ClassroomCheck


def _sees_all(user, school):
    scopes = permissions.scopes_for(user, "assets.view_asset")
    return user.is_superuser or school.pk in scopes.get(ALL, set())


def visible_rooms(user, school):
    rooms = Room.objects.filter(school=school).select_related("building")
    if _sees_all(user, school):
        return rooms.filter(
            Q(kind=RoomKind.CLASSROOM) | Q(pk__in=SchoolClass.objects.filter(school=school).values("room_id"))
        )
    return rooms.filter(pk__in=SchoolClass.objects.filter(school=school, head_teacher=user).values("room_id"))


@login_required
def classroom_list(request):
    school = request.school
    if not school or not permissions.has_perm(request.user, "assets.view_classroomcheck", school):
        raise PermissionDenied
    term = services.current_term()
    rooms = list(visible_rooms(request.user, school).order_by("building__name", "code", "name"))
    counts = dict(
        Asset.objects.filter(school=school, room__in=[r.pk for r in rooms], status__in=ON_LEDGER)
        .values_list("room")
        .annotate(n=Count("pk"))
        .order_by()
    )
    checks = {
        c.room_id: c for c in ClassroomCheck.objects.filter(school=school, term=term).select_related("confirmed_by")
    }
    classes = {
        c.room_id: c for c in SchoolClass.objects.filter(school=school, room__in=rooms).select_related("head_teacher")
    }
    rows = [
        {"room": r, "count": counts.get(r.pk, 0), "check": checks.get(r.pk), "school_class": classes.get(r.pk)}
        for r in rooms
    ]
    return render(
        request, "assets/classroom_list.html", {"rows": rows, "term": term, "title": _("Classroom inventory")}
    )


def _room(request, room_id):
    school = request.school
    if not school:
        raise Http404
    return get_object_or_404(visible_rooms(request.user, school), pk=room_id)


@login_required
def classroom_detail(request, room_id):
    room = _room(request, room_id)
    term = services.current_term()
    assets = list(
        Asset.objects.filter(room=room, status__in=ON_LEDGER).select_related("category", "custodian").order_by("code")
    )
    school_class = SchoolClass.objects.filter(room=room).select_related("head_teacher").first()
    check = ClassroomCheck.objects.filter(room=room, term=term).select_related("confirmed_by").first()
    can_confirm = school_class is not None and school_class.head_teacher_id == request.user.pk
    return render(
        request,
        "assets/classroom_detail.html",
        {
            "room": room,
            "assets": assets,
            "school_class": school_class,
            "check": check,
            "term": term,
            "can_confirm": can_confirm,
            "history": ClassroomCheck.objects.filter(room=room)
            .select_related("confirmed_by")
            .order_by("-confirmed_at")[:10],
            "title": _("Classroom inventory · %(room)s") % {"room": f"{room.building.name} {room.name}"},
        },
    )


@login_required
@require_POST
def classroom_confirm(request, room_id):
    room = _room(request, room_id)
    try:
        services.confirm_classroom(room=room, user=request.user, note=request.POST.get("note", "")[:1000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Classroom list confirmed for this term."))
    return redirect("assets:classroom_detail", room_id=room.pk)
