"""An upload over the size limit is refused on the form, beside what was chosen, without storing anything."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jianfu.org.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.JIANFU_MAX_UPLOAD_MB = 1


def too_large(name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "登录名,姓名\n".encode() + b"x" * (1024 * 1024 + 200 * 1024), "text/csv")


def test_a_file_over_the_limit_is_refused_on_the_form_keeping_the_kind_chosen(cast):
    response = cast.client(cast.officer).post(reverse("org:import_list"), {"kind": "people", "file": too_large()},
                                              HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    form = response.context["form"]
    assert form.is_bound and form["kind"].value() == "people"
    assert form.errors["file"] == ["The file is larger than 1 MB."]
    page = response.content.decode()
    assert "The file is larger than 1 MB." in page and "This field is required" not in page
    assert re.search(r'<input[^>]*value="people"[^>]*checked', page)  # the choice made is still chosen
    assert not ImportJob.objects.exists()


def test_the_limit_holds_with_csrf_checks_on_as_in_production(cast):
    """The view reads the upload itself (to drop an oversized file unread), and still refuses a forged post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)
    client.get(reverse("org:import_list"))
    token = client.cookies["csrftoken"].value
    forged = client.post(reverse("org:import_list"), {"kind": "units", "file": too_large("u.csv")})
    assert forged.status_code == 403
    refused = client.post(reverse("org:import_list"), {"kind": "units", "file": too_large("u.csv"),
                                                        "csrfmiddlewaretoken": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 413
    assert refused.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    small = SimpleUploadedFile("u.csv", "代码,名称,类型,上级代码\n".encode(), "text/csv")
    accepted = client.post(reverse("org:import_list"), {"kind": "units", "file": small, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert ImportJob.objects.count() == 1


def test_someone_without_the_organisation_permission_cannot_upload_even_a_small_file(cast):
    small = SimpleUploadedFile("u.csv", "代码,名称,类型,上级代码\n".encode(), "text/csv")
    assert cast.client(cast.cadre_b).post(reverse("org:import_list"), {"kind": "units", "file": small}
                                          ).status_code == 404
    assert not ImportJob.objects.exists()
