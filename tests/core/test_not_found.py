"""A link outside a person's units, or to nothing, shows the product's own page in every mode."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.demands import filings

pytestmark = pytest.mark.django_db


def test_an_out_of_scope_filing_shows_the_product_page_not_the_debug_page_in_development(cast, settings):
    settings.DEBUG = True
    draft = filings.file_document(cast, targets=[(cast.township_a, False)])
    response = cast.client(cast.cadre_b).get(f"/demands/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 404
    assert "outside the units you can see" in html
    assert "URLconf" not in html and "Using the URLconf" not in html and "demands/&lt;int:pk&gt;" not in html


def test_an_unknown_address_shows_the_product_page_with_debug_on(cast, settings):
    settings.DEBUG = True
    response = cast.client(cast.cadre_a).get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert "outside the units you can see" in html and "URLconf" not in html
    assert "李镇" in html  # the product's frame, with the person's name in the top bar


def test_the_technical_page_stays_available_behind_its_own_setting(cast, settings):
    settings.DEBUG = True
    settings.JIANFU_DEBUG_404 = True
    response = cast.client(cast.cadre_a).get("/no-such-page/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()


def test_the_api_keeps_its_json_not_found(cast, settings):
    settings.DEBUG = True
    response = cast.client(cast.cadre_b).get("/api/v1/demands/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_anonymous_visitor_gets_the_product_page_too(db, settings):
    settings.DEBUG = True
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "URLconf" not in response.content.decode()
