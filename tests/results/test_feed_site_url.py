"""The Atom feed links to the public site (KOE_SITE_URL), never https://example.com.

Django's Feed took the host from django.contrib.sites, whose row says
"example.com", so every link a feed reader followed went there, and entry ids
were bare strings ("consultation-3-結果公表-20261128"), not the IRIs Atom
requires.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from consultations.models import Consultation
from core.checks import site_url_check
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://koe.city.kawaguchi.lg.jp"


def _feed(client):
    response = client.get("/consultations/feed.atom")
    assert response.status_code == 200
    return response.content.decode(), ET.fromstring(response.content)


@pytest.fixture
def cases(settings):
    settings.KOE_SITE_URL = SITE
    now = timezone.now()
    return {
        "open": ConsultationFactory(title="新しい計画案", closes_at=now + datetime.timedelta(days=20)),
        "closing": ConsultationFactory(title="締切の近い計画案", closes_at=now + datetime.timedelta(days=2)),
        "published": ConsultationFactory(
            title="結果の出た計画案", status=Consultation.Status.PUBLISHED, published_at=now
        ),
    }


def test_every_link_is_on_the_public_site(client, cases):
    text, root = _feed(client)
    assert "example.com" not in text
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert len(links) == 2 + 3  # alternate + self, one per entry
    assert all(href.startswith(SITE + "/") for href in links), links
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/consultations/feed.atom"
    assert root.find(f"{ATOM}id").text == f"{SITE}/consultations/"
    entries = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}
    assert entries["【結果公表】結果の出た計画案"] == f"{SITE}/consultations/{cases['published'].pk}/results/"
    assert entries["【意見募集開始】新しい計画案"] == f"{SITE}/consultations/{cases['open'].pk}/"


def test_entry_ids_are_stable_unique_tag_uris(client, cases):
    _text, root = _feed(client)
    ids = [entry.find(f"{ATOM}id").text for entry in root.iter(f"{ATOM}entry")]
    assert len(set(ids)) == 3
    assert all(i.startswith("tag:koe.city.kawaguchi.lg.jp,") for i in ids), ids
    pk = cases["published"].pk
    day = timezone.localdate(cases["published"].published_at)
    assert f"tag:koe.city.kawaguchi.lg.jp,{day:%Y-%m-%d}:consultation/{pk}/published" in ids
    assert ids == [entry.find(f"{ATOM}id").text for entry in _feed(client)[1].iter(f"{ATOM}entry")]


def test_the_site_url_may_carry_a_path_prefix(client, settings):
    settings.KOE_SITE_URL = "https://www.city.example.lg.jp/koe"
    ConsultationFactory()
    _text, root = _feed(client)
    assert (
        root.find(f"{ATOM}link[@rel='self']").get("href")
        == "https://www.city.example.lg.jp/koe/consultations/feed.atom"
    )


def test_deploy_check_warns_about_a_local_or_plain_http_site_url(settings):
    for url in ("http://127.0.0.1:8000", "http://koe.city.example.jp", "https://localhost"):
        settings.KOE_SITE_URL = url
        assert [w.id for w in site_url_check(None)] == ["core.W001"], url
    settings.KOE_SITE_URL = SITE
    assert site_url_check(None) == []
