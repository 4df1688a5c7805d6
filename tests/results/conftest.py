"""A パブリック・コメント of 道路課, answered and approved on the workbench."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU
from consultations.services import consultation_close
from feedback.models import Submission
from opinions.models import OpinionGroup
from opinions.services.answers import (
    opinion_group_review,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.seeding import opinion_groups_seed
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory
from tests.feedback.factories import submit
from tests.plans.factories import IndicatorFactory

SUBMITTER_NAME = "川口花子"
CAMPAIGN = "歩道の段差をなくしてください。車いすで通れません。"
WITHHELD_BODY = "隣家の山田一郎氏の庭木が道路にはみ出しているので対処してほしい。"
WITHHELD_SUMMARY = "特定の個人宅の庭木に関する意見"
INJECTION = "=cmd|' /C calc'!A0"
TRICKY_RESPONSE = "検討します、ただし\n予算の範囲内で行います。"
DECIDED_ON = datetime.date(2026, 3, 10)
FINAL_URL = "https://www.city.kawaguchi.lg.jp/soshiki/doro/keikaku.html"
REVISION_SUMMARY = "「2-1 歩道の整備」に、段差の解消を優先して進めることを追記しました。"


@pytest.fixture
def people(db):
    bu = DepartmentFactory(code="kensetsu", name="建設部")
    road = DepartmentFactory(code="doro", name="道路課", parent=bu)
    kocho = DepartmentFactory(code="kocho", name="広聴課")
    return {
        "road": road,
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=road),
        "kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=road),
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=kocho),
        # 広聴確認 by another 広聴: the one who checks may not also approve (職務の分離).
        "kouchou_check": StaffUserFactory(roles=[KOUCHOU], department=kocho),
    }


def approve(group, people):
    opinion_group_review(actor=people["kacho"], group=group, action="approve_department")
    opinion_group_review(actor=people["kouchou_check"], group=group, action="check")
    opinion_group_review(actor=people["kouchou"], group=group, action="approve")


@pytest.fixture
def closed_case(people):
    """A closed case with every group answered; nothing approved yet.

    Groups: the campaign (3 copies, 同趣旨 3件, revised), a formula-like
    summary from a named submitter, and a withheld group.
    """
    consultation = ConsultationFactory(
        department=people["road"],
        title="川口市道路整備計画（案）",
        # 決定版 and 差異, entered in the admin before publication.
        final_url=FINAL_URL,
        revision_summary=REVISION_SUMMARY,
    )
    section = DraftSectionFactory(consultation=consultation, number="2-1", heading="歩道の整備", order=1)
    for channel in ("web", "post", "fax"):
        copy = submit(consultation, body=CAMPAIGN, channel=channel)
        Submission.objects.filter(pk=copy.pk).update(duplicate_group_key="campaign-1")
    named = submit(
        consultation,
        body="街路樹の落ち葉を清掃してほしい。",
        channel="email",
        identity={"name": SUBMITTER_NAME, "email": "hanako@example.jp"},
    )
    withheld = submit(consultation, body=WITHHELD_BODY, channel="web")
    consultation_close(consultation=consultation, actor=people["kouchou"])
    opinion_groups_seed(actor=people["staff"], consultation=consultation)

    groups = {}
    for group in OpinionGroup.objects.filter(consultation=consultation):
        submission_ids = set(group.items.values_list("submission_id", flat=True))
        if named.pk in submission_ids:
            groups["named"] = opinion_group_update(
                actor=people["staff"],
                group=group,
                summary=INJECTION,
                response=TRICKY_RESPONSE,
                decision=OpinionGroup.Decision.REFERENCE,
                revised=False,
                revised_text="",
                section=None,
            )
        elif withheld.pk in submission_ids:
            group = opinion_group_update(
                actor=people["staff"],
                group=group,
                summary=WITHHELD_SUMMARY,
                response="個別に対応します。",
                decision=OpinionGroup.Decision.DIFFICULT,
                revised=False,
                revised_text="",
                section=None,
            )
            groups["withheld"] = opinion_group_withhold(
                actor=people["staff"], group=group, reason="第三者の私生活に関わるため"
            )
        else:
            groups["campaign"] = opinion_group_update(
                actor=people["staff"],
                group=group,
                summary="歩道の段差の解消を求める意見",
                response="段差の解消を順次進めます。",
                decision=OpinionGroup.Decision.REFLECTED,
                revised=True,
                revised_text="段差の解消を優先して進めます。",
                section=section,
            )
    assert set(groups) == {"named", "withheld", "campaign"}
    return consultation, groups


@pytest.fixture
def approved_case(closed_case, people):
    consultation, groups = closed_case
    for group in groups.values():
        approve(group, people)
    return consultation, groups


@pytest.fixture
def published_case(approved_case, people):
    from results.services.publication import results_publish

    consultation, groups = approved_case
    consultation = results_publish(consultation=consultation, actor=people["kouchou"], decided_on=DECIDED_ON)
    return consultation, groups


# ---- A survey with a 目標指標 (results of 市民意識調査) ----


@pytest.fixture
def survey(db):
    # Opened 2026-05-01 (JST) → 令和8年度 = fiscal 2026
    opens = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 0))
    department = DepartmentFactory(code="kikaku", name="企画課")
    return ConsultationFactory(
        survey=True,
        department=department,
        opens_at=opens,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.fixture
def indicator(db):
    return IndicatorFactory(measurement="survey", baseline_value="33.9", survey_method="top2")
