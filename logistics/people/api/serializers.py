"""People API serializers. Codes come with their labels (``*_label``); an ID number is write-only and read
back masked; a first password appears once, in the answer to the request that made it."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from logistics.accounts.models import StaffRole
from logistics.api.serializers import SchoolScopedSerializer
from logistics.imports.api import ImportRecordSerializer
from logistics.tenancy.models import Membership, School

from .. import idnumbers, phones
from ..choices import Relation
from ..models import Grade, GuardianLink, Invitation, PeopleImport, SchoolClass, Student

User = get_user_model()


class PhoneSerializerField(serializers.CharField):
    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        value = super().to_internal_value(data)
        try:
            return phones.parse(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value):
        return str(value) if value else ""


class PeopleErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StaffMembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    active_label = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "role", "role_label", "trades", "post", "active", "active_label"]

    def get_active_label(self, obj) -> str:
        return str(_("Yes") if obj.active else _("No"))


class StaffSerializer(serializers.ModelSerializer):
    phone = PhoneSerializerField(read_only=True)
    memberships = StaffMembershipSerializer(source="school_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "phone", "email", "is_active", "last_login", "memberships"]


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=StaffRole.choices)
    trades = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    post = serializers.CharField(required=False, allow_blank=True, default="")
    head_of = serializers.PrimaryKeyRelatedField(
        queryset=SchoolClass.objects.all(), many=True, required=False, default=list
    )
    teaches = serializers.PrimaryKeyRelatedField(
        queryset=SchoolClass.objects.all(), many=True, required=False, default=list
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        school = getattr(request, "school", None)
        for name in ("head_of", "teaches"):
            self.fields[name].child_relation.queryset = SchoolClass.objects.filter(school=school, active=True)


class RevokeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=StaffRole.choices)


class PersonCreateSerializer(RoleSerializer):
    display_name = serializers.CharField(max_length=100)
    phone = PhoneSerializerField()
    username = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=StaffRole.choices, required=False)


class FirstPasswordSerializer(serializers.Serializer):
    person = StaffSerializer()
    first_password = serializers.CharField(help_text="Shown only in this answer; changed at the first sign-in.")


class GradeSerializer(SchoolScopedSerializer):
    class Meta:
        model = Grade
        fields = ["id", "school", "name", "order"]


class SchoolClassSerializer(SchoolScopedSerializer):
    grade_name = serializers.CharField(source="grade.name", read_only=True)
    active_label = serializers.SerializerMethodField()

    class Meta:
        model = SchoolClass
        fields = ["id", "school", "grade", "grade_name", "name", "head_teacher", "teachers", "room", "active"]
        fields += ["active_label"]
        read_only_fields = ["active"]

    def get_active_label(self, obj) -> str:
        return str(_("Yes") if obj.active else _("No"))


class StudentSerializer(SchoolScopedSerializer):
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    boarding_label = serializers.SerializerMethodField()
    active_label = serializers.SerializerMethodField()
    class_name = serializers.CharField(source="school_class.name", read_only=True)
    id_number = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        validators=[idnumbers.validate_id_number],
        help_text="Write only; read back masked as id_number_masked.",
    )
    id_number_masked = serializers.CharField(read_only=True)
    photo = serializers.ImageField(required=False, allow_null=True, write_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Student
        fields = [
            "id",
            "school",
            "name",
            "student_number",
            "gender",
            "gender_label",
            "school_class",
            "class_name",
            "boarding",
            "boarding_label",
            "active",
            "active_label",
            "id_number",
            "id_number_masked",
            "photo",
            "has_photo",
        ]
        read_only_fields = ["active"]

    def get_boarding_label(self, obj) -> str:
        return str(_("Yes") if obj.boarding else _("No"))

    def get_active_label(self, obj) -> str:
        return str(_("Yes") if obj.active else _("No"))

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class GuardianLinkSerializer(serializers.ModelSerializer):
    guardian_name = serializers.CharField(source="guardian.__str__", read_only=True)
    guardian_phone = PhoneSerializerField(source="guardian.phone", read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)

    class Meta:
        model = GuardianLink
        fields = ["id", "school", "student", "guardian", "guardian_name", "guardian_phone", "relation"]
        fields += ["relation_label"]
        read_only_fields = fields


class GuardianCreateSerializer(serializers.Serializer):
    student = serializers.PrimaryKeyRelatedField(queryset=Student.objects.all())
    name = serializers.CharField(max_length=100)
    phone = PhoneSerializerField()
    relation = serializers.ChoiceField(choices=Relation.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["student"].queryset = Student.objects.restrict(request.user, "view")


class GuardianCreatedSerializer(serializers.Serializer):
    link = GuardianLinkSerializer()
    first_password = serializers.CharField(allow_null=True, help_text="Only for a new account; shown only here.")


class EndLinkSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class InvitationSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "school", "student", "student_name", "code", "expires", "used_at"]
        read_only_fields = fields


class ClassSheetSerializer(serializers.Serializer):
    school_class = serializers.PrimaryKeyRelatedField(queryset=SchoolClass.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["school_class"].queryset = SchoolClass.objects.restrict(request.user, "view")


class AcceptSerializer(serializers.Serializer):
    school = serializers.SlugRelatedField(slug_field="slug", queryset=School.objects.all())
    code = serializers.CharField()
    relation = serializers.ChoiceField(choices=Relation.choices)
    phone = PhoneSerializerField(required=False, allow_blank=True, default="")
    name = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)


class AcceptedSerializer(serializers.Serializer):
    guardian = serializers.IntegerField()
    username = serializers.CharField()
    student = serializers.IntegerField()


class DistrictSchoolSerializer(serializers.ModelSerializer):
    campus_count = serializers.IntegerField(read_only=True)
    student_count = serializers.IntegerField(read_only=True, help_text="District officers see counts only.")

    class Meta:
        model = School
        fields = ["id", "name", "slug", "code", "district", "campus_count", "student_count"]
        read_only_fields = ["district"]


class FirstPersonSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=100)
    phone = PhoneSerializerField()
    username = serializers.CharField(required=False, allow_blank=True, default="")


class SchoolCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField()
    code = serializers.CharField(max_length=12)
    campuses = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    principal = FirstPersonSerializer()
    logistics_head = FirstPersonSerializer()


class CreatedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    first_password = serializers.CharField(allow_null=True)


class SchoolCreatedSerializer(serializers.Serializer):
    school = DistrictSchoolSerializer()
    people = CreatedPersonSerializer(many=True)


class PeopleImportSerializer(ImportRecordSerializer):
    """A people import: ``importer`` is ``people.staff``, ``people.classes``, ``people.students``
    (students with guardians, the default) or ``people.guardians``."""

    class Meta(ImportRecordSerializer.Meta):
        model = PeopleImport


class DistrictOfficerSerializer(serializers.ModelSerializer):
    """A district officer of the requesting officer's district (no school data)."""

    active = serializers.SerializerMethodField(help_text="Whether the district role is held now.")

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "active"]
        read_only_fields = fields

    def get_active(self, user) -> bool:
        return bool(getattr(user, "officer_active", False))


class DistrictOfficerCreateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=100)
    phone = PhoneSerializerField()
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)


class DistrictOfficerCreatedSerializer(serializers.Serializer):
    officer = DistrictOfficerSerializer()
    first_password = serializers.CharField(
        allow_null=True, help_text="Shown once; null when the person already had an account."
    )
