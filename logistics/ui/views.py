"""Generic list / detail / edit / delete views (NetBox's ``generic`` views, three-line subclasses).

A model needs a FilterSet, a Table, a form — and::

    class RoomListView(ObjectListView):
        queryset = Room.objects.select_related("building")
        filterset = RoomFilterSet
        table = RoomTable
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage
from django.db import transaction
from django.db.models import OuterRef, ProtectedError, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.audit.display import readable_changes
from logistics.audit.models import ChangeAction, ChangeRecord
from logistics.tenancy import compiled
from logistics.tenancy.querysets import holds, perm_name, restriction_sql
from logistics.workflow import StepNotAllowed, ensure_editable, is_read_only

from . import exports
from .pagination import CappedPaginator, fetch_page, ids_of

PER_PAGE_CHOICES = (25, 50, 100)


def url_name(model, suffix):
    return f"{model._meta.app_label}:{model._meta.model_name}_{suffix}"


def try_reverse(name, *args):
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class SchoolViewMixin(LoginRequiredMixin):
    """Views that work inside the current school (``request.school``)."""

    queryset = None
    action = "view"

    @property
    def model(self):
        return self.queryset.model

    def restricted(self, action=None):
        return self.queryset.restrict(self.request.user, action or self.action)

    def school_required(self):
        if not self.request.school:
            raise PermissionDenied(_("You are not a member of any school."))
        return self.request.school


def kept_page_key(view, *parts):
    """The cache key of a whole rendered page of ``view`` — or None: a message is waiting (it is shown
    once, on a page rendered now). ``parts`` say which data the page shows (the rows' key, an object and
    its change times); added here is what the layout shows and what a request can vary: the path and
    query string, the language, the time zone and today's date, the user, the school and the user's memberships (menu,
    roles, what the page offers), the bell's count, the CSRF secret the page's forms carry, and an htmx
    request's target (a partial page)."""
    from logistics.notifications.services import unread_count

    from .context_processors import csrf_secret_digest, layout_key

    request = view.request
    if len(messages.get_messages(request)):
        return None
    parts = [
        type(view).__qualname__,
        *parts,
        request.get_full_path(),
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(),  # what "today" shows and admits (a row rule of today's rows)
        layout_key(request),
        str(request.user),  # the header's name
        unread_count(request.user),
        csrf_secret_digest(request),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    ]
    return "kept-page." + hashlib.md5("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def keep_rendered(response, key, seconds):
    """Keep ``response``'s content under ``key`` once it is rendered (a 200 only)."""

    def keep(rendered):
        if rendered.status_code == 200:
            cache.set(key, rendered.content, seconds)

    response.add_post_render_callback(keep)
    return response


class LazyRows:
    """A page's rows, read and built when a template first reads them: a list page whose rows'
    fragment is in the cache (``rows_cache_key``) never reads them."""

    __slots__ = ("_build", "_rows")

    def __init__(self, build):
        self._build, self._rows = build, None

    def _get(self):
        if self._rows is None:
            self._rows = self._build()
        return self._rows

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())

    def __bool__(self):
        return bool(self._get())

    def __getitem__(self, index):
        return self._get()[index]


class ObjectListView(SchoolViewMixin, TemplateView):
    """A list page: filter form, sorting, ``?export=``, and a capped count paginated **ids first**
    (``logistics.ui.pagination.ids_of``): the count and the page's slice run on the bare table, then
    the page's rows are read by id with ``queryset``'s select_related / prefetch (``get_page_rows``)."""

    template_name = "ui/list.html"
    filterset = None
    table = None
    title = None
    export_name = None
    #: seconds the whole rendered page is kept (see ``kept_page_key``); None: the table's ``cache_rows``
    keep_page = None
    #: the order when the visitor asks for none (``default_ordering``)
    ordering = None
    #: labels ("app.model") of the other models whose rows the page's rows show figures of (a charge's
    #: payments): a kept page is found by their data versions too (``versions_key``)
    watch = ()

    def get_base_queryset(self):
        return self.restricted().in_school(self.school_required())

    def get(self, request, *args, **kwargs):
        by_version = None if request.GET.get("export") else self.versions_key()
        if by_version:
            content = cache.get(by_version)
            if content is not None:
                return HttpResponse(content)
        queryset = self.get_base_queryset()
        self.filter = (
            self.filterset(request.GET or None, queryset=queryset, request=request) if self.filterset else None
        )
        if self.filter is not None:
            if self.filter.is_bound and not self.filter.is_valid():
                messages.error(request, _("Some filters are not valid; they were ignored."))
                by_version = None  # the page says so once: not kept
            else:
                queryset = self.filter.qs
        self.table_obj = self.table(request)
        order = self.table_obj.order_by(request.GET.get("sort")) or self.table_obj.default_order
        if order:
            queryset = queryset.order_by(order, "-pk" if order.startswith("-") else "pk")
        else:
            queryset = queryset.order_by(*self.default_ordering())
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            return exports.export(
                self.table_obj,
                self.rows_queryset(queryset),
                fmt,
                self.export_name or self.model._meta.model_name,
            )
        self.queryset_final = queryset
        self.paginate()
        key = self.kept_page_key()
        seconds = self.kept_page_seconds()
        if key:
            content = cache.get(key)
            if content is not None:
                if by_version:
                    cache.set(by_version, content, seconds)
                return HttpResponse(content)
        response = super().get(request, *args, **kwargs)
        for kept in (key, by_version):
            if kept:
                keep_rendered(response, kept, seconds)
        return response

    def versions_key(self):
        """The key of this whole page kept by data versions (``logistics.tenancy.versions``): found with no
        query of the list's own — the filter, count, ids and change times are not read. The page's
        key (``kept_page_key``: the path and query string, the user, memberships, language…) with the
        versions of the list's model, ``watch`` and what the user's row rules read in the school. None:
        not kept this way (``KEPT_BY_VERSION`` off, the page not kept, a row rule with nothing declared,
        no school, a message waiting)."""
        from logistics.tenancy import versions

        seconds = self.kept_page_seconds()
        school = getattr(self.request, "school", None)
        if not seconds or not school or not versions.enabled():
            return None
        labels = versions.watched_labels(self.request.user, self.model, self.action, [school.pk], self.watch)
        if labels is None:
            return None
        return kept_page_key(self, "versions", versions.versions(labels, [school.pk]), *self.kept_page_parts())

    def default_ordering(self):
        """The list's order when none is asked for: ``ordering``, or the model's without a leading
        ``school`` — the page is in one school, and ordering by the school's name joins it for nothing
        (and keeps the count and the page's ids from an index)."""
        if self.ordering:
            return self.ordering
        ordering = list(self.model._meta.ordering)
        while ordering and ordering[0] in {"school", "school_id", "school__name"}:
            ordering.pop(0)
        return ordering or ["-pk"]

    def paginate(self):
        """The page asked for: ``self.paginator``, ``self.page_obj`` and its ids (``self.page_ids``), ids
        first — an index-only count and slice (two queries)."""
        try:
            per_page = int(self.request.GET.get("per_page", 25))
        except ValueError:
            per_page = 25
        self.per_page = per_page if per_page in PER_PAGE_CHOICES else 25
        self.paginator = CappedPaginator(ids_of(self.queryset_final), self.per_page)
        try:
            self.page_obj = self.paginator.page(self.request.GET.get("page", 1))
        except EmptyPage as exc:
            raise Http404(str(exc)) from exc
        self.page_ids = list(self.page_obj.object_list)

    def kept_page_seconds(self):
        """How long a rendered page is kept whole: ``keep_page``, or the table's ``cache_rows``."""
        return self.keep_page if self.keep_page is not None else getattr(self.table, "cache_rows", 0)

    def kept_page_key(self):
        """The cache key of this whole rendered page (see :func:`kept_page_key`), or None: not kept
        (``kept_page_seconds()`` is 0, the page is empty, or a message waits). The page's data is the
        rows' key (``rows_cache_key``: the page's ids and each row's change time, the count) and
        ``kept_page_parts()``. What the page shows of other records — a room's name in a row, the
        choices of a filter select — may be up to ``kept_page_seconds()`` old, as for the kept rows."""
        if not self.kept_page_seconds():
            return None
        rows_key = self.page_rows_key(self.page_ids, self.page_obj)
        if not rows_key:
            return None
        return kept_page_key(self, rows_key, *self.kept_page_parts())

    def kept_page_parts(self):
        """What else this view's page depends on (for ``kept_page_key``); none by default."""
        return ()

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "object-table":
            return ["ui/_table.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator, page, ids, per_page = self.paginator, self.page_obj, self.page_ids, self.per_page
        objects = LazyRows(lambda: self.get_page_rows(ids))
        page.object_list = objects
        opts = self.model._meta
        context.update(
            {
                "breadcrumbs": [(_("Home"), reverse("dashboard:home")), (self.title or opts.verbose_name_plural, None)],
                "title": self.title or opts.verbose_name_plural,
                "opts": opts,
                "filter": self.filter,
                "table": self.table_obj,
                "rows": LazyRows(lambda: self.table_obj.rows(objects)),
                "rows_cache_key": self.rows_cache_key(ids, page),
                "page": page,
                "paginator": paginator,
                "per_page": per_page,
                "per_page_choices": PER_PAGE_CHOICES,
                "sort": self.request.GET.get("sort", ""),
                "add_url": try_reverse(url_name(self.model, "add"))
                if permissions.has_perm(self.request.user, perm_name(self.model, "add"), self.request.school)
                else None,
            }
        )
        return context

    def rows_cache_key(self, ids, page):
        """The cache key of this page's rendered rows, or None (the table's ``cache_rows`` is 0, or the
        page is empty). The key holds every row's id and ``updated`` time — a row saved since is
        another key, so a page never shows a changed row's old cells —, the page and count, the query
        string (filters, sort), the language, the time zone and the user (a cell may depend on what the
        user may do). What a row shows of *other* records (a room's name, a person's name) may be up to
        ``cache_rows`` seconds old. One query (the page's ids and times, by primary key)."""
        if not getattr(self.table_obj, "cache_rows", 0):
            return None
        return self.page_rows_key(ids, page)

    def page_rows_key(self, ids, page):
        """The key of the page's rows (see ``rows_cache_key``), whether or not its table keeps them — a
        kept page (``keep_page``) is keyed by it too; None for an empty page."""
        if not ids:
            return None
        if getattr(self, "_rows_key", (None,))[0] == ids:
            return self._rows_key[1]  # the kept page's key read it already
        stamps = self.row_stamps(ids)
        parts = [
            type(self.table_obj).__qualname__,
            get_language(),
            timezone.get_current_timezone_name(),
            self.request.user.pk,
            self.request.get_full_path(),
            page.number,
            page.paginator.count,
            *(f"{pk}@{stamps.get(pk) or ''}" for pk in ids),
        ]
        key = hashlib.md5("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
        self._rows_key = (ids, key)
        return key

    def row_stamps(self, ids):
        """{pk: the time the row last changed} of the page's rows (one query): the row's ``updated``. A
        view whose rows show figures of other records (a charge's balance: its payments) takes the
        latest of those records' times too."""
        from logistics.api.rows import change_times

        return change_times(self.model, ids)

    def get_page_rows(self, ids):
        """The page's objects, in the order of ``ids``: read with the list's select_related/prefetch,
        or — when the table sets ``values_rows`` — as row proxies read with ``values()``."""
        if self.table_obj.values_rows:
            return self.table_obj.fetch_rows(self.model, ids)
        return fetch_page(self.rows_queryset(self.queryset_final), ids)

    def rows_queryset(self, queryset):
        """The list's queryset as its rows are read (the page's, an export's): ``queryset`` itself, or
        with what only the shown rows need (a charge's balance) — not built for the count, the page's
        ids or a kept page."""
        return queryset


class ObjectDetailView(SchoolViewMixin, TemplateView):
    template_name = "ui/detail.html"
    #: field names shown in the default detail card
    fields = ()
    #: seconds the whole rendered page is kept (0: never), keyed in the object's own read — see ``kept_object``
    keep_page = 0
    #: the kept page's one read built and compiled once per user restriction (``logistics.tenancy.compiled``):
    #: only for a view whose queryset, restriction and ``page_stamp_expressions`` depend on nothing of the
    #: request but the user's grants and the object's primary key
    compile_read = False

    def get_object(self):
        return get_object_or_404(self.restricted(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if not self.keep_page:
            self.object = self.get_object()
            return super().get(request, *args, **kwargs)
        self.object, key = self.kept_object()
        if key:
            content = cache.get(key)
            if content is not None:
                return HttpResponse(content)
        response = super().get(request, *args, **kwargs)
        return keep_rendered(response, key, self.keep_page) if key else response

    def kept_object(self):
        """(the object, the key of its whole rendered page or None — a message waits) in one query: the
        object read with the user's restriction (so a kept page is only served to whoever may see the
        object now), annotated with what its page changes with — its ``updated``, its latest change record
        (the timeline) and ``page_stamp_expressions()`` (the other records the page shows). The queryset's
        prefetches run only when the page is rendered."""
        from django.contrib.contenttypes.models import ContentType

        lookups = self.queryset._prefetch_related_lookups

        def build():
            records = ChangeRecord.objects.filter(
                school_id=OuterRef("school_id"),
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=OuterRef("pk"),
            )
            extra = self.page_stamp_expressions()
            return self.restricted().prefetch_related(None).annotate(_timeline=latest_of(records, "time"), **extra)

        if self.compile_read:
            restriction = restriction_sql(self.model, self.request.user, self.action)
            if restriction is None:
                raise Http404
            key = (type(self), self.action, restriction[0], tuple(map(repr, restriction[1])))
            obj = compiled.read_one(key, build, self.kwargs["pk"])
            if obj is None:
                raise Http404
        else:
            obj = get_object_or_404(build(), pk=self.kwargs["pk"])
        stamps = [obj.updated, obj._timeline, *(getattr(obj, name) for name in self.stamp_names())]
        key = kept_page_key(self, obj.pk, *stamps)
        if lookups:
            self._prefetch = lambda: self._prefetch_known(obj, lookups)
        return obj, key

    def _run_prefetch(self):
        prefetch = getattr(self, "_prefetch", None)
        if prefetch is not None:
            self._prefetch = None
            prefetch()

    #: {relation: the ``page_stamp_expressions`` name of its latest time}: a relation whose latest time is
    #: None has no rows — its prefetch (and the queries under it) is not run, it is set empty
    empty_without_stamp = {}

    def _prefetch_known(self, obj, lookups):
        from django.db.models import prefetch_related_objects

        empty = {name for name, stamp in self.empty_without_stamp.items() if getattr(obj, stamp, True) is None}
        prefetched = obj.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in empty:
            prefetched[name] = getattr(type(obj), name).rel.related_model._base_manager.none()
        wanted = [
            lookup
            for lookup in lookups
            if (lookup if isinstance(lookup, str) else lookup.prefetch_through).split("__")[0] not in empty
        ]
        if self.compile_read:  # each relation by a query compiled once per view (``compiled.prefetch``)
            wanted = [lookup for lookup in wanted if not compiled.prefetch(obj, lookup, type(self))]
        if wanted:
            prefetch_related_objects([obj], *wanted)

    def page_stamp_expressions(self):
        """{name: expression} of the other records' latest times the page shows (none by default)."""
        return {}

    def stamp_names(self):
        """The names of ``page_stamp_expressions`` (the same for every request of the view), found once."""
        cls = type(self)
        if "_page_stamp_names" not in cls.__dict__:
            cls._page_stamp_names = tuple(self.page_stamp_expressions())
        return cls._page_stamp_names

    def get_context_data(self, **kwargs):
        self._run_prefetch()  # a kept page's object was read without its prefetches
        context = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        opts = self.model._meta
        rows = []
        for name in self.fields:
            field = opts.get_field(name)
            value = getattr(obj, f"get_{name}_display")() if getattr(field, "choices", None) else getattr(obj, name)
            if isinstance(value, bool):  # never True/False on a page
                value = _("yes") if value else _("no")
            rows.append((field.verbose_name, value))
        final = is_read_only(obj)  # a terminal state of the workflow: read-only everywhere
        can_change = not final and holds(user, obj, "change", self.queryset)
        can_delete = not final and holds(user, obj, "delete", self.queryset)
        context.update(
            {
                "object": obj,
                "opts": opts,
                "breadcrumbs": breadcrumbs_for(obj),
                "title": str(obj),
                "field_rows": rows,
                "edit_url": try_reverse(url_name(self.model, "edit"), obj.pk) if can_change else None,
                "delete_url": try_reverse(url_name(self.model, "delete"), obj.pk) if can_delete else None,
                "list_url": try_reverse(url_name(self.model, "list")),
                "timeline": timeline_for(
                    obj, full=permissions.has_perm(user, "audit.view_changerecord", obj.school_id)
                ),
            }
        )
        return context


def latest_of(queryset, field="updated"):
    """The latest ``field`` of ``queryset`` (filtered on an ``OuterRef``), as a subquery expression."""
    rows = queryset.order_by().values(field).order_by(f"-{field}")[:1]
    return Subquery(rows.values(field))


def breadcrumbs_for(obj, last=None):
    """Home › list of the model › the object (› ``last``)."""
    crumbs = [(_("Home"), reverse("dashboard:home"))]
    list_url = try_reverse(url_name(type(obj), "list"))
    crumbs.append((type(obj)._meta.verbose_name_plural, list_url))
    if obj.pk:
        crumbs.append((str(obj), obj.get_absolute_url() if last and hasattr(obj, "get_absolute_url") else None))
    if last:
        crumbs.append((last, None))
    return crumbs


def timeline_for(obj, limit=50, full=False):
    """The object's history, newest first (the caller has checked that the user sees ``obj``).

    Everyone who sees the object sees its domain events (assigned, completed…); field-by-field changes
    only with ``audit.view_changerecord`` (they may show fields the page does not).
    """
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(obj)
    school_id = getattr(obj, "school_id", None)

    def build(object_id, school):
        records = ChangeRecord.objects.filter(content_type=ct, object_id=object_id, school_id=school)
        if not full:
            records = records.filter(action__in=[ChangeAction.EVENT, ChangeAction.CREATE])
        return records.order_by("-time", "-pk")[:limit]  # the page shows user_name: no join

    if school_id is not None and obj.pk is not None:  # the query compiled once (``compiled.rows``)
        records = compiled.rows(("timeline", ct.pk, full, limit), build, obj.pk, school_id)
    else:
        records = list(build(obj.pk, school_id))
    model = type(obj)
    shown = []
    for record in records:
        record.readable = readable_changes(record, model) if record.action == ChangeAction.UPDATE else []
        if record.action == ChangeAction.UPDATE and not record.readable:
            continue  # nothing a person can see changed (timestamps, 385.00 → 385)
        shown.append(record)
    return shown


def _editable(obj):
    """A record in a terminal state of its workflow (disposed, written off, paid, closed) cannot be
    edited or deleted: 403 with the message naming its status."""
    try:
        ensure_editable(obj)
    except StepNotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    return obj


class ObjectEditView(SchoolViewMixin, TemplateView):
    template_name = "ui/edit.html"
    form_class = None

    def get_object(self):
        if "pk" not in self.kwargs:
            school = self.school_required()
            if not permissions.has_perm(self.request.user, perm_name(self.model, "add"), school):
                raise PermissionDenied(_("You may not add this here."))
            return self.model(school=school)
        return _editable(get_object_or_404(self.restricted("change"), pk=self.kwargs["pk"]))

    def get_form(self, data=None, files=None):
        school = self.object.school if self.object.school_id else self.request.school
        return self.form_class(data, files, instance=self.object, user=self.request.user, school=school)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(form)
                    # NetBox's rule: after saving, the object must still be visible to the user.
                    if not self.queryset.restrict(request.user, "view").filter(pk=obj.pk).exists():
                        raise PermissionDenied
            except PermissionDenied:
                form.add_error(
                    None,
                    _("You would not be allowed to see the result of this change; nothing was saved."),
                )
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": obj})
                return redirect(self.get_success_url(obj))
        return self.render_to_response(
            self.get_context_data(form=form),
            status=400 if request.method == "POST" else 200,
        )

    def save(self, form):
        return form.save()

    def get_success_url(self, obj):
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return reverse(url_name(self.model, "list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context.update(
            {
                "object": obj,
                "opts": self.model._meta,
                "breadcrumbs": breadcrumbs_for(obj, _("Edit") if obj.pk else _("Add")),
                "title": (_("Edit %(object)s") % {"object": obj})
                if obj.pk
                else (_("Add %(model)s") % {"model": self.model._meta.verbose_name}),
                "cancel_url": obj.get_absolute_url()
                if obj.pk and hasattr(obj, "get_absolute_url")
                else try_reverse(url_name(self.model, "list")),
            }
        )
        return context


class ObjectDeleteView(SchoolViewMixin, TemplateView):
    template_name = "ui/delete.html"

    def get_object(self):
        return _editable(get_object_or_404(self.restricted("delete"), pk=self.kwargs["pk"]))

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response({"object": self.object, "opts": self.model._meta, "title": str(self.object)})

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        name = str(self.object)
        try:
            with transaction.atomic():
                self.object.delete()
        except ProtectedError:
            messages.error(
                request,
                _("“%(object)s” is still in use and cannot be deleted.") % {"object": name},
            )
            return redirect(self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else "/")
        messages.success(request, _("Deleted “%(object)s”.") % {"object": name})
        return redirect(reverse(url_name(self.model, "list")))


def crud_urls(
    model_name,
    list_view=None,
    detail_view=None,
    edit_view=None,
    delete_view=None,
    prefix=None,
):
    """URL patterns ``<model>_list/_add/_detail/_edit/_delete`` for one model."""
    from django.urls import path

    prefix = prefix if prefix is not None else f"{model_name}s/"
    patterns = []
    if list_view:
        patterns.append(path(prefix, list_view.as_view(), name=f"{model_name}_list"))
    if edit_view:
        patterns.append(path(f"{prefix}add/", edit_view.as_view(), name=f"{model_name}_add"))
        patterns.append(
            path(
                f"{prefix}<int:pk>/edit/",
                edit_view.as_view(),
                name=f"{model_name}_edit",
            )
        )
    if detail_view:
        patterns.append(path(f"{prefix}<int:pk>/", detail_view.as_view(), name=f"{model_name}_detail"))
    if delete_view:
        patterns.append(
            path(
                f"{prefix}<int:pk>/delete/",
                delete_view.as_view(),
                name=f"{model_name}_delete",
            )
        )
    return patterns
