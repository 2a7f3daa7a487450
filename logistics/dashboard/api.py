"""The dashboard's API: what waits for the signed-in user (``GET /api/v1/dashboard/needs/``) and the
district comparison over a period (``GET /api/v1/dashboard/district/``) — the same data as the pages, for
the phone apps and the district's own tools."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics.accounts import permissions
from logistics.tenancy.models import School

from . import district, needs
from .periods import PeriodForm


class NeedItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    url = serializers.CharField()
    step = serializers.CharField(help_text="The step waiting for the user (its label).")
    since = serializers.DateTimeField(allow_null=True)


class NeedQueueSerializer(serializers.Serializer):
    code = serializers.CharField(source="queue.code")
    label = serializers.CharField()
    area = serializers.CharField(source="queue.area")
    count = serializers.IntegerField()
    items = NeedItemSerializer(many=True)


class OverdueSerializer(serializers.Serializer):
    code = serializers.CharField(source="provider.code")
    label = serializers.CharField(source="provider.label")
    area = serializers.CharField(source="provider.area")
    count = serializers.IntegerField()
    url = serializers.CharField()


class NeedsSerializer(serializers.Serializer):
    school = serializers.IntegerField(allow_null=True)
    waiting = NeedQueueSerializer(many=True)
    overdue = OverdueSerializer(many=True)


class NeedsView(APIView):
    """What needs me now in the current school (``X-School`` header or the session's choice): the records
    waiting for a step the user may take now, and the overdue counts of the areas they see in full."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NeedsSerializer)
    def get(self, request):
        school = request.school or None
        data = {
            "school": school.pk if school else None,
            "waiting": needs.waiting_for(school, request.user) if school else [],
            "overdue": needs.overdue_counts(school, request.user) if school else [],
        }
        return Response(NeedsSerializer(data).data)


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(
        source="number", allow_null=True, help_text="A rate as a share (0…1); null: nothing recorded."
    )
    text = serializers.CharField()


class SchoolRowSerializer(serializers.Serializer):
    school = serializers.IntegerField(source="school.pk")
    name = serializers.CharField(source="school.name")
    cells = CellSerializer(many=True)


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()


class DistrictSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="The last day of the period (inclusive).")
    computed_at = serializers.DateTimeField()
    columns = ColumnSerializer(many=True)
    rows = SchoolRowSerializer(many=True)
    totals = CellSerializer(many=True)
    medians = CellSerializer(many=True)


class DistrictView(APIView):
    """The district comparison over a period (the page's table): a school's cell ``value`` null means
    nothing was recorded (not zero). 400 with the reasons when the period is not valid."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["month", "term", "year", "custom"]),
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("term", OpenApiTypes.DATE, description="The first day of the term"),
            OpenApiParameter("year", OpenApiTypes.DATE, description="The first day of the school year"),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Inclusive"),
            OpenApiParameter("sort", OpenApiTypes.STR, description="A column code, '-' first to reverse"),
        ],
        responses=DistrictSerializer,
    )
    def get(self, request):
        import datetime

        user = request.user
        if not permissions.has_perm(user, "dashboard.view_district_dashboard"):
            raise PermissionDenied
        form = PeriodForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            return Response({k: [str(e) for e in v] for k, v in form.errors.items()}, status=400)
        start, end, label = form.period()
        schools = list(School.objects.restrict(user, "view").order_by("name"))
        allowed = district.schools_with(user, "dashboard.view_district_dashboard", schools)
        schools = [s for s in schools if s.pk in allowed]
        data = district.comparison(user, schools, start, end, sort=request.query_params.get("sort", ""))
        for cell in (*data["totals"], *data["medians"]):
            cell.setdefault("number", None)
        body = {
            "period": label,
            "start": start,
            "end": end - datetime.timedelta(days=1),
            "computed_at": data["computed_at"],
            "columns": data["columns"],
            "rows": data["rows"],
            "totals": data["totals"],
            "medians": data["medians"],
        }
        return Response(DistrictSerializer(body).data)
