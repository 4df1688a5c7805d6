"""Fixtures for the workbench: one case of 道路課 with 課長, 職員 and 広聴."""

import pytest
from django.core.cache import cache

from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU
from nlp.models import SubmissionAnalysis
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory
from tests.feedback.factories import submit


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    bu = DepartmentFactory(code="kensetsu", name="建設部")
    other_bu = DepartmentFactory(code="kodomo", name="子ども部")
    return {
        "road": DepartmentFactory(code="doro", name="道路課", parent=bu),
        "park": DepartmentFactory(code="koen", name="公園課", parent=bu),
        "child": DepartmentFactory(code="hoiku", name="保育課", parent=other_bu),
        "kocho": DepartmentFactory(code="kocho", name="広聴課"),
    }


@pytest.fixture
def people(org):
    return {
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["road"]),
        "kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["road"]),
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=org["kocho"]),
        "outsider": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["child"]),
        "outsider_kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["child"]),
    }


@pytest.fixture
def case(org):
    consultation = ConsultationFactory(department=org["road"], title="川口市道路整備計画（案）")
    sections = [
        DraftSectionFactory(consultation=consultation, number="2-1", heading="歩道の整備", order=1),
        DraftSectionFactory(consultation=consultation, number="3-1", heading="自転車通行空間", order=2),
    ]
    return consultation, sections


def analyse(submission, masked_text=None, key_phrases=(), version="test-1"):
    """Store an NLP result as the engine would (masked text, key phrases)."""
    return SubmissionAnalysis.objects.create(
        submission=submission,
        model_version=version,
        masked_text=submission.body if masked_text is None else masked_text,
        key_phrases=list(key_phrases),
    )


CAMPAIGN = "歩道の段差をなくしてください。車いすで通れません。"
MULTI = (
    "いつもお世話になっております。川口太郎です。\n歩道の幅を広げてください。\n自転車レーンを青色で塗装してください。"
)
MULTI_MASKED = (
    "いつもお世話になっております。［氏名］です。\n歩道の幅を広げてください。\n自転車レーンを青色で塗装してください。"
)


@pytest.fixture
def submissions(case):
    """Three campaign copies (web, post, fax), one multi-point letter, one e-mail."""
    consultation, sections = case
    copies = [submit(consultation, body=CAMPAIGN, channel=channel) for channel in ("web", "post", "fax")]
    for copy in copies:
        type(copy).objects.filter(pk=copy.pk).update(duplicate_group_key="campaign-1")
        copy.refresh_from_db()
        analyse(copy, key_phrases=["歩道", "段差", "車いす"])
    multi = submit(consultation, body=MULTI, channel="web", section=sections[0])
    analyse(multi, masked_text=MULTI_MASKED, key_phrases=["歩道", "自転車レーン"])
    other = submit(consultation, body="街路樹の落ち葉を清掃してほしい。", channel="email")
    analyse(other)
    return {"copies": copies, "multi": multi, "other": other}
