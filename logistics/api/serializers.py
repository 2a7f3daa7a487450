"""Base serializers: every domain object carries its ``school`` id; related choices are restricted."""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from logistics.accounts import permissions
from logistics.api.docs import internal_doc
from logistics.tenancy.querysets import perm_name
from logistics.workflow.serializers import check_same_school


def shallow_copy(data):
    """A mutable copy of request data that shares its values: ``QueryDict.copy()`` deep-copies, and a
    deep copy of an uploaded file above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (a temporary file) fails."""
    if isinstance(data, QueryDict):
        copied = QueryDict(mutable=True)
        for key, values in data.lists():
            copied.setlist(key, list(values))
        return copied
    return dict(data)


def _through_nullable(model, source):
    """Whether following ``source`` (``room.building.name``) from ``model`` passes a nullable relation."""
    for name in source.split(".")[:-1]:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a property or method: not a relation we can judge
            return False
        if getattr(field, "null", False):
            return True
        model = getattr(field, "related_model", None)
        if model is None:
            return False
    return False


@internal_doc
class SchoolScopedSerializer(serializers.ModelSerializer):
    """A domain object's serializer. On create, ``school`` is the one given or the current school;
    the user must hold ``add`` there, and every related object must belong to the same school."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        """DRF drops ``allow_blank`` from a field made read-only in ``Meta``; a blank column is still
        answered as ``""``, so keep it: the schema then admits the empty value it will see."""
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs

    def get_fields(self):
        """Read-only fields reached through a nullable relation (``custodian.__str__``) may be null: say
        so, so that the schema marks them nullable."""
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for field in fields.values():
            source = getattr(field, "source", None) or ""
            if field.read_only and "." in source and model is not None and _through_nullable(model, source):
                field.allow_null = True
        return fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for field in self.fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is None or target.read_only:
                continue
            if hasattr(queryset, "restrict"):
                target.queryset = queryset.restrict(request.user, "view")
            elif queryset.model is get_user_model():
                target.queryset = permissions.people_of(queryset, None, request.user)

    def to_internal_value(self, data):
        # Default the school before validation, so unique-together checks that include it can run.
        request = self.context.get("request")
        school = getattr(request, "school", None) if request is not None else None
        if (
            self.instance is None
            and "school" in self.fields
            and hasattr(data, "get")
            and not data.get("school")
            and school
        ):
            data = shallow_copy(data)
            data["school"] = school.pk
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        model = self.Meta.model
        if self.instance is not None and "school" in attrs:
            # An object never moves to another school (its history, children and numbers belong to this one).
            if getattr(attrs["school"], "pk", attrs["school"]) != self.instance.school_id:
                raise serializers.ValidationError({"school": _("An object cannot be moved to another school.")})
            attrs.pop("school")
        if self.instance is None:
            school = attrs.get("school") or (getattr(request, "school", None) or None)
            if school is None:
                raise serializers.ValidationError({"school": _("Choose a school.")})
            if request and not permissions.has_perm(request.user, perm_name(model, "add"), school):
                raise serializers.ValidationError({"school": _("You may not add this in that school.")})
            attrs["school"] = school if not hasattr(school, "_wrapped") else school._wrapped
        school_id = getattr(attrs.get("school"), "pk", None) or getattr(self.instance, "school_id", None)
        errors = check_same_school(attrs, school_id)
        if errors:
            raise serializers.ValidationError(errors)
        self._validate_constraints(model, attrs)
        return attrs

    def _validate_constraints(self, model, attrs):
        """The model's database constraints, checked before saving: a refused value answers 400 with the
        constraint's message (never a 500 or the constraint's name)."""
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many and hasattr(instance, name):
                setattr(instance, name, value)
        try:
            instance.validate_constraints()
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
            ) from exc
