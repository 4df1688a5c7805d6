import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from consultations.models import Consultation
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client):
    response = client.get("/consultations/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return {e.find(f"{ATOM}title").text: e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}


def test_feed_announces_opening_closing_soon_and_published_results(client):
    now = timezone.now()
    opened = ConsultationFactory(title="新しい計画案", closes_at=now + datetime.timedelta(days=20))
    closing = ConsultationFactory(title="締切の近い計画案", closes_at=now + datetime.timedelta(days=2))
    published = ConsultationFactory(title="結果の出た計画案", status=Consultation.Status.PUBLISHED, published_at=now)
    ConsultationFactory(title="準備中の計画案", status=Consultation.Status.DRAFT)

    entries = _entries(client)

    assert entries["【意見募集開始】新しい計画案"].endswith(f"/consultations/{opened.pk}/")
    assert entries["【締切間近】締切の近い計画案"].endswith(f"/consultations/{closing.pk}/")
    assert entries["【結果公表】結果の出た計画案"].endswith(f"/consultations/{published.pk}/results/")
    assert not any("準備中" in title for title in entries)


def test_feed_escapes_titles(client):
    ConsultationFactory(title="<script>x</script>案")
    response = client.get("/consultations/feed.atom")
    assert b"<script>x</script>" not in response.content
    assert "【意見募集開始】<script>x</script>案" in _entries(client)
