"""Registry of navigation entries; the menu shows those whose permission the user holds in the
current school. Domain apps register theirs in ``AppConfig.ready()``."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from logistics.accounts import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    group: str = ""
    order: int = 50
    #: "school": needs the permission in the current school; "any": in any of the user's schools
    where: str = "school"
    #: also shown as a button on these platform pages ("rooms", "buildings"): how a domain app offers its
    #: tools where people look for them (the rooms' QR posters on the rooms page) without the platform
    #: naming the app
    places: tuple = ()


_items: list[NavItem] = []


def register(item):
    _items.append(item)
    return item


def items():
    """Every registered entry, in registration order (the ``houqin.E002``/``E003`` checks read them)."""
    return list(_items)


def menu_for(user, school):
    """[(group, [(label, url, active-prefix)])] for the user in the current school, ordered."""
    if not user.is_authenticated:
        return []
    groups: dict[str, list] = {}
    for item in sorted(_items, key=lambda i: (i.order, str(i.label))):
        school_arg = school if item.where == "school" else None
        if item.where == "school" and not school:
            continue
        if not permissions.has_perm(user, item.perm, school_arg):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(str(item.group), []).append({"label": item.label, "url": url})
    return list(groups.items())


def links_for(user, school, place):
    """[{"label", "url"}] of the entries offered on the platform page ``place`` to this user."""
    if not user.is_authenticated or not school:
        return []
    links = []
    for item in sorted(_items, key=lambda i: (i.order, str(i.label))):
        if place not in item.places or not permissions.has_perm(user, item.perm, school):
            continue
        try:
            links.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return links
