"""The 受付番号 sequence lock is held only at the end of intake.

Every intake of one prefix (all パブリック・コメント of a year) waits on the
sequence's row lock until the holder commits. At a deadline, when residents
send at once, whatever intake does after taking it — identity, answers,
signals, audit row — is done one resident at a time; taken last, the lock
covers two UPDATEs and the commit (``python -m bench load --quick`` gave
31/s before and 59/s after, one run each on 2 cores).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Submission
from feedback.services import submission_create
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def _statement_index(queries, pattern):
    return next(i for i, q in enumerate(queries) if re.search(pattern, q["sql"]))


def test_the_receipt_sequence_is_locked_after_every_other_write_of_intake():
    consultation = ConsultationFactory()
    with CaptureQueriesContext(connection) as captured:
        submission = submission_create(
            consultation=consultation,
            channel="web",
            body="駅前の駐輪場を増やしてください。",
            identity={"name": "川口 花子", "address": "川口市青木1-1-1"},
        )
    queries = captured.captured_queries
    locked = _statement_index(queries, r'(FROM|UPDATE) "feedback_receiptsequence"')
    for table in ("feedback_submission", "feedback_submitteridentity", "core_auditevent"):
        written = _statement_index(queries, rf'INSERT INTO "{table}"')
        assert written < locked, f"{table} was written while the 受付番号 lock was held"
    submission.refresh_from_db()
    assert re.fullmatch(r"PC-\d{4}-000001", submission.receipt_number)


def test_no_stand_in_number_is_ever_committed():
    consultation = ConsultationFactory()
    for n in range(3):
        submission_create(consultation=consultation, channel="web", body=f"{n}件目の意見です。")
    numbers = sorted(Submission.objects.values_list("receipt_number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    assert not any(n.startswith("~") for n in numbers)
