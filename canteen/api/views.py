"""The canteen API: meals with their dishes, food samples with the ``discard`` step."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from ..filtersets import FoodSampleFilterSet, MealServiceFilterSet
from ..models import Dish, FoodSample, MealService
from . import serializers as s


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
class FoodSampleViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = FoodSample.objects.select_related("sampled_by", "discarded_by", "school")
    serializer_class = s.FoodSampleSerializer
    filterset_class = FoodSampleFilterSet
    search_fields = ["reference", "dish_name", "container"]
    ordering_fields = ["sampled_at", "keep_until", "reference_number", "date", "id"]
    ordering = ["-sampled_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
