"""Platform endpoints: token, me, places, health."""

from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from logistics.accounts import permissions, throttle
from logistics.tenancy.filtersets import (
    BuildingFilterSet,
    CampusFilterSet,
    RoomFilterSet,
)
from logistics.tenancy.models import Building, Campus, Room, School

from .serializers import SchoolScopedSerializer
from .viewsets import SchoolScopedModelViewSet, SchoolScopedReadOnlyViewSet


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenView(ObtainAuthToken):
    """``POST {"username", "password"}`` → ``{"token": "..."}``; throttled per address."""

    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        """Shares the web login's lockout (django-axes: failures count per username and address)."""
        try:
            response = super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=throttle.locked_message()) from None
            raise
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=response.data.get("token")).first()
        if token is not None and token.user.must_change_password:
            # A first or reset password is changed on the web first (forced change, issue 8).
            return Response({"detail": _("Change your password before going on.")}, status=403)
        return response


class SchoolRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "slug", "name"]


class MembershipSerializer(serializers.Serializer):
    school = SchoolRefSerializer()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)
    current_school = SchoolRefSerializer(allow_null=True)


class MeView(APIView):
    """The signed-in user, their memberships (district roles expanded to schools) and current school."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        rows = permissions.memberships_of(user)
        schools = School.objects.in_bulk({school_id for school_id, _ in rows})
        memberships = [{"school": schools[sid], "role": role} for sid, role in rows if sid in schools]
        current = request.school if request.school else None
        data = {
            "id": user.pk,
            "username": user.username,
            "display_name": str(user),
            "memberships": memberships,
            "current_school": current,
        }
        return Response(MeSerializer(data).data)


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = [
            "id",
            "slug",
            "name",
            "code",
            "district",
            "address",
            "phone",
            "complaint_phone",
        ]


class SchoolViewSet(SchoolScopedReadOnlyViewSet):
    queryset = School.objects.all()
    serializer_class = SchoolSerializer
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "id"]


class CampusSerializer(SchoolScopedSerializer):
    class Meta:
        model = Campus
        fields = ["id", "school", "name", "address"]
        extra_kwargs = {"school": {"required": False}}


class BuildingSerializer(SchoolScopedSerializer):
    class Meta:
        model = Building
        fields = ["id", "school", "campus", "name", "code", "floors"]
        extra_kwargs = {"school": {"required": False}}


class RoomSerializer(SchoolScopedSerializer):
    class Meta:
        model = Room
        fields = ["id", "school", "building", "name", "code", "floor", "kind"]
        extra_kwargs = {"school": {"required": False}}


class CampusViewSet(SchoolScopedModelViewSet):
    queryset = Campus.objects.all()
    serializer_class = CampusSerializer
    filterset_class = CampusFilterSet
    ordering_fields = ["name", "id"]


class BuildingViewSet(SchoolScopedModelViewSet):
    queryset = Building.objects.all()
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
    ordering_fields = ["name", "id"]


class RoomViewSet(SchoolScopedModelViewSet):
    queryset = Room.objects.all()
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet
    ordering_fields = ["name", "code", "floor", "id"]


def healthz(request):
    """The state of the database, the broker and each periodic duty's last success, as JSON; 503 when
    the database is down, "degraded" when the broker is (answers in milliseconds either way)."""
    from logistics.system import duties
    from logistics.system.health import broker_ok

    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001
        state["database"] = f"error: {exc.__class__.__name__}"
    if not broker_ok():
        state["broker"] = "unreachable"
    ok = state["database"] == "ok"
    if ok:
        try:
            state["duties"] = {
                row["code"]: {
                    "last_success": row["last_success"].isoformat() if row["last_success"] else None,
                    "overdue": row["overdue"],
                }
                for row in duties.state()
            }
        except Exception:  # noqa: BLE001 — before migrate
            state["duties"] = {}
    state["status"] = "ok" if ok and state["broker"] == "ok" else ("degraded" if ok else "error")
    return JsonResponse(state, status=200 if ok else 503)
