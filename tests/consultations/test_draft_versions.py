"""案の版 (#15): a draft changed after 公示 becomes a new version with its reason, an
audit row and a public 変更履歴 with a diff; each submission records the version it
was written against, which staff see on its page."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMIN, KOUCHOU
from consultations.drafts import DraftEdit, consultation_draft_revise
from consultations.models import Attachment, Consultation, DraftSection, DraftVersion
from core.models import AuditEvent
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory
from tests.feedback.factories import submit
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
BODY = "歩道の段差を解消します。"
NEW_BODY = "歩道の段差を令和9年度までに解消します。"
REASON = "実施時期が決まったため、本文に追記しました。"


@pytest.fixture
def actor():
    return StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)


@pytest.fixture
def announced():
    """募集中 since yesterday, with one 該当箇所."""
    case = ConsultationFactory(title="川口市道路整備計画（案）")
    section = DraftSectionFactory(consultation=case, number="2-1", heading="歩道の整備", body=BODY, order=1)
    return case, section


def _revise_body(case, section, actor, body=NEW_BODY, reason=REASON):
    section.body = body
    return consultation_draft_revise(actor=actor, consultation=case, edits=[DraftEdit(obj=section)], reason=reason)


def _text(html: str) -> str:
    """The page without its tags (a change's label sits in <span lang="ja">)."""
    return re.sub(r"<[^>]+>", "", html)


# ---- The service ----


def test_a_change_after_koji_is_version_2_with_an_audit_row(announced, actor):
    case, section = announced

    version = _revise_body(case, section, actor)

    assert version.number == 2
    case.refresh_from_db()
    section.refresh_from_db()
    assert case.draft_version == 2 and section.body == NEW_BODY
    stored = DraftVersion.objects.get(consultation=case)
    assert stored.reason == REASON and stored.created_by == actor
    assert stored.changes == [
        {"kind": "section", "action": "changed", "label": "2-1 歩道の整備", "fields": {"body": [BODY, NEW_BODY]}}
    ]
    event = AuditEvent.objects.get(action="consultation.draft_revise")
    assert (event.target_type, event.target_id) == ("consultations.consultation", str(case.pk))
    assert event.actor == actor
    assert event.before == {"draft_version": 1}
    assert event.after["draft_version"] == 2 and event.after["reason"] == REASON
    assert event.after["changes"] == [
        {"kind": "section", "action": "changed", "label": "2-1 歩道の整備", "fields": ["body"]}
    ]


def test_every_further_change_is_the_next_version(announced, actor):
    case, section = announced
    _revise_body(case, section, actor)
    assert _revise_body(case, section, actor, body="歩道の段差を令和10年度までに解消します。").number == 3
    case.refresh_from_db()
    assert case.draft_version == 3 and DraftVersion.objects.filter(consultation=case).count() == 2


def test_before_koji_a_draft_changes_freely(actor):
    case = ConsultationFactory(status=Consultation.Status.DRAFT)
    section = DraftSectionFactory(consultation=case, body=BODY)

    assert _revise_body(case, section, actor, reason="") is None

    case.refresh_from_db()
    section.refresh_from_db()
    assert section.body == NEW_BODY and case.draft_version == 1
    assert not DraftVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="consultation.draft_revise").exists()


def test_a_scheduled_case_whose_start_has_come_is_announced(actor):
    case = ConsultationFactory(status=Consultation.Status.SCHEDULED)  # opens_at yesterday, beat not run yet
    section = DraftSectionFactory(consultation=case, body=BODY)
    assert _revise_body(case, section, actor).number == 2


def test_a_change_after_koji_needs_a_reason(announced, actor):
    case, section = announced
    with pytest.raises(ValidationError) as exc:
        _revise_body(case, section, actor, reason=" ")
    assert exc.value.message_dict["reason"] == ["案を変更する理由を入力してください（空白だけでは送信できません）。"]
    section.refresh_from_db()
    case.refresh_from_db()
    assert section.body == BODY and case.draft_version == 1
    assert not DraftVersion.objects.exists()


def test_a_section_cannot_be_deleted_after_koji(announced, actor):
    case, section = announced
    with pytest.raises(ValidationError, match="公示後は該当箇所「2-1 歩道の整備」を削除できません"):
        consultation_draft_revise(
            actor=actor, consultation=case, edits=[DraftEdit(obj=section, delete=True)], reason=REASON
        )
    assert DraftSection.objects.filter(pk=section.pk).exists()


def test_moving_a_section_is_no_new_version(announced, actor):
    case, section = announced
    section.order = 5
    assert consultation_draft_revise(actor=actor, consultation=case, edits=[DraftEdit(obj=section)]) is None
    section.refresh_from_db()
    case.refresh_from_db()
    assert section.order == 5 and case.draft_version == 1


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_a_published_or_withdrawn_case_keeps_its_last_draft(announced, actor, status):
    case, section = announced
    Consultation.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="の案件の案は変更できません"):
        _revise_body(case, section, actor)
    section.refresh_from_db()
    assert section.body == BODY


def test_a_replaced_file_stays_linked_from_the_history(client, announced, actor):
    case, _section = announced
    attachment = Attachment.objects.create(consultation=case, title="計画案本文", is_draft=True)
    attachment.file.save("keikaku-an.pdf", ContentFile(b"%PDF-1.4 first"), save=True)
    old_name = attachment.file.name

    attachment.file = SimpleUploadedFile("keikaku-an-2.pdf", b"%PDF-1.4 second")
    added = Attachment(consultation=case, title="参考資料（交通量調査）")
    added.file = SimpleUploadedFile("chosa.pdf", b"%PDF-1.4 survey")
    version = consultation_draft_revise(
        actor=actor,
        consultation=case,
        edits=[DraftEdit(obj=attachment), DraftEdit(obj=added)],
        reason="誤字を直した本文に差し替え、調査結果を追加しました。",
    )

    attachment.refresh_from_db()
    assert version.changes[0]["fields"] == {"file": [old_name, attachment.file.name]}
    assert version.changes[1]["action"] == "added" and version.changes[1]["label"] == "参考資料（交通量調査）"
    html = client.get(reverse("consultations:detail", args=[case.pk])).content.decode()
    assert "資料「計画案本文」のファイルを変更" in _text(html) and "資料「参考資料（交通量調査）」を追加" in _text(html)
    assert '資料「<span lang="ja">計画案本文</span>」' in html  # what staff typed is marked as Japanese
    assert f'href="{attachment.file.storage.url(old_name)}"' in html  # the earlier file
    assert f'href="{attachment.file.url}"' in html


# ---- The public page ----


def test_the_page_shows_the_version_and_the_history_with_a_diff(client, announced, actor):
    case, section = announced
    _revise_body(case, section, actor)
    today = timezone.localdate()

    html = client.get(reverse("consultations:detail", args=[case.pk])).content.decode()

    assert "案の版" in html and f"第2版（{today.year}年{today.month}月{today.day}日" in html
    assert 'id="draft-history"' in html and "変更履歴" in html
    assert "現在の案は第2版です" in html
    assert "該当箇所「2-1 歩道の整備」の本文を変更" in _text(html)
    assert "<ins>〔追加：令和9年度までに〕</ins>" in html  # the one diff notation
    assert "前の版との違い" in html
    assert REASON in html
    assert NEW_BODY in html  # the current text


def test_an_unchanged_draft_is_version_1_without_a_history(client, announced):
    case, _section = announced
    html = client.get(reverse("consultations:detail", args=[case.pk])).content.decode()
    assert "第1版（公示のとおり）" in html
    assert 'id="draft-history"' not in html


def test_the_history_escapes_what_staff_typed(client, announced, actor):
    case, section = announced
    _revise_body(case, section, actor, body=BODY + '"引用" & 5 < 6', reason="A & B のため")
    html = client.get(reverse("consultations:detail", args=[case.pk])).content.decode()
    assert "〔追加：&quot;引用&quot; &amp; 5 &lt; 6〕" in html
    assert "A &amp; B のため" in html


# ---- The admin saves through the service ----


@pytest.fixture
def admin_client(client, actor):
    client.force_login(actor)
    return client


def _admin_edit(admin_client, case, **changes):
    url = reverse("admin:consultations_consultation_change", args=[case.pk])
    data = admin_form_data(admin_client.get(url).content.decode())
    data.update(changes)
    return admin_client.post(url, data, follow=True)


def test_the_admin_asks_for_the_reason_before_saving_a_change(admin_client, announced):
    case, section = announced

    response = _admin_edit(admin_client, case, **{"sections-0-body": NEW_BODY})

    assert response.status_code == HTTPStatus.OK
    assert "「案を変更する理由」を入力してください" in response.content.decode()
    section.refresh_from_db()
    assert section.body == BODY and not DraftVersion.objects.exists()


def test_the_admin_saves_a_change_with_its_reason_as_a_version(admin_client, announced, actor):
    case, section = announced

    response = _admin_edit(admin_client, case, **{"sections-0-body": NEW_BODY, "draft_change_reason": REASON})

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert "案を第2版にしました" in response.content.decode()
    section.refresh_from_db()
    case.refresh_from_db()
    assert section.body == NEW_BODY and case.draft_version == 2
    assert DraftVersion.objects.get(consultation=case).reason == REASON
    event = AuditEvent.objects.get(action="consultation.draft_revise")
    assert event.actor == actor and event.after["draft_version"] == 2


def test_the_admin_refuses_deleting_a_section_after_koji(admin_client, announced):
    case, section = announced
    response = _admin_edit(admin_client, case, **{"sections-0-DELETE": "on", "draft_change_reason": REASON})
    assert "公示後は該当箇所「2-1 歩道の整備」を削除できません" in response.content.decode()
    assert DraftSection.objects.filter(pk=section.pk).exists()


def test_an_admin_edit_that_leaves_the_draft_alone_makes_no_version(admin_client, announced):
    case, _section = announced
    response = _admin_edit(admin_client, case, title="川口市道路整備計画（案）改")
    assert response.redirect_chain
    case.refresh_from_db()
    assert case.title == "川口市道路整備計画（案）改" and case.draft_version == 1
    assert not DraftVersion.objects.exists()


# ---- Each submission records the version it was written against ----


def test_a_submission_records_the_version_at_submit_time(announced, actor):
    case, section = announced
    before = submit(case, body="第1版への意見です。")
    _revise_body(case, section, actor)
    after = submit(case, body="第2版への意見です。")
    survey_answer = submit(ConsultationFactory(survey=True), body="")

    assert (before.draft_version, after.draft_version) == (1, 2)
    assert survey_answer.draft_version is None


def test_a_paper_opinion_records_the_version_of_its_arrival_day(announced, actor):
    case, section = announced
    _revise_body(case, section, actor)
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    posted_earlier = submit(case, channel="post", entered_by=kouchou, received_on=yesterday)
    posted_today = submit(case, channel="post", entered_by=kouchou, received_on=timezone.localdate())

    assert (posted_earlier.draft_version, posted_today.draft_version) == (1, 2)


def test_staff_see_the_version_on_the_submission_page(client, announced, actor):
    case, section = announced
    earlier = submit(case, body="第1版への意見です。")
    _revise_body(case, section, actor)
    later = submit(case, body="第2版への意見です。")
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))

    old_page = client.get(reverse("staff:submission_detail", args=[earlier.pk])).content.decode()
    new_page = client.get(reverse("staff:submission_detail", args=[later.pk])).content.decode()

    assert "提出時の案の版" in old_page
    assert "第1版（この後に案が変更されました。現在は第2版です）" in old_page
    assert "第2版" in new_page and "この後に案が変更されました" not in new_page
