"""The canteen API: meals with their dishes, food samples with the ``discard`` step."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from logistics.api.rows import ValuesRows
from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet, SchoolScopedReadOnlyViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from ..filtersets import (
    ColdEpisodeFilterSet,
    ColdReadingFilterSet,
    DeliveryFilterSet,
    DisinfectionFilterSet,
    FoodSampleFilterSet,
    HealthCertificateFilterSet,
    MealServiceFilterSet,
    MorningCheckFilterSet,
    SupplierFilterSet,
    SupplierLicenceFilterSet,
    WeeklyMenuFilterSet,
)
from ..models import (
    ColdEpisode,
    ColdReading,
    ColdStore,
    Delivery,
    DeliveryLine,
    Dish,
    Disinfection,
    FoodSample,
    HealthCertificate,
    MealService,
    MenuItem,
    MorningCheck,
    ProductCategory,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)
from . import serializers as s
from .accompanied import CorrectActionMixin, correct_actions, line_correction_actions


@extend_schema_view(
    list=extend_schema(summary="Meal services with their dishes (filter by date range, meal)"),
    create=extend_schema(summary="Record a meal service and its dishes"),
)
class MealServiceViewSet(SchoolScopedModelViewSet):
    queryset = MealService.objects.prefetch_related(
        Prefetch("dishes", queryset=Dish.objects.select_related("sample").order_by("position", "pk"))
    )
    serializer_class = s.MealServiceSerializer
    filterset_class = MealServiceFilterSet
    search_fields = ["canteen", "note"]
    ordering_fields = ["date", "meal", "id"]
    ordering = ["-date", "-id"]


@extend_schema_view(
    list=extend_schema(summary="Food samples (filter by date range, meal, status, who sampled)"),
    create=extend_schema(summary="Record a dish's food sample (JSON, or multipart with a photo)"),
)
class FoodSampleViewSet(CorrectActionMixin, WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    correct, corrections_list = correct_actions(FoodSample)
    queryset = FoodSample.objects.select_related("sampled_by", "discarded_by", "school")
    serializer_class = s.FoodSampleSerializer
    #: the hot list (650,000 samples in the benchmark): ids first, the page's rows read with ``values()``
    list_rows = ValuesRows(s.FoodSampleSerializer)
    #: each row's JSON kept 5 minutes under its ``updated`` time (a discard or correction saves the sample)
    keep_rows = 300
    filterset_class = FoodSampleFilterSet
    search_fields = ["reference", "dish_name", "container"]
    ordering_fields = ["sampled_at", "keep_until", "reference_number", "date", "id"]
    ordering = ["-sampled_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]


class SupplierViewSet(SchoolScopedModelViewSet):
    queryset = Supplier.objects.prefetch_related("licences")
    serializer_class = s.SupplierSerializer
    filterset_class = SupplierFilterSet
    search_fields = ["name", "supplies"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


class SupplierLicenceViewSet(SchoolScopedModelViewSet):
    queryset = SupplierLicence.objects.all()
    serializer_class = s.SupplierLicenceSerializer
    filterset_class = SupplierLicenceFilterSet
    ordering_fields = ["valid_until", "id"]
    ordering = ["valid_until", "id"]


class ProductCategoryViewSet(SchoolScopedModelViewSet):
    queryset = ProductCategory.objects.all()
    serializer_class = s.ProductCategorySerializer
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


@extend_schema_view(
    list=extend_schema(summary="Deliveries (filter by date range, supplier, status)"),
    create=extend_schema(summary="Record a delivery with its lines (refused for a supplier whose licence expired)"),
)
class DeliveryViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    correct_line, line_corrections = line_correction_actions()
    queryset = Delivery.objects.select_related("supplier").prefetch_related(
        Prefetch("lines", queryset=DeliveryLine.objects.prefetch_related("inspectors").order_by("pk"))
    )
    serializer_class = s.DeliverySerializer
    filterset_class = DeliveryFilterSet
    search_fields = ["reference", "note", "supplier__name"]
    ordering_fields = ["delivered_on", "reference_number", "id"]
    ordering = ["-delivered_on", "-id"]


class HealthCertificateViewSet(SchoolScopedModelViewSet):
    """Health certificates (personal data: the canteen manager, logistics head and principal; a worker
    their own)."""

    queryset = HealthCertificate.objects.select_related("person")
    serializer_class = s.HealthCertificateSerializer
    filterset_class = HealthCertificateFilterSet
    ordering_fields = ["valid_until", "id"]
    ordering = ["valid_until", "id"]


@extend_schema_view(
    list=extend_schema(summary="Morning checks (filter by date range, staff, on duty)"),
    create=extend_schema(summary="Record a worker's morning check of today (off duty computed)"),
)
class MorningCheckViewSet(CorrectActionMixin, SchoolScopedCreateReadViewSet):
    correct, corrections_list = correct_actions(MorningCheck)
    queryset = MorningCheck.objects.select_related("person", "checked_by")
    serializer_class = s.MorningCheckSerializer
    filterset_class = MorningCheckFilterSet
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]


@extend_schema_view(
    list=extend_schema(summary="Weekly menus (drafts and published versions)"),
    create=extend_schema(summary="Draft a week's menu with its dishes"),
)
class WeeklyMenuViewSet(WorkflowViewSetMixin, SchoolScopedModelViewSet):
    queryset = WeeklyMenu.objects.prefetch_related(
        Prefetch("items", queryset=MenuItem.objects.order_by("day", "position", "pk"))
    )
    serializer_class = s.WeeklyMenuSerializer
    filterset_class = WeeklyMenuFilterSet
    ordering_fields = ["week_start", "version", "id"]
    ordering = ["-week_start", "-version", "-id"]


@extend_schema_view(
    list=extend_schema(summary="Tableware disinfections (filter by date range, meal, method, out of range)"),
    create=extend_schema(summary="Record a disinfection (values outside the method's Rule range are flagged)"),
)
class DisinfectionViewSet(CorrectActionMixin, SchoolScopedCreateReadViewSet):
    correct, corrections_list = correct_actions(Disinfection)
    queryset = Disinfection.objects.select_related("done_by")
    serializer_class = s.DisinfectionSerializer
    filterset_class = DisinfectionFilterSet
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]


class ColdStoreViewSet(SchoolScopedModelViewSet):
    queryset = ColdStore.objects.all()
    serializer_class = s.ColdStoreSerializer
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


@extend_schema_view(
    list=extend_schema(summary="Cold-chain readings (filter by store, date range, out of range)"),
    create=extend_schema(summary="Log a reading (out of range: joins or opens the store's episode)"),
)
class ColdReadingViewSet(CorrectActionMixin, SchoolScopedCreateReadViewSet):
    correct, corrections_list = correct_actions(ColdReading)
    queryset = ColdReading.objects.select_related("taken_by")
    serializer_class = s.ColdReadingSerializer
    filterset_class = ColdReadingFilterSet
    ordering_fields = ["taken_at", "id"]
    ordering = ["-taken_at", "-id"]


class ColdEpisodeViewSet(SchoolScopedReadOnlyViewSet):
    queryset = ColdEpisode.objects.select_related("store")
    serializer_class = s.ColdEpisodeSerializer
    filterset_class = ColdEpisodeFilterSet
    ordering_fields = ["first_at", "id"]
    ordering = ["-first_at", "-id"]
