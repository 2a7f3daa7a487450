from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from .forms import ProfileForm, ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)  # saves the user with the new password
        messages.success(self.request, _("Your password was changed."))
        return response

    def get_success_url(self):
        return reverse("dashboard:home") if self.request.GET.get("required") else super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = getattr(self.request.user, "must_change_password", False)
        return context

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form


class ProfileView(LoginRequiredMixin, TemplateView):
    """The user's own details, memberships, and their API token (create, show once, revoke)."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.setdefault("form", ProfileForm(instance=user))
        context["memberships"] = user.memberships.select_related("school", "district").filter(active=True)
        context["has_token"] = Token.objects.filter(user=user).exists()
        context["title"] = _("Profile")
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "token":
            Token.objects.filter(user=request.user).delete()
            token = Token.objects.create(user=request.user)
            messages.success(
                request,
                _("Your new API token (shown only now): %(key)s") % {"key": token.key},
            )
            return redirect("accounts:profile")
        if action == "revoke":
            Token.objects.filter(user=request.user).delete()
            messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:profile")
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
        return self.render_to_response(self.get_context_data(form=form), status=400)
