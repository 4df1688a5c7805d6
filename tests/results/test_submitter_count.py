"""提出者数 per signer or per 提出 as the city configures (KOE_SUBMITTER_COUNT, #15), and the header saying which."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.models import Consultation
from consultations.services import consultation_close
from opinions.models import OpinionGroup
from opinions.selectors.groups import OpinionCounts, opinion_counts
from opinions.services.answers import opinion_group_update
from opinions.services.seeding import opinion_groups_seed
from results.services.publication import results_publish
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

from .conftest import DECIDED_ON, approve

pytestmark = pytest.mark.django_db

SIGNERS_RULE = "連名の提出は名前を連ねた方を1人ずつ、団体の提出は1団体として数えています。"
SUBMISSIONS_RULE = "1通の提出を1として数えています（連名・団体の提出も1通で1）。"


# 決定版 and 差異, which publication asks for where the model records them.
FINAL = {"final_url": "https://www.city.kawaguchi.lg.jp/soshiki/doro/hodo.html", "unrevised": True}


def _final_fields() -> dict:
    names = {f.name for f in Consultation._meta.get_fields()}
    return {key: value for key, value in FINAL.items() if key in names}


@pytest.fixture
def mixed_case(people):
    """One resident (web), one 団体 (郵送) and one 連名 of three (郵送), every group approved."""
    consultation = ConsultationFactory(department=people["road"], title="川口市歩道整備計画（案）", **_final_fields())
    submit(consultation, body="歩道の幅を広げてください。", channel="web", identity={"name": "川口 太郎"})
    submit(
        consultation,
        body="通学路に横断歩道を増やしてください。",
        channel="post",
        identity={"organization": "青木町会", "representative": "青木 一郎"},
    )
    submit(
        consultation,
        body="街路灯を増やしてください。",
        channel="post",
        identity={
            "submitter_kind": "joint",
            "name": "芝 花子",
            "signers": [{"name": "芝 次郎"}, {"name": "芝 三郎", "address": "川口市芝1-1-1"}],
        },
    )
    consultation_close(consultation=consultation, actor=people["kouchou"])
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    for number, group in enumerate(OpinionGroup.objects.filter(consultation=consultation), start=1):
        group = opinion_group_update(
            actor=people["staff"],
            group=group,
            summary=f"歩道と街路の整備を求める意見{number}",
            response="順次検討します。",
            decision=OpinionGroup.Decision.REFERENCE,
            revised=False,
            revised_text="",
            section=None,
        )
        approve(group, people)
    return consultation


def test_per_submission_a_joint_submission_counts_once(settings, mixed_case):
    settings.KOE_SUBMITTER_COUNT = "submissions"
    counts = opinion_counts(consultation=mixed_case)
    assert (counts.submitters, counts.submissions, counts.submitter_rule) == (3, 3, "submissions")
    assert (counts.organizations, counts.joint_submissions, counts.joint_signers) == (1, 1, 3)
    assert {c.channel: c.submitters for c in counts.by_channel} == {"web": 1, "post": 2}


def test_per_signer_each_named_person_counts_and_an_organisation_once(settings, mixed_case):
    settings.KOE_SUBMITTER_COUNT = "signers"
    counts = opinion_counts(consultation=mixed_case)
    assert (counts.submitters, counts.submissions, counts.submitter_rule) == (5, 3, "signers")
    assert {c.channel: (c.submitters, c.submissions) for c in counts.by_channel} == {"web": (1, 1), "post": (4, 2)}
    # 意見件数 does not change with the rule.
    assert counts.items == 3 and counts.reconciled


def _page(client, consultation):
    response = client.get(reverse("results:detail", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_results_header_says_it_counted_per_signer_and_keeps_that_rule(client, settings, mixed_case, people):
    settings.KOE_SUBMITTER_COUNT = "signers"
    results_publish(consultation=mixed_case, actor=people["kouchou"], decided_on=DECIDED_ON)
    page = _page(client, mixed_case)
    assert "5人・団体" in page and SIGNERS_RULE in page
    assert "うち団体からの提出1通、連名の提出1通（3人）。" in page
    assert "郵送 4人（2件）" in page
    data = client.get(reverse("results:json", args=[mixed_case.pk])).json()["counts"]
    assert (data["submitters"], data["submissions"], data["submitter_count_rule"]) == (5, 3, "signers")
    # The signers' names are never published.
    assert "芝 次郎" not in page and "青木 一郎" not in page

    # The published record keeps the rule it was counted with.
    settings.KOE_SUBMITTER_COUNT = "submissions"
    page = _page(client, mixed_case)
    assert "5人・団体" in page and SIGNERS_RULE in page and SUBMISSIONS_RULE not in page


def test_the_results_header_says_it_counted_per_submission(client, settings, mixed_case, people):
    settings.KOE_SUBMITTER_COUNT = "submissions"
    results_publish(consultation=mixed_case, actor=people["kouchou"], decided_on=DECIDED_ON)
    page = _page(client, mixed_case)
    assert "3人（通）" in page and SUBMISSIONS_RULE in page and SIGNERS_RULE not in page
    assert "郵送 2人（2件）" in page


def test_the_workbench_shows_the_same_rule(client, settings, mixed_case, people):
    settings.KOE_SUBMITTER_COUNT = "signers"
    client.force_login(people["staff"])
    page = client.get(reverse("staff:workbench_table", args=[mixed_case.pk])).content.decode()
    assert "5人・団体" in page and SIGNERS_RULE in page


def test_counts_published_before_the_rule_existed_read_as_per_submission():
    stored = {
        "submissions": 4,
        "items": 6,
        "grouped_items": 6,
        "ungrouped_items": 0,
        "groups": 2,
        "revised_groups": 1,
        "withheld_groups": 0,
        "by_channel": [{"channel": "web", "label": "ウェブフォーム", "submissions": 4, "items": 6}],
        "by_group": {"1": 3, "2": 3},
        "issues": [],
    }
    counts = OpinionCounts.from_json(stored)
    assert (counts.submitters, counts.submitter_rule, counts.by_channel[0].submitters) == (4, "submissions", 4)
    assert OpinionCounts.from_json(counts.to_json()) == counts


def test_an_unknown_rule_stops_the_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings.base as base

    monkeypatch.setenv("KOE_SUBMITTER_COUNT", "people")
    with pytest.raises(ImproperlyConfigured, match="KOE_SUBMITTER_COUNT"):
        importlib.reload(base)
    monkeypatch.delenv("KOE_SUBMITTER_COUNT")
    importlib.reload(base)
