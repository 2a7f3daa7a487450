"""``manage.py smoke``: every demo user logs in and opens home and each page of their menu.

Run by ``make test`` on a fresh SQLite database so that ``make run``'s default keeps working.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import override_settings

from logistics.accounts import permissions
from logistics.tenancy.models import School
from logistics.ui import nav


class Command(BaseCommand):
    help = "Log in as each demo user and open every page of their menu; fail on any server error."

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(username__regex=r"^([a-z_]+\.[0-9]+|district\.officer)$")
        if not users.exists():
            raise CommandError("No demo users: run manage.py seed_demo first.")
        failures, pages = [], 0
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for user in users:
                client = Client(raise_request_exception=False)
                client.force_login(user)
                ids = permissions.school_ids(user)
                school = School.objects.filter(pk=ids[0]).first() if ids else None
                urls = ["/", "/notifications/", "/accounts/profile/", "/api/v1/me/"]
                urls += [item["url"] for _group, items in nav.menu_for(user, school) for item in items]
                for url in dict.fromkeys(urls):
                    response = client.get(url)
                    pages += 1
                    if response.status_code >= 500 or response.status_code in (403, 404):
                        failures.append(f"{user.username} {url} → {response.status_code}")
        for anonymous in ("/accounts/login/", "/healthz", "/api/schema/"):
            response = Client().get(anonymous)
            pages += 1
            if response.status_code >= 400:
                failures.append(f"anonymous {anonymous} → {response.status_code}")
        if failures:
            raise CommandError("Smoke test failed:\n" + "\n".join(failures))
        self.stdout.write(self.style.SUCCESS(f"smoke: {users.count()} users, {pages} pages, all fine"))
