"""Base serializers: every domain object carries its ``school`` id; related choices are restricted."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from logistics.accounts import permissions
from logistics.tenancy.querysets import perm_name
from logistics.workflow.serializers import check_same_school


class SchoolScopedSerializer(serializers.ModelSerializer):
    """A domain object's serializer. On create, ``school`` is the one given or the current school;
    the user must hold ``add`` there, and every related object must belong to the same school."""

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
            data = data.copy()  # a QueryDict stays a QueryDict (form-encoded bodies)
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
        return attrs
