"""The import API of every app: a serializer for the record and a viewset mixin with the engine's
actions (``mapping``, ``validate``, ``run``, ``preview``). An app writes::

    class PeopleImportSerializer(ImportRecordSerializer):
        class Meta(ImportRecordSerializer.Meta):
            model = PeopleImport

    class PeopleImportViewSet(import_viewset_mixin(PeopleImportSerializer), SchoolScopedCreateReadViewSet):
        queryset = PeopleImport.objects.all()
        serializer_class = PeopleImportSerializer
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.api.serializers import SchoolScopedSerializer
from logistics.workflow.serializers import ErrorSerializer

from . import engine, registry
from .choices import BUSY
from .choices import ImportStatus as S
from .reading import check_upload

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}
FIELDS = [
    "id",
    "school",
    "importer",
    "importer_label",
    "file",
    "original_name",
    "headers",
    "mapping",
    "status",
    "status_label",
    "total_rows",
    "processed_rows",
    "progress_percent",
    "created_count",
    "errors",
    "message",
    "finished_at",
]


class ImportRecordSerializer(SchoolScopedSerializer):
    """An import record; on create: the ``file`` (multipart) and, when the app has several, the kind
    (``importer``: one of the registry codes of the record model)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    importer_label = serializers.CharField(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    importer = serializers.CharField(required=False, help_text="The kind of file, e.g. `people.students`.")

    class Meta:
        model = None
        fields = FIELDS
        read_only_fields = [f for f in FIELDS if f not in ("file", "school", "importer")]
        extra_kwargs = {"school": {"required": False}}

    def validate_importer(self, value):
        codes = [i.code for i in registry.importers(self.Meta.model)]
        if value not in codes:
            raise serializers.ValidationError(_("Choose one of: %(codes)s") % {"codes": ", ".join(codes)})
        return value

    def validate_file(self, upload):
        """.xlsx or .csv, at most 20 MB, a workbook that opens: else one message and nothing stored."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            check_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return upload


class ImportMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text="{field: column index (0 = the first column)}"
    )
    options = serializers.DictField(required=False, help_text="The importer's options, if it has any.")


class ImportPreviewSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())


class ImportNoInputSerializer(serializers.Serializer):
    pass


def import_viewset_mixin(record_serializer):
    """The mixin of an app's import viewset, its answers documented as ``record_serializer``."""

    class ImportViewSetMixin:
        """Upload (multipart ``file``, ``importer``) → ``mapping`` → ``validate`` (a task; poll the record) →
        ``run`` (all rows or none, a task); ``preview`` shows the first rows as they will be imported."""

        parser_classes = [MultiPartParser, FormParser, JSONParser]
        ordering_fields = ["created", "id"]

        def create_object(self, serializer):
            data = serializer.validated_data
            model = self.queryset.model
            obj = engine.open_import(
                model,
                school=data["school"],
                user=self.request.user,
                upload=data["file"],
                importer=data.get("importer") or model.default_importer,
            )
            serializer.instance = obj
            return obj

        def _answer(self, obj, code=status.HTTP_200_OK):
            obj.refresh_from_db()
            return Response(self.get_serializer_class()(obj, context=self.get_serializer_context()).data, status=code)

        @extend_schema(
            summary="Set the column mapping",
            request=ImportMappingSerializer,
            responses={200: record_serializer, **ERRORS},
        )
        @action(detail=True, methods=["post"], permission_action="change")
        def mapping(self, request, pk=None):
            obj = self.get_object()
            serializer = ImportMappingSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            engine.set_mapping(
                obj, request.user, serializer.validated_data["mapping"], **serializer.validated_data.get("options", {})
            )
            return self._answer(obj)

        @extend_schema(
            summary="Check every row, as a task",
            description="Poll `GET …/{id}/` for `status` (`validating` → `validated`, `invalid` or `failed`).",
            request=ImportNoInputSerializer,
            responses={202: record_serializer, **ERRORS},
        )
        @action(detail=True, methods=["post"], permission_action="change")
        def validate(self, request, pk=None):
            obj = self.get_object()
            if obj.status in (S.DONE, S.RUNNING):
                raise ValidationError(_("This import is already being imported."))
            engine.start_validation(obj, request.user)
            return self._answer(obj, status.HTTP_202_ACCEPTED)

        @extend_schema(
            summary="Import all rows (or none), as a task",
            request=ImportNoInputSerializer,
            responses={202: record_serializer, **ERRORS},
        )
        @action(detail=True, methods=["post"], permission_action="change")
        def run(self, request, pk=None):
            obj = self.get_object()
            if obj.status != S.VALIDATED:
                raise ValidationError(_("Only a file without errors can be imported."))
            engine.start_run(obj, request.user)
            return self._answer(obj, status.HTTP_202_ACCEPTED)

        @extend_schema(
            summary="The first rows as they will be imported", responses={200: ImportPreviewSerializer, **ERRORS}
        )
        @action(detail=True, methods=["get"], permission_action="view")
        def preview(self, request, pk=None):
            obj = self.get_object()
            if obj.status in BUSY or obj.status == S.UPLOADED:
                raise ValidationError(_("The preview is ready once every row has been checked."))
            try:
                data = engine.preview(obj)
            except Exception:  # noqa: BLE001 — a file broken since the check
                raise ValidationError(
                    _("The file could not be read: it is damaged or is not a real XLSX or CSV file.")
                ) from None
            return Response(data)

    return ImportViewSetMixin
