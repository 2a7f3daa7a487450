from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form; failed attempts are counted and locked by django-axes (``throttle``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
