from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from logistics.ui.pagination import CappedPaginator

from .models import Notification
from .services import forget_unread


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Notification.objects.filter(recipient=self.request.user)
        if self.request.GET.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        try:
            page = CappedPaginator(queryset, 30).page(self.request.GET.get("page", 1))
        except EmptyPage as exc:
            raise Http404 from exc
        context.update(
            {
                "page": page,
                "notifications": page.object_list,
                "title": _("Notifications"),
            }
        )
        return context


@login_required
@require_POST
def mark_read(request, pk=None):
    """Mark one notification (and follow its link) or all of them read."""
    queryset = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if pk is not None:
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        queryset.filter(pk=pk).update(read_at=timezone.now())
        forget_unread(request.user.pk)
        if note.url and url_has_allowed_host_and_scheme(note.url, {request.get_host()}):
            return redirect(note.url)
        return redirect("notifications:list")
    queryset.update(read_at=timezone.now())
    forget_unread(request.user.pk)
    return redirect("notifications:list")
