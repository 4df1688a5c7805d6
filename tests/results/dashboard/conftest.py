import datetime

import pytest
from django.utils import timezone

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from feedback.models import Submission
from letters.models import LetterCase
from nlp.models import DuplicateGroup
from tests.accounts.factories import DepartmentFactory, StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory

JST = datetime.timezone(datetime.timedelta(hours=9))


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=JST)


def received(submission, moment, **fields):
    """Move a submission to a given 受付日時 (and set triage fields) without touching its text."""
    Submission.objects.filter(pk=submission.pk).update(submitted_at=moment, **fields)


@pytest.fixture
def city(db):
    """Eight submissions over two 年度 and three letters, with known answers.

    Counted (withdrawn excluded): 7 submissions; 施策1: 4 (2 confirmed),
    施策3: 1, 未分類: 2; campaign members: 2; March 2026 (年度2025): 2,
    April 2026 (年度2026): 5 — one of them at 00:30 JST on 1 April, which is
    still 31 March in UTC.
    """
    kyodo, koen = (
        DepartmentFactory(code="kyodo", name="協働推進課"),
        DepartmentFactory(code="koen", name="公園課"),
    )
    policy1 = PolicyFactory(code="VI-1", number=1, title="地域のつながりづくり")
    policy3 = PolicyFactory(code="VI-3", number=3, title="多文化共生")
    pc = ConsultationFactory(department=kyodo, title="協働推進計画（案）")
    letters = ConsultationFactory(letter=True)
    s = [submit(pc, body=f"意見{n}です。", channel="post" if n % 3 == 0 else "web") for n in range(8)]
    received(s[0], at(2026, 3, 10, 12), policy=policy1, department=kyodo)
    received(s[1], at(2026, 3, 31, 23), suggested_policy=policy1, suggestion_confidence=0.4)
    received(
        s[2],
        at(2026, 4, 1, 0, 30),
        policy=policy1,
        department=kyodo,
        duplicate_group_key="camp",
    )
    received(s[3], at(2026, 4, 2, 9), suggested_policy=policy1, duplicate_group_key="camp")
    received(s[4], at(2026, 4, 3, 9), suggested_policy=policy3)
    received(s[5], at(2026, 4, 4, 9))
    received(s[6], at(2026, 4, 5, 9))
    received(s[7], at(2026, 4, 6, 9), policy=policy3)
    Submission.objects.filter(pk=s[7].pk).update(status=Submission.Status.WITHDRAWN)
    DuplicateGroup.objects.create(consultation=pc, key="camp", size=2)
    DuplicateGroup.objects.create(consultation=pc, key="single", size=1)

    today = timezone.localdate()
    outcomes = {
        "on_time": {
            "due_on": today - datetime.timedelta(days=5),
            "sent_at": timezone.now() - datetime.timedelta(days=8),
        },
        "late": {
            "due_on": today - datetime.timedelta(days=10),
            "sent_at": timezone.now() - datetime.timedelta(days=2),
        },
        "overdue": {"due_on": today - datetime.timedelta(days=1)},
        "open": {"due_on": today + datetime.timedelta(days=3)},
    }
    for name, fields in outcomes.items():
        case = submit(letters, body=f"手紙 {name}").letter_case
        Submission.objects.filter(pk=case.submission_id).update(department=koen)
        LetterCase.objects.filter(pk=case.pk).update(**fields)
    return {
        "pc": pc,
        "policy1": policy1,
        "policy3": policy3,
        "kyodo": kyodo,
        "koen": koen,
        "submissions": s,
        "kouchou": StaffUserFactory(roles=[KOUCHOU]),
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo),
        "citizen": UserFactory(),
    }
