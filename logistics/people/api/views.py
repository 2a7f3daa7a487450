"""People API: staff and roles, grades, classes, students, guardians, invitations; district schools."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from logistics.accounts import permissions
from logistics.accounts.roles import Role
from logistics.api.viewsets import (
    SchoolScopedCreateReadViewSet,
    SchoolScopedModelViewSet,
    SchoolScopedReadOnlyViewSet,
)
from logistics.imports.api import import_viewset_mixin
from logistics.tenancy.models import Campus, Membership, School

from ..filtersets import (
    GradeFilterSet,
    GuardianLinkFilterSet,
    PeopleImportFilterSet,
    SchoolClassFilterSet,
    StudentFilterSet,
)
from ..models import Grade, GuardianLink, Invitation, PeopleImport, SchoolClass, Student
from ..services import guardians as guardian_services
from ..services import schools as school_services
from ..services import staff as staff_services
from ..services import students as student_services
from ..views.staff import staff_queryset
from . import serializers as s

ERRORS = {400: s.PeopleErrorSerializer, 403: s.PeopleErrorSerializer, 404: s.PeopleErrorSerializer}


class StaffPermission(BasePermission):
    """Reads need ``people.view_staff`` in the current school, writes ``people.manage_staff``."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        perm = "people.view_staff" if request.method in ("GET", "HEAD", "OPTIONS") else "people.manage_staff"
        return permissions.has_perm(request.user, perm, request.school)


@extend_schema_view(
    list=extend_schema(summary="Staff of the current school with their roles there"),
    retrieve=extend_schema(summary="One staff member"),
)
class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    """The principal's and logistics head's staff list; every change is recorded with who made it."""

    serializer_class = s.StaffSerializer
    permission_classes = [StaffPermission]
    filter_backends = [SearchFilter, OrderingFilter]
    search_fields = ["display_name", "username", "phone"]
    ordering_fields = ["display_name", "username", "id"]
    #: rows are users (get_queryset); the class attribute names the school-scoped model they come from
    queryset = Membership.objects.none()

    def get_queryset(self):
        return staff_queryset(self.request.school).order_by("display_name", "pk")

    def initial(self, request, *args, **kwargs):
        request._request.is_api = True
        super().initial(request, *args, **kwargs)

    def _answer(self, person, password=None, code=status.HTTP_200_OK):
        person = self.get_queryset().get(pk=person.pk)
        if password is None:
            return Response(s.StaffSerializer(person).data, status=code)
        return Response(
            s.FirstPasswordSerializer({"person": person, "first_password": password}).data,
            status=code,
        )

    @extend_schema(
        summary="Add a person (first password in the answer, shown once)",
        request=s.PersonCreateSerializer,
        responses={201: s.FirstPasswordSerializer, **ERRORS},
    )
    def create(self, request):
        body = s.PersonCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        role_options = {k: data.pop(k) for k in ("role", "trades", "post", "head_of", "teaches") if k in data}
        if isinstance(role_options.get("trades"), list):
            role_options["trades"] = ",".join(role_options["trades"])
        user, password = staff_services.add_person(school=request.school, actor=request.user, **data, **role_options)
        return self._answer(user, password, status.HTTP_201_CREATED)

    @extend_schema(summary="Give a role", request=s.RoleSerializer, responses={200: s.StaffSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="grant-role")
    def grant_role(self, request, pk=None):
        person = self.get_object()
        body = s.RoleSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["trades"] = ",".join(data.get("trades") or [])
        staff_services.grant_role(school=request.school, actor=request.user, user=person, **data)
        return self._answer(person)

    @extend_schema(summary="Take a role away", request=s.RevokeSerializer, responses={200: s.StaffSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="revoke-role")
    def revoke_role(self, request, pk=None):
        person = self.get_object()
        body = s.RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        staff_services.revoke_role(school=request.school, actor=request.user, user=person, **body.validated_data)
        return self._answer(person)

    @extend_schema(
        summary="Reset the password (new first password in the answer; changed at the next sign-in)",
        request=None,
        responses={200: s.FirstPasswordSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        person = self.get_object()
        password = staff_services.reset_password(school=request.school, actor=request.user, user=person)
        return self._answer(person, password)

    @extend_schema(
        summary="Deactivate (end every role here; never deleted)",
        request=None,
        responses={200: s.StaffSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        person = self.get_object()
        staff_services.deactivate(school=request.school, actor=request.user, user=person)
        return self._answer(person)


class GradeViewSet(SchoolScopedModelViewSet):
    queryset = Grade.objects.all()
    serializer_class = s.GradeSerializer
    filterset_class = GradeFilterSet
    ordering_fields = ["order", "name"]


class SchoolClassViewSet(SchoolScopedModelViewSet):
    queryset = SchoolClass.objects.select_related("grade").prefetch_related("teachers")
    serializer_class = s.SchoolClassSerializer
    filterset_class = SchoolClassFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "grade__order"]


@extend_schema_view(
    list=extend_schema(summary="Students the user may see (teachers: their classes; parents: their children)"),
)
class StudentViewSet(SchoolScopedModelViewSet):
    """Students are enrolled and changed, never deleted (graduates and leavers become inactive)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Student.objects.select_related("school_class")
    serializer_class = s.StudentSerializer
    filterset_class = StudentFilterSet
    search_fields = ["name", "student_number"]
    ordering_fields = ["student_number", "name"]

    @extend_schema(
        summary="The whole ID number (principal, logistics head; every look recorded)",
        request=None,
        responses={200: s.IdNumberSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="reveal-id-number", permission_action="reveal")
    def reveal_id_number(self, request, pk=None):
        student = get_object_or_404(Student.objects.restrict(request.user, "view"), pk=pk)
        number = student_services.reveal_id_number(student, request.user)
        return Response({"id_number": number})


@extend_schema_view(list=extend_schema(summary="Guardian links the user may see (class teacher: own class)"))
class GuardianViewSet(SchoolScopedReadOnlyViewSet):
    queryset = GuardianLink.objects.select_related("guardian", "student")
    serializer_class = s.GuardianLinkSerializer
    filterset_class = GuardianLinkFilterSet

    @extend_schema(
        summary="Add a guardian to a student (new account: first password in the answer)",
        request=s.GuardianCreateSerializer,
        responses={201: s.GuardianCreatedSerializer, **ERRORS},
    )
    def create(self, request):
        if not permissions.has_perm(request.user, "people.add_guardianlink"):
            raise PermissionDenied  # the permission before the input (fail closed)
        body = s.GuardianCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        guardian, password = guardian_services.add_guardian(actor=request.user, **body.validated_data)
        link = GuardianLink.objects.get(student=body.validated_data["student"], guardian=guardian)
        return Response(
            s.GuardianCreatedSerializer({"link": link, "first_password": password}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="End the link (custody changes); recorded on the student",
        request=s.EndLinkSerializer,
        responses={204: None, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="delete")
    def end(self, request, pk=None):
        link = get_object_or_404(GuardianLink.objects.restrict(request.user, "delete"), pk=pk)
        body = s.EndLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        guardian_services.end_link(link, request.user, body.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated()]
        return super().get_permissions()


class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Guardian invitations: a class's sheet (one code per enrolled student) and the guardian's acceptance."""

    queryset = Invitation.objects.select_related("student")
    serializer_class = s.InvitationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, "view").order_by("student__student_number", "-created")

    @extend_schema(
        summary="Create (or reuse) a class's invitations",
        request=s.ClassSheetSerializer,
        responses={201: s.InvitationSerializer(many=True), **ERRORS},
    )
    def create(self, request):
        if not permissions.has_perm(request.user, "people.add_invitation"):
            raise PermissionDenied  # the permission before the input (fail closed)
        body = s.ClassSheetSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        rows = guardian_services.class_invitations(body.validated_data["school_class"], request.user)
        return Response(
            s.InvitationSerializer([invitation for _student, invitation in rows], many=True).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="A guardian accepts an invitation (signed in: links to that account; otherwise by phone number)",
        request=s.AcceptSerializer,
        responses={200: s.AcceptedSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], permission_classes=[AllowAny])
    def accept(self, request):
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        code = data["code"]
        user = guardian_services.accept_invitation(
            user=request.user if request.user.is_authenticated else None,
            request=request,
            **data,
        )
        invitation = Invitation.objects.get(school=data["school"], code=guardian_services.normalise_code(code))
        return Response({"guardian": user.pk, "username": user.username, "student": invitation.student_id})


class DistrictSchoolViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A district officer's schools: list with counts (no student rows) and create with the first staff."""

    serializer_class = s.DistrictSchoolSerializer
    permission_classes = [IsAuthenticated]
    queryset = School.objects.all()

    def get_queryset(self):
        districts = school_services.districts_of(self.request.user)
        if not districts.exists():
            raise PermissionDenied
        schools = School.objects.filter(district__in=districts).order_by("name")
        return schools

    def list(self, request, *args, **kwargs):
        schools = list(self.get_queryset())
        ids = [school.pk for school in schools]
        campuses = dict(Campus.objects.filter(school__in=ids).values_list("school").annotate(n=Count("pk")).order_by())
        students = dict(
            Student.objects.filter(Q(school__in=ids) & Q(active=True))
            .values_list("school")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for school in schools:
            school.campus_count = campuses.get(school.pk, 0)
            school.student_count = students.get(school.pk, 0)
        return Response(s.DistrictSchoolSerializer(schools, many=True).data)

    @extend_schema(
        summary="Create a school with its campuses, first principal and logistics head",
        request=s.SchoolCreateSerializer,
        responses={201: s.SchoolCreatedSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        district = school_services.districts_of(request.user).order_by("pk").first()
        if district is None:
            raise PermissionDenied
        body = s.SchoolCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        people = [
            (role, d["display_name"], d["phone"], d.get("username", ""))
            for role, d in ((Role.PRINCIPAL, data["principal"]), (Role.LOGISTICS_HEAD, data["logistics_head"]))
        ]
        school, created = school_services.create_school(
            district=district,
            actor=request.user,
            name=data["name"],
            slug=data["slug"],
            code=data["code"],
            campuses=data["campuses"],
            people=people,
        )
        school.campus_count = Campus.objects.filter(school=school).count()
        school.student_count = 0
        return Response(
            {
                "school": s.DistrictSchoolSerializer(school).data,
                "people": [
                    {"id": u.pk, "username": u.username, "role": str(role), "first_password": password}
                    for u, role, password in created
                ],
            },
            status=status.HTTP_201_CREATED,
        )


class PeopleImportViewSet(import_viewset_mixin(s.PeopleImportSerializer), SchoolScopedCreateReadViewSet):
    """Imports of staff, classes, students with guardians, and guardians: upload (multipart ``file`` and
    ``importer``) → ``mapping`` → ``validate`` → ``run`` (all rows or none; poll the record)."""

    queryset = PeopleImport.objects.all()
    serializer_class = s.PeopleImportSerializer
    filterset_class = PeopleImportFilterSet


class DistrictOfficerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The district roles of the requesting officer's district (issue 8 § Staff and roles): list the
    officers, give the role (``POST``: a new account with a first password shown once, or the account of
    that phone), take it away (``revoke``; never one's own). Every change is recorded."""

    serializer_class = s.DistrictOfficerSerializer
    permission_classes = [IsAuthenticated]
    queryset = Membership.objects.none()

    def district(self):
        district = school_services.districts_of(self.request.user).order_by("pk").first()
        if district is None:
            raise PermissionDenied
        return district

    def get_queryset(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        district = self.district()
        held = Membership.objects.filter(district=district, role=Role.DISTRICT_OFFICER)
        return (
            get_user_model()
            .objects.filter(pk__in=held.values("user_id"))
            .annotate(officer_active=Exists(held.filter(user=OuterRef("pk"), active=True)))
            .order_by("display_name", "pk")
        )

    @extend_schema(
        summary="Give someone the district officer role",
        request=s.DistrictOfficerCreateSerializer,
        responses={201: s.DistrictOfficerCreatedSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        district = self.district()
        body = s.DistrictOfficerCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user, password = school_services.grant_district_role(
            district=district,
            actor=request.user,
            display_name=data["display_name"],
            phone=str(data["phone"]),
            username=data.get("username", ""),
        )
        officer = self.get_queryset().get(pk=user.pk)
        return Response(
            {"officer": s.DistrictOfficerSerializer(officer).data, "first_password": password},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Take the district officer role away",
        request=None,
        responses={200: s.DistrictOfficerSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        district = self.district()
        officer = get_object_or_404(self.get_queryset(), pk=pk)
        school_services.revoke_district_role(district=district, actor=request.user, user=officer)
        return Response(s.DistrictOfficerSerializer(self.get_queryset().get(pk=officer.pk)).data)
