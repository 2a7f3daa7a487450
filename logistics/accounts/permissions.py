"""Who may do what, where: the user's Memberships resolved against the role map.

The result is cached on the user object for the life of the request, so ``restrict()`` costs one
query for the memberships the first time and none after.

Layering: ``logistics.tenancy`` (its models, ``restrict()``, the current-school middleware) imports this
module; this module imports nothing from ``logistics.tenancy``. It reads the memberships through the
user's ``memberships`` relation (``tenancy.Membership.user``) and a school's people through the same
relation, so the arrow points one way: tenancy → accounts (``tests/platform/test_layering.py``).
"""

from collections import defaultdict

from . import roles as role_map


def memberships_of(user):
    """[(school_id, role)] for the user, district memberships expanded to the district's schools."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_houqin_memberships", None)
    if cached is not None:
        return cached
    rows = []
    has_district_roles = False
    for school_id, district_id, role in user.memberships.filter(active=True).values_list(
        "school_id", "district_id", "role"
    ):
        if school_id:
            rows.append((school_id, role))
        elif district_id:
            has_district_roles = True
    if has_district_roles:
        # every school of each district, ordered as School orders them (by name)
        rows.extend(
            user.memberships.filter(active=True, district__isnull=False, district__schools__isnull=False)
            .order_by("district__schools__name", "district__schools__id", "pk")
            .values_list("district__schools__id", "role")
        )
    user._houqin_memberships = rows
    return rows


def school_ids(user):
    """Every school the user belongs to, in a stable order."""
    seen = []
    for school_id, _role in memberships_of(user):
        if school_id not in seen:
            seen.append(school_id)
    return seen


def roles_in(user, school_id):
    """The user's roles in one school."""
    if school_id is None:
        return set()
    school_id = getattr(school_id, "pk", school_id)
    return {role for sid, role in memberships_of(user) if sid == school_id}


def scopes_for(user, perm):
    """{scope: set(school_ids)} where the user holds ``perm``; ``all`` wins over row rules per school."""
    by_school = defaultdict(set)
    for school_id, role in memberships_of(user):
        scope = role_map.scope_of(role, perm)
        if scope:
            by_school[school_id].update(scope.split(role_map.SCOPE_SEPARATOR))
    result = defaultdict(set)
    for school_id, scopes in by_school.items():
        if role_map.ALL in scopes:
            result[role_map.ALL].add(school_id)
        else:
            for scope in scopes:
                result[scope].add(school_id)
    return dict(result)


def has_perm(user, perm, school=None):
    """Does the user hold ``perm`` (with any scope) in ``school`` (or in any school)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    school_id = getattr(school, "pk", school)
    for sid, role in memberships_of(user):
        if (school_id is None or sid == school_id) and role_map.scope_of(role, perm):
            return True
    return False


def people_of(queryset, school=None, user=None, staff_only=False):
    """Narrow a queryset of users to the people of ``school`` (or of all the user's schools): choice
    lists of custodians, assignees and requesters never list another school's people.

    ``staff_only`` (the lists' people filters): the school's staff only — never its parents — and to a
    user who is not on the staff of those schools (a parent), nobody (PIPL: a parent does not get the
    names of everyone in the school from a filter)."""
    if school is not None:
        ids = [getattr(school, "pk", school)]
    elif user is not None and not user.is_superuser:
        ids = sorted({sid for sid, _role in memberships_of(user)})
    else:
        ids = None
    membership = queryset.model.memberships.field.model  # tenancy.Membership, reached through the relation
    members = membership._default_manager.filter(active=True)
    if ids is not None:
        members = members.filter(school_id__in=ids)
    if staff_only:
        staff = [str(r) for r in role_map.STAFF_ROLES]
        viewers = {*staff, str(role_map.Role.DISTRICT_OFFICER)}
        if user is not None and not user.is_superuser:
            ids = sorted({sid for sid, role in memberships_of(user) if role in viewers and (ids is None or sid in ids)})
            members = members.filter(school_id__in=ids)
        members = members.filter(role__in=staff)
    elif ids is None:
        return queryset
    return queryset.filter(pk__in=members.values("user_id"))
