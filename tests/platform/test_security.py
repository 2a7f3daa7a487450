import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from logistics.attachments.validators import FileValidator, validate_image

ROOT = Path(__file__).resolve().parents[2]


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


class TestAttachment:
    def test_png_accepted_by_content(self):
        validate_image(SimpleUploadedFile("photo.png", png_bytes()))

    def test_renamed_executable_rejected(self):
        with pytest.raises(ValidationError) as exc:
            validate_image(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200))
        assert exc.value.code == "file_type"

    def test_too_large_rejected(self):
        with pytest.raises(ValidationError) as exc:
            FileValidator(max_bytes=10)(SimpleUploadedFile("photo.png", png_bytes()))
        assert exc.value.code == "file_too_large"

    def test_download_needs_sight_of_parent(self, room, other_school, make_user, login):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        attachment = Attachment.objects.create(
            school=room.school,
            content_type=ContentType.objects.get_for_model(room),
            object_id=room.pk,
            file=SimpleUploadedFile("p.png", png_bytes()),
        )
        assert login(make_user("teacher", room.school)).get(f"/files/{attachment.pk}/").status_code == 200
        assert login(make_user("teacher", other_school)).get(f"/files/{attachment.pk}/").status_code == 404
        assert login(make_user("parent", room.school)).get(f"/files/{attachment.pk}/").status_code == 404


class TestHeaders:
    def test_csp_without_inline_script(self, client, db):
        response = client.get("/accounts/login/")
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "<script>" not in response.content.decode()
        assert response["X-Frame-Options"] == "DENY"


class TestLoginThrottle:
    """django-axes: failures lock one (username, address) pair; docs/deployment.md § Login protection."""

    def test_locked_after_failures(self, school, make_user, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        make_user("teacher", school, username="victim")
        for _ in range(3):
            client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
        response = client.post("/accounts/login/", {"username": "victim", "password": "pw"})
        assert response.status_code == 429 and "_auth_user_id" not in client.session
        assert "登录失败次数过多" in response.content.decode()

    def test_success_resets(self, school, make_user, client, settings):
        settings.AXES_FAILURE_LIMIT = 3
        make_user("teacher", school, username="forgetful")
        client.post("/accounts/login/", {"username": "forgetful", "password": "wrong"})
        response = client.post("/accounts/login/", {"username": "forgetful", "password": "pw"})
        assert response.status_code == 302

    def test_admin_login_is_protected_and_counts_with_the_site(self, school, make_user, client, settings):
        settings.AXES_FAILURE_LIMIT = 5
        admin = make_user("principal", school, username="root")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        for _ in range(3):
            client.post("/admin/login/", {"username": "root", "password": "wrong"})
        for _ in range(2):  # the site's form counts toward the same lock
            client.post("/accounts/login/", {"username": "root", "password": "wrong"})
        response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "pw"})
        assert response.status_code == 429 and "_auth_user_id" not in client.session

    def test_one_address_cannot_lock_out_other_users(self, school, make_user, client, settings):
        """A whole school behind one NAT address: a pupil's failures with made-up names (and with a
        real teacher's name) do not stop another user's correct login from that address."""
        from rest_framework.test import APIClient

        settings.AXES_FAILURE_LIMIT = 5
        make_user("teacher", school, username="real.teacher")
        make_user("teacher", school, username="attacked")
        api = APIClient()
        for n in range(20):
            api.post("/api/v1/auth/token/", {"username": f"made-up-{n}", "password": "x"})
        for _ in range(6):
            client.post("/accounts/login/", {"username": "attacked", "password": "x"})
        response = client.post("/accounts/login/", {"username": "real.teacher", "password": "pw"})
        assert response.status_code == 302 and "_auth_user_id" in client.session
        from django.core.cache import cache

        cache.clear()  # the API's per-address rate (20/min) is a delay, not a lock: let the minute pass
        other = APIClient().post("/api/v1/auth/token/", {"username": "real.teacher", "password": "pw"})
        assert other.status_code == 200 and "token" in other.json()


def test_check_deploy_is_clean_with_production_variables():
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "k9$" + "x7Qp2Lw8Zr4Ty6Uv1Bn3Mc5Vd0Fg7Hj9Kl2As4Df6Gh8Jk0Pq",
        "ALLOWED_HOSTS": "houqin.example.edu.cn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/logistics"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class TestFileServing:
    def test_html_disguised_as_gif_is_never_served_as_html(self, room, make_user, login):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        evil = SimpleUploadedFile("evil.html", b"GIF89a<html><script>alert(1)</script></html>")
        validate_image(evil)  # its bytes start like a GIF: accepted as an image…
        attachment = Attachment.objects.create(
            school=room.school, content_type=ContentType.objects.get_for_model(room), object_id=room.pk, file=evil
        )
        response = login(make_user("teacher", room.school)).get(f"/files/{attachment.pk}/")
        # …and served as one: the type comes from the content, never the file name, in a sandbox.
        assert response["Content-Type"] == "image/gif"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]

    def test_non_image_downloads(self, room, make_user, login):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        attachment = Attachment.objects.create(
            school=room.school,
            content_type=ContentType.objects.get_for_model(room),
            object_id=room.pk,
            file=SimpleUploadedFile("x.js", b"%PDF-1.4 alert(1)"),
        )
        response = login(make_user("teacher", room.school)).get(f"/files/{attachment.pk}/")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] in ("application/pdf", "application/octet-stream")

    def test_missing_file_is_404(self, room, make_user, login):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        attachment = Attachment.objects.create(
            school=room.school,
            content_type=ContentType.objects.get_for_model(room),
            object_id=room.pk,
            file=SimpleUploadedFile("p.png", png_bytes()),
        )
        attachment.file.storage.delete(attachment.file.name)
        assert login(make_user("teacher", room.school)).get(f"/files/{attachment.pk}/").status_code == 404


class TestTokenLockout:
    def test_token_endpoint_shares_login_lockout(self, school, make_user, client, settings):
        from rest_framework.test import APIClient

        settings.AXES_FAILURE_LIMIT = 3
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000/min"}}
        make_user("principal", school, username="target")
        api = APIClient()
        for _ in range(2):
            api.post("/api/v1/auth/token/", {"username": "target", "password": "bad"})
        client.post("/accounts/login/", {"username": "target", "password": "bad"})
        response = api.post("/api/v1/auth/token/", {"username": "target", "password": "pw"})
        assert response.status_code == 429 and "token" not in response.json()
        assert "登录失败次数过多" in response.json()["detail"]


def test_secret_key_required_in_production():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"HTTPS": "1", "DEBUG": "0"})
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
