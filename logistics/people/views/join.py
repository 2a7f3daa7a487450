"""A guardian accepts an invitation on a phone (no sign-in needed): /people/join/<school>/?code=…"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from logistics.tenancy.middleware import SESSION_KEY
from logistics.tenancy.models import School

from ..forms import JoinForm
from ..services import guardians as services


@never_cache
def join(request, slug):
    school = get_object_or_404(School, slug=slug)
    signed_in = request.user.is_authenticated
    initial = {"code": request.GET.get("code", "")}
    form = JoinForm(request.POST or None, initial=initial, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guardian = services.accept_invitation(
                school=school,
                code=data["code"],
                relation=data["relation"],
                user=request.user if signed_in else None,
                phone=data.get("phone", ""),
                name=data.get("name", ""),
                password=data.get("password", ""),
                request=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("password" if "password" in form.fields else None, exc.messages)
        else:
            if not signed_in:
                login(request, guardian, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = school.pk
            messages.success(request, _("Welcome. You can now follow your child at %(school)s.") % {"school": school})
            return redirect("dashboard:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "people/join.html",
        {"form": form, "school": school, "title": _("Guardian sign-up"), "signed_in": signed_in},
        status=status,
    )
