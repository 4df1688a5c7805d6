"""Published results download while Redis (the XLSX cache) is down."""

import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from tests.support.outage import cache_down  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_results_xlsx_is_served_while_redis_is_down(client, published_case, cache_down):  # noqa: F811
    consultation, _groups = published_case

    first = client.get(reverse("results:xlsx", args=[consultation.pk]))
    again = client.get(reverse("results:xlsx", args=[consultation.pk]))

    assert first.status_code == again.status_code == HTTPStatus.OK
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(first.content)).active["C1"].value == "案件名"
    # Built once, then kept in this process's memory until Redis is back.
    assert again.content == first.content
