"""Factories for the platform's models; domain apps add theirs in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from logistics.accounts.roles import Role
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student
from logistics.tenancy.models import Building, Campus, District, Membership, Room, School


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"区{n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}中学")
    slug = factory.Sequence(lambda n: f"school-{n}")
    code = factory.Sequence(lambda n: f"S{n:03d}")


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"校区{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    campus = factory.SubFactory(CampusFactory)
    school = factory.SelfAttribute("campus.school")
    name = factory.Sequence(lambda n: f"教学楼{n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    school = factory.SelfAttribute("building.school")
    name = factory.Sequence(lambda n: f"{n}室")
    kind = "classroom"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"{n}年级")


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    grade = factory.SubFactory(GradeFactory)
    school = factory.SelfAttribute("grade.school")
    name = factory.Sequence(lambda n: f"{n}班")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    name = factory.Sequence(lambda n: f"学生{n}")
    student_number = factory.Sequence(lambda n: f"{n:08d}")


class GuardianLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianLink

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    guardian = factory.SubFactory(UserFactory)
