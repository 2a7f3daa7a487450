"""An edit page posted back as it was shown saves (nothing typed again): its date boxes carry the saved
dates in the one format a browser's date box shows (YYYY-MM-DD). Django's zh-Hans formats wrote
2021/08/17, which a date box shows empty — the form then refused to save for want of a purchase date."""

import datetime
from html.parser import HTMLParser

import pytest

from assets.models import Asset
from logistics.accounts.roles import Role

from .factories import make_asset

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would send for the page's form with the given action."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.values, self.dates = action, False, {}, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action", "") in ("", self.action) and a.get("method", "").lower() == "post"
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "file"):
                self.values[name] = a.get("value", "")
                if kind == "date":
                    self.dates[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def test_the_asset_edit_page_saves_as_shown(school, make_user, login):
    asset = make_asset(school, purchase_date=datetime.date(2021, 8, 17), warranty_end=datetime.date(2024, 8, 16))
    client = login(make_user(Role.LOGISTICS_HEAD, school))
    url = f"/assets/assets/{asset.pk}/edit/"
    form = FormValues(url)
    form.feed(client.get(url).content.decode())
    assert form.dates["purchase_date"] == "2021-08-17" and form.dates["warranty_end"] == "2024-08-16"
    response = client.post(url, {**form.values, "name": "改名后的设备"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    asset = Asset.objects.get(pk=asset.pk)
    assert asset.name == "改名后的设备" and asset.purchase_date == datetime.date(2021, 8, 17)


def test_input_formats_a_browser_box_shows(settings):
    """Every language's first input formats are the ones the date and datetime-local boxes take."""
    from django.utils import formats, translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d", code
            assert formats.get_format("DATETIME_INPUT_FORMATS")[0] == "%Y-%m-%dT%H:%M", code
