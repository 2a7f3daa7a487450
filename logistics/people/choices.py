"""Choices of the people app: value, label (with a message context) in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy

__all__ = ["Gender", "Relation"]


class Gender(models.TextChoices):
    MALE = "male", pgettext_lazy("gender", "Male")
    FEMALE = "female", pgettext_lazy("gender", "Female")


class Relation(models.TextChoices):
    """How a guardian (监护人) is related to the student."""

    FATHER = "father", pgettext_lazy("guardian relation", "Father")
    MOTHER = "mother", pgettext_lazy("guardian relation", "Mother")
    GRANDPARENT = "grandparent", pgettext_lazy("guardian relation", "Grandparent")
    OTHER = "other", pgettext_lazy("guardian relation", "Other guardian")
