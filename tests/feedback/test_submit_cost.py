"""The final 送信 of the web form is the deadline's hot path: it costs a fixed, small number of queries.

Measured for bench/load (python -m bench load): the consultation was read with
the detail page's prefetches (施策, attachments, questions and choices, 部課
joins), a third of the request's time, none of it used by the form.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.models import Submission
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

pytestmark = pytest.mark.django_db

FORM = {
    "step": "submit",
    "section": "",
    "section_text": "",
    "body": "駅前の駐輪場を増やしてください。",
    "eligibility": "resident",
    "name": "川口 太郎",
    "address": "川口市青木2-1-1",
}


def _submit_queries(client, consultation) -> list[str]:
    """The queries of one resident's final POST (a new browser session each time)."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/consultations/{consultation.pk}/submit/", FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    return [q["sql"] for q in queries.captured_queries]


def test_the_final_post_reads_the_consultation_once_and_its_sections_once(client):
    consultation = ConsultationFactory()
    DraftSectionFactory(consultation=consultation, number="1", heading="目的")
    sql = _submit_queries(client, consultation)
    assert Submission.objects.filter(consultation=consultation).count() == 1
    reads = [q for q in sql if q.startswith("SELECT") and "consultations_" in q.split(" WHERE ")[0].split(" FROM ")[-1]]
    tables = [q.split(" FROM ")[1].split()[0].strip('"') for q in reads]
    # The consultation (and, for validating the FK, its existence) and its 該当箇所; no 施策, attachments or questions.
    assert not {"consultations_attachment", "consultations_question", "consultations_choice"} & set(tables), tables
    assert not any("plans_policy" in q.split(" WHERE ")[0] for q in sql), "the 施策 of the consultation were read"
    assert tables.count("consultations_draftsection") == 1, tables


def test_the_final_post_costs_the_same_with_many_sections(client):
    few, many = ConsultationFactory(), ConsultationFactory()
    DraftSectionFactory(consultation=few, number="1")
    for n in range(30):
        DraftSectionFactory(consultation=many, number=str(n + 1))
    _submit_queries(client, few)  # the year's 受付番号 sequence row is created once
    assert len(_submit_queries(client, many)) == len(_submit_queries(client, few))
