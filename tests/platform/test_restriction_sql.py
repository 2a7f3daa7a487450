"""``restriction_sql``: the condition of ``restrict()`` as SQL for hand-written hot paths (the guard's scan),
compiled once per model, action, user, grants and time zone — it must admit exactly the rows ``restrict()``
admits, for every kind of rule (school only, a row rule on the row, a rule through a join, a subquery)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.people.models import Student
from logistics.tenancy import querysets
from logistics.tenancy.models import Membership, Room
from logistics.tenancy.querysets import restriction_sql

from ..factories import GuardianLinkFactory, RoomFactory, SchoolClassFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def admitted(model, user, action="view"):
    """The ids a query with ``restriction_sql``'s condition selects."""
    found = restriction_sql(model, user, action)
    if found is None:
        return set()
    sql, params = found
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {table}.id FROM {table} WHERE {sql}", params)  # noqa: S608 — names only
        return {row[0] for row in cursor.fetchall()}


def restricted(model, user, action="view"):
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


@pytest.fixture
def classes(school, other_school):
    mine = SchoolClassFactory(school=school, grade__school=school)
    other = SchoolClassFactory(school=school, grade__school=school)
    elsewhere = SchoolClassFactory(school=other_school, grade__school=other_school)
    students = {
        "mine": StudentFactory(school=school, school_class=mine),
        "other": StudentFactory(school=school, school_class=other),
        "elsewhere": StudentFactory(school=other_school, school_class=elsewhere),
    }
    return mine, students


@pytest.fixture(autouse=True)
def _forget_compiled():
    querysets._restrictions.clear()
    yield
    querysets._restrictions.clear()


class TestAdmitsWhatRestrictAdmits:
    def test_a_grant_of_the_whole_school(self, school, other_school, make_user):
        RoomFactory(school=school, building__school=school, building__campus__school=school)
        RoomFactory(school=other_school, building__school=other_school, building__campus__school=other_school)
        head = make_user(Role.LOGISTICS_HEAD, school)
        assert admitted(Room, head) == restricted(Room, head) and len(restricted(Room, head)) == 1

    def test_row_rules_on_the_row_through_a_join_and_by_a_subquery(self, school, classes, make_user):
        mine, students = classes
        teacher = make_user(Role.TEACHER, school)
        mine.head_teacher = teacher
        mine.save()
        parent = make_user(Role.PARENT, school)
        GuardianLinkFactory(school=school, student=students["other"], guardian=parent)
        assert admitted(Student, teacher) == restricted(Student, teacher) == {students["mine"].pk}
        assert admitted(Student, parent) == restricted(Student, parent) == {students["other"].pk}
        principal = make_user(Role.PRINCIPAL, school)
        assert (
            admitted(Student, principal)
            == restricted(Student, principal)
            == {
                students["mine"].pk,
                students["other"].pk,
            }
        )

    def test_nobody_without_the_grant_and_no_anonymous_user(self, school, classes, make_user):
        guard = make_user(Role.GUARD, school)
        assert restriction_sql(Student, guard, "view") is None and restricted(Student, guard) == set()
        assert restriction_sql(Student, AnonymousUser(), "view") is None
        assert restriction_sql(Student, None, "view") is None

    def test_a_superuser_sees_every_row(self, classes):
        root = UserFactory(is_superuser=True)
        assert restriction_sql(Student, root) == ("1 = 1", [])
        assert admitted(Student, root) == set(Student.objects.values_list("pk", flat=True))


class TestCompiledOnce:
    def test_the_same_user_and_grants_compile_once_and_new_grants_compile_again(
        self, school, other_school, classes, make_user, monkeypatch
    ):
        compiled = []
        compile_restriction = querysets._compile_restriction

        def counting(*args):
            compiled.append(args[0])
            return compile_restriction(*args)

        monkeypatch.setattr(querysets, "_compile_restriction", counting)
        head = make_user(Role.LOGISTICS_HEAD, school)
        first = admitted(Student, head)
        assert admitted(Student, head) == first and len(compiled) == 1
        # a membership in another school: other grants, another condition, the rows of both schools
        Membership.objects.create(user=head, school=other_school, role=Role.LOGISTICS_HEAD)
        head = type(head).objects.get(pk=head.pk)  # memberships are read once per user object
        assert admitted(Student, head) == restricted(Student, head) == set(Student.objects.values_list("pk", flat=True))
        assert len(compiled) == 2

    def test_the_time_zone_is_part_of_the_key(self, school, make_user):
        """A rule on the date of a time (a leave pass's day of duty) compiles the zone into its SQL."""
        from safety.models import LeavePass

        teacher = make_user(Role.TEACHER, school)
        with timezone.override("Asia/Shanghai"):
            shanghai = restriction_sql(LeavePass, teacher)
        with timezone.override("UTC"):
            utc = restriction_sql(LeavePass, teacher)
        assert "Asia/Shanghai" in shanghai[1] and "UTC" in utc[1]
