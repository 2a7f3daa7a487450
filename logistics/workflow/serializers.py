"""Serializers of step inputs: every related object must belong to the object's school."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers

from logistics.accounts import permissions
from logistics.api.docs import internal_doc


def restrict_relations(fields, user, school, visible=True):
    """Narrow every relational field (single or many; form or serializer) to the rows of ``school`` —
    and, with ``visible``, to what ``user`` may see; users to the people of ``school``. Step inputs use
    ``visible=False``: the step's own permission decides, the school rule still holds."""
    for field in fields.values():
        target = getattr(field, "child_relation", field)
        queryset = getattr(target, "queryset", None)
        if queryset is None or getattr(target, "read_only", False):
            continue
        if hasattr(queryset, "restrict"):
            if visible:
                queryset = queryset.restrict(user, "view") if user is not None else queryset.none()
            if school is not None:
                queryset = queryset.in_school(school)
            elif not visible:
                queryset = queryset.none()
        elif queryset.model is get_user_model():
            queryset = permissions.people_of(queryset, school, user)
        if isinstance(target, serializers.RelatedField):
            _name_other_school(target, target.queryset)
        target.queryset = queryset


def _name_other_school(field, everything):
    """A related id that exists but not in the narrowed list is answered "This belongs to another
    school." (not "does not exist"): the same rule, one message, wherever the relation is."""
    original = field.to_internal_value

    def to_internal_value(data):
        try:
            return original(data)
        except serializers.ValidationError:
            try:
                exists = everything.model._base_manager.filter(pk=data).exists()
            except (TypeError, ValueError, DjangoValidationError):
                exists = False
            if exists:
                raise serializers.ValidationError(_("This belongs to another school.")) from None
            raise

    field.to_internal_value = to_internal_value


def check_same_school(attrs, school_id):
    """``{field: message}`` for every related value of ``attrs`` that belongs to another school: rows
    with a ``school_id``, and users without an active membership of the school."""
    from logistics.tenancy.models import Membership

    errors = {}
    if not school_id:
        return errors
    User = get_user_model()
    people = {}
    for name, value in attrs.items():
        if name == "school":
            continue
        values = value if isinstance(value, list | tuple | set | QuerySet) else [value]
        for item in values:
            if isinstance(item, User):
                people.setdefault(item.pk, []).append(name)
            elif getattr(item, "school_id", None) not in (None, school_id):
                errors[name] = _("This belongs to another school.")
    if people:
        members = set(
            Membership.objects.filter(user_id__in=people, school_id=school_id, active=True).values_list(
                "user_id", flat=True
            )
        )
        for user_id, names in people.items():
            if user_id not in members:
                for name in names:
                    errors[name] = _("This person is not a member of this school.")
    return errors


@internal_doc
class StepSerializer(serializers.Serializer):
    """The request body of a step. Context: ``request`` and ``object`` (the record the step acts on);
    every relation is narrowed to the object's school and checked again after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        obj = self.context.get("object")
        request = self.context.get("request")
        school = getattr(obj, "school", None)
        restrict_relations(self.fields, getattr(request, "user", None), school, visible=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        obj = self.context.get("object")
        errors = check_same_school(attrs, getattr(obj, "school_id", None))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NoInputSerializer(StepSerializer):
    """A step that takes no input (send ``{}``)."""


class ReasonSerializer(StepSerializer):
    """A step that needs a reason (shown to the people concerned)."""

    reason = serializers.CharField(max_length=300, trim_whitespace=True)


class ErrorSerializer(serializers.Serializer):
    """Every API error: ``detail`` is the message; ``status`` the record's current status (409);
    ``errors`` maps each invalid field to its messages (400)."""

    detail = serializers.CharField()
    status = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
