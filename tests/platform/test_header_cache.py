"""The page header and menu are cached, and they hold forms (language, school) with a CSRF token: a
visitor must never get another visitor's token, or switching language answers 403."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


def language_token(page):
    form = re.search(r'data-testid="language-switcher".*?</form>', page, flags=re.S).group(0)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_two_anonymous_visitors_each_switch_language():
    cache.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/accounts/login/")  # fills the cached header
    for visitor in (second, first):
        token = language_token(visitor.get("/accounts/login/").content.decode())
        answer = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert answer.status_code == 302, answer.status_code


def test_signing_in_again_keeps_the_school_switcher_working(school, make_user):
    from logistics.accounts.roles import Role

    user = make_user(Role.LOGISTICS_HEAD, school)
    user.set_password("secret-123456")
    user.save()
    cache.clear()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/")  # the header cached for this user and school
    browser.logout()
    browser.force_login(user)  # a new session: a new CSRF secret
    page = browser.get("/").content.decode()
    token = language_token(page)
    answer = browser.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302, answer.status_code
