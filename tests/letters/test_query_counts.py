"""The letters inbox and a letter's page cost the same number of queries for 3 rows as for 30.

Inbox rows show the 受付番号, 回付先 (a 課 under its 部), 回答期限 and state;
every letter here is routed to its own 課 under 都市計画部, so a relation
read per row would add a query per row. A letter's page lists its approvals
(with the approver) and its history.
"""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from feedback.models import Submission
from letters.models import LetterApproval, LetterCase
from tests.accounts.factories import DepartmentFactory
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
# Ceilings: the counts measured on SQLite with these fixtures (3 rows or 30,
# the same), so that any new query fails and is looked at. 課 staff also
# read their department scope; a letter's page writes the 閲覧 audit row. The
# inbox also reads the 分野 list for its filter (each row's 分野 is joined).
INBOX_KOUCHOU_QUERIES = 8
INBOX_STAFF_QUERIES = 10
DETAIL_KOUCHOU_QUERIES = 13
DETAIL_STAFF_QUERIES = 13


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def inbox(make_letter, org, people):
    """grow(n): n more letters routed, each to its own 課 under 都市計画部."""
    due = timezone.localdate() + datetime.timedelta(days=5)
    made = []

    def grow(n, *, department=None):
        for _ in range(n):
            case = make_letter()
            ka = department or DepartmentFactory(parent=org["toshi"])
            Submission.objects.filter(pk=case.submission_id).update(department=ka)
            LetterCase.objects.filter(pk=case.pk).update(
                status=LetterCase.Status.ROUTED,
                due_on=due,
                routed_text="青木町公園にベンチを増やしてください。",
                category=letter_category(),
            )
            made.append(case)
        return made

    return grow


@pytest.mark.parametrize(
    ("who", "ceiling"),
    [("kouchou", INBOX_KOUCHOU_QUERIES), ("staff", INBOX_STAFF_QUERIES)],
)
def test_inbox_queries_do_not_grow_with_letters(client, inbox, org, people, who, ceiling):
    client.force_login(people[who])
    # 課 staff see the letters routed to their 課: put them all in 公園課.
    department = org["koen"] if who == "staff" else None
    url = reverse("staff:letter_list")
    client.get(url)  # warm the session and permission caches
    made = inbox(SMALL, department=department)
    small, page = _queries(client, url)
    assert all(case.submission.receipt_number in page for case in made)
    made = inbox(LARGE - SMALL, department=department)
    large, page = _queries(client, url)
    assert all(case.submission.receipt_number in page for case in made)
    assert large == small, f"{large - small} more queries for {LARGE - SMALL} more rows"
    assert small <= ceiling, f"{small} queries, ceiling {ceiling}"


def _add_history(case, people, n):
    """n more rejected approvals, each with an audit row, by three approvers."""
    approvers = [people["kacho"], people["bucho"], people["kouchou"]]
    done = LetterApproval.objects.filter(case=case).count()
    for k in range(done, done + n):
        approver = approvers[k % 3]
        LetterApproval.objects.create(
            case=case,
            stage=LetterApproval.Stage.KACHO,
            approver=approver,
            approved=False,
            comment=f"差し戻し{k}",
        )
        AuditEvent.objects.create(
            actor=approver,
            actor_label=str(approver),
            action="letter.approve",
            target_type="letters.lettercase",
            target_id=str(case.pk),
            summary=f"差し戻し{k}",
        )


@pytest.mark.parametrize(
    ("who", "ceiling"),
    [("kouchou", DETAIL_KOUCHOU_QUERIES), ("staff", DETAIL_STAFF_QUERIES)],
)
def test_letter_page_queries_do_not_grow_with_history(client, inbox, org, people, who, ceiling):
    (case,) = inbox(1, department=org["koen"])
    client.force_login(people[who])
    url = reverse("staff:letter_detail", args=[case.pk])
    client.get(url)  # warm the session and permission caches
    _add_history(case, people, SMALL)
    small, page = _queries(client, url)
    assert "差し戻し2" in page
    _add_history(case, people, LARGE - SMALL)
    large, page = _queries(client, url)
    assert "差し戻し29" in page
    assert large == small, f"{large - small} more queries for {LARGE - SMALL} more rows"
    assert small <= ceiling, f"{small} queries, ceiling {ceiling}"
