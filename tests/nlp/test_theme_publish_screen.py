"""Publishing themes (#14) passes the personal-data screen: labels and key phrases, named by theme; 広聴 may override."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import ADMIN, DEPARTMENT_STAFF, KOUCHOU
from core.models import AuditEvent
from nlp.models import ThemeRun
from nlp.screening import OVERRIDE_AUDIT_ACTION
from nlp.services import theme_run_publish
from nlp.theme_page import theme_numbers, theme_run_public_texts
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

PHONE_LABEL = "電話048-258-1110・公園"


def _theme(theme_id, label, *, parent=None, key_phrases=("公園",), members=()):
    return {
        "id": theme_id,
        "label": label,
        "key_phrases": list(key_phrases),
        "members": list(members),
        "representatives": list(members)[:3],
        "parent": parent,
        "size": len(members),
        "units": len(members),
        "campaign_copies": 0,
    }


def _run(consultation, themes):
    return ThemeRun.objects.create(
        consultation=consultation, status=ThemeRun.Status.DONE, result={"themes": themes, "unassigned": []}
    )


@pytest.fixture
def closed():
    return ConsultationFactory(closed=True)


@pytest.fixture
def kouchou():
    return StaffUserFactory(roles=[KOUCHOU])


def test_themes_and_sub_themes_are_numbered_as_the_page_shows_them(closed):
    run = _run(
        closed,
        [_theme(0, "バス"), _theme(1, "公園"), _theme(2, "遊具", parent=1), _theme(3, "照明", parent=1)],
    )
    assert theme_numbers(run) == {0: "1", 1: "2", 2: "2-1", 3: "2-2"}
    labels = [t.label for t in theme_run_public_texts(run)]
    assert "テーマ2-1「遊具」の見出し" in labels and "テーマ1「バス」のキーフレーズ" in labels


def test_a_flagged_label_refuses_publication_naming_the_theme(closed, kouchou):
    run = _run(
        closed,
        [
            _theme(0, "バスの本数・バス停"),
            _theme(1, PHONE_LABEL),
            _theme(2, "遊具", parent=1, key_phrases=("〇〇さん", "遊具")),
        ],
    )
    with pytest.raises(ValidationError) as refused:
        theme_run_publish(actor=kouchou, run=run)
    messages = refused.value.messages
    assert f"テーマ2「{PHONE_LABEL}」の見出しに電話番号「048-258-1110」が含まれています。" in messages
    assert any(m.startswith("テーマ2-1「遊具」のキーフレーズに伏せ字「〇〇」") for m in messages)
    assert not any("バスの本数" in m for m in messages)
    assert any("公表できません" in m for m in messages)
    run.refresh_from_db()
    assert run.published_at is None
    assert not AuditEvent.objects.filter(action="themes.publish").exists()


def test_kouchou_may_publish_a_flagged_run_with_a_reason_and_it_is_audited(closed, kouchou):
    run = _run(closed, [_theme(0, PHONE_LABEL)])
    with pytest.raises(ValidationError, match="理由を入力"):
        theme_run_publish(actor=kouchou, run=run, screen_override=True)
    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="市の代表番号のため")
    run.refresh_from_db()
    assert run.published_by == kouchou
    override = AuditEvent.objects.get(action=OVERRIDE_AUDIT_ACTION)
    assert override.after["findings"][0]["text"] == "048-258-1110"
    assert AuditEvent.objects.get(action="themes.publish").after["screen_overridden"] is True


def test_an_admin_who_is_not_kouchou_cannot_override(closed):
    run = _run(closed, [_theme(0, PHONE_LABEL)])
    admin = StaffUserFactory(roles=[ADMIN])
    with pytest.raises(ValidationError, match="広聴担当だけ"):
        theme_run_publish(actor=admin, run=run, screen_override=True, screen_override_reason="問題なし")
    with pytest.raises(PermissionDenied):
        theme_run_publish(actor=StaffUserFactory(roles=[DEPARTMENT_STAFF]), run=run)
    run.refresh_from_db()
    assert run.published_at is None


def test_the_staff_page_shows_the_findings_and_the_override_before_the_button(client, closed, kouchou):
    run = _run(closed, [_theme(0, PHONE_LABEL, members=())])
    client.force_login(kouchou)
    page = client.get(reverse("staff:workbench_themes", args=[closed.pk])).content.decode()
    assert "個人情報の確認で見つかったもの" in page and "電話番号「048-258-1110」" in page
    assert 'name="screen_override"' in page
    url = reverse("staff:workbench_themes_publish", args=[closed.pk])
    response = client.post(url, {"run": run.pk}, follow=True)
    assert "公表できません" in response.content.decode()
    run.refresh_from_db()
    assert run.published_at is None
    client.post(url, {"run": run.pk, "screen_override": "1", "screen_override_reason": "市の代表番号のため"})
    run.refresh_from_db()
    assert run.published_by == kouchou


def test_a_clean_run_shows_no_findings_and_publishes(client, closed, kouchou):
    run = _run(closed, [_theme(0, "公園の遊具・公園")])
    client.force_login(kouchou)
    page = client.get(reverse("staff:workbench_themes", args=[closed.pk])).content.decode()
    assert "個人情報の確認で見つかったもの" not in page and 'name="screen_override"' not in page
    theme_run_publish(actor=kouchou, run=run)
    run.refresh_from_db()
    assert run.published_at is not None
