"""The Django shell stores one analysis per submission and model version."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback.models import Submission
from feedback.services import AnswerInput, submission_create
from nlp import services
from nlp.engine import current_engine, engine_reset
from nlp.models import DuplicateGroup, SubmissionAnalysis, TopicLabel, TopicModelVersion
from plans.loader import plan_document_read
from plans.services.plan_import import plan_import
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory, QuestionFactory
from tests.feedback.factories import submit
from tests.plans.conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engine():
    engine_reset()
    yield
    engine_reset()


@pytest.fixture
def submit_now(django_capture_on_commit_callbacks):
    """Submit through intake and run its on-commit analysis task."""

    def _submit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(*args, **kwargs)

    return _submit


@pytest.fixture
def plan():
    document = plan_document_read(SHIPPED_PLAN)
    plan_import(data=document.data, source_name=SHIPPED_PLAN.name, lines=document.lines)
    engine_reset()


def test_a_comment_about_chokai_suggests_policy_vi_1(plan, submit_now):
    submission = submit_now(body="町会の加入率が下がり、役員のなり手がいません。町会活動への支援を求めます。")
    analysis = SubmissionAnalysis.objects.get(submission=submission)
    assert analysis.topics[0]["label"] == "VI-1"
    assert analysis.top_confidence == analysis.topics[0]["confidence"]
    submission.refresh_from_db()
    assert submission.suggested_policy.code == "VI-1"


def test_analysis_runs_once_per_model_version(plan):
    submission = submit(body="税金の使い道をもっと公開してください。")
    first = services.submission_analysis_run(submission_id=submission.pk)
    again = services.submission_analysis_run(submission_id=submission.pk)
    services.analysis_run_batch(submission_ids=[submission.pk, submission.pk])
    assert first.pk == again.pk
    assert SubmissionAnalysis.objects.filter(submission=submission).count() == 1
    assert first.model_version == current_engine()[1]


def test_stored_text_is_masked_and_the_original_is_untouched(submit_now):
    body = "連絡先は０９０－１２３４－５６７８です。"
    submission = submit_now(body=body)
    analysis = SubmissionAnalysis.objects.get(submission=submission)
    assert analysis.masked_text == "連絡先はXXX-XXXX-XXXXです。"
    assert analysis.pii_spans == [{"start": 4, "end": 17, "type": "phone"}]
    assert Submission.objects.get(pk=submission.pk).body == body


def test_missing_submission_is_a_no_op():
    assert services.submission_analysis_run(submission_id=999_999) is None


def test_sweep_enqueues_only_unanalysed_submissions(monkeypatch, submit_now):
    done = submit_now(body="公園を増やして")
    pending = submit(body="バスを増やして")
    enqueued = []
    monkeypatch.setattr("nlp.tasks.analysis_batch_task.delay", enqueued.append)
    monkeypatch.setattr("nlp.tasks.duplicate_groups_refresh_task.delay", lambda cid: None)
    assert services.analysis_sweep() == 1
    assert enqueued == [[pending.pk]]
    assert done.pk not in enqueued[0]


def test_campaign_copies_form_one_duplicate_group(submit_now):
    consultation = ConsultationFactory()
    text = "駅前の駐輪場が不足しています。市営駐輪場の増設を強く求めます。"
    copies = [
        submit_now(consultation, body=body)
        for body in (
            text,
            "お世話になっております。" + text,
            text.replace("。", "！"),
            "図書館を夜まで開けて",
        )
    ]
    assert services.duplicate_groups_refresh(consultation_id=consultation.pk) == 1
    group = DuplicateGroup.objects.get(consultation=consultation)
    assert group.size == 3
    keys = {s.pk: s.duplicate_group_key for s in Submission.objects.filter(consultation=consultation)}
    assert keys[copies[0].pk] == keys[copies[1].pk] == keys[copies[2].pk] == group.key
    assert keys[copies[3].pk] != group.key


def _label(submission, code):
    return services.topic_label_record(submission=submission, label=code, actor=None)


def test_topic_labels_keep_the_latest_staff_decision(plan):
    submission = submit(body="広報紙を読みやすくしてほしい")
    _label(submission, "VI-1")
    _label(submission, "VI-2")
    assert TopicLabel.objects.get(submission=submission).label_id == "VI-2"


def test_nlp_train_refuses_without_enough_labels(plan):
    with pytest.raises(CommandError, match="0 confirmed labels"):
        call_command("nlp_train", stdout=StringIO())


TRAINING = [
    ("公民館の講座をもっと開いてほしい", "VI-1"),
    ("公民館のサークル活動の場を増やして", "VI-1"),
    ("公民館の利用予約を取りやすく", "VI-1"),
    ("公民館の講座が平日昼間ばかり", "VI-1"),
    ("市の広報紙が読みにくい", "VI-2"),
    ("パブリックコメントの結果をもっと早く公開して", "VI-2"),
    ("市長への手紙の返事が遅い", "VI-2"),
    ("広報紙に若者向けの記事を", "VI-2"),
    ("市の借金が心配です", "VI-3"),
    ("職員の研修を充実させて", "VI-3"),
    ("公共施設の統廃合を進めて", "VI-3"),
    ("窓口手続きのオンライン化を", "VI-3"),
]


def test_nlp_train_stores_a_version_with_metrics_and_the_engine_uses_it(plan):
    consultation = ConsultationFactory()
    for text, code in TRAINING:
        _label(submit(consultation, body=text), code)
    out = StringIO()
    call_command("nlp_train", "--min-labels", "10", stdout=out)
    row = TopicModelVersion.objects.get()
    assert row.n_train == len(TRAINING)
    assert set(row.metrics) == {"accuracy", "macro_f1", "n_test"}
    assert f"version {row.version}" in out.getvalue()
    engine_reset()
    classifier, version = current_engine()
    assert (classifier.version == row.version) is row.promoted
    assert version.endswith(classifier.version)


def test_draft_sections_of_the_consultation_are_ranked_too(submit_now):
    consultation = ConsultationFactory()
    DraftSectionFactory(
        consultation=consultation,
        number="1",
        heading="公共交通の充実",
        body="路線バスの運行本数を確保し、デマンド交通を導入します。",
    )
    DraftSectionFactory(
        consultation=consultation,
        number="2",
        heading="子育て支援",
        body="保育所の定員を増やし、待機児童をなくします。",
    )
    submission = submit_now(consultation, body="朝のバスの本数が少なすぎます。")
    analysis = SubmissionAnalysis.objects.get(submission=submission)
    assert [s["label"] for s in analysis.section_topics] == ["1", "2"]


# ---- Survey responses (#11): analysed by their 自由記述 answers; a response of choices only has no text ----


@pytest.fixture
def survey():
    """An open survey: a single-choice question (問1) and a 自由記述 (問2)."""
    consultation = ConsultationFactory(survey=True)
    return {
        "consultation": consultation,
        "choice": QuestionFactory(consultation=consultation, number=1),
        "free": QuestionFactory(consultation=consultation, number=2, kind="free_text"),
    }


@pytest.fixture
def respond_now(survey, django_capture_on_commit_callbacks):
    """Answer the survey through intake (問1 always, 問2 when text is given) and run the analysis."""

    def _respond(text="", pick="はい"):
        answers = [AnswerInput(survey["choice"].pk, choice_ids=[survey["choice"].choices.get(label=pick).pk])]
        if text:
            answers.append(AnswerInput(survey["free"].pk, text=text))
        with django_capture_on_commit_callbacks(execute=True):
            return submission_create(consultation=survey["consultation"], channel="web", answers=answers)

    return _respond


def test_a_survey_response_of_choices_only_gets_no_policy_no_key_and_no_group(plan, survey, respond_now):
    # Before #11 the empty body was analysed: every such response got the
    # SHA-256 of "" as its duplicate key, VI-1 as its 施策, and one 同趣旨 group.
    choices_only = [respond_now(pick="はい"), respond_now(pick="いいえ"), respond_now(pick="はい")]
    services.duplicate_groups_refresh(consultation_id=survey["consultation"].pk)
    for response in choices_only:
        analysis = SubmissionAnalysis.objects.get(submission=response)
        assert (analysis.topics, analysis.top_confidence, analysis.duplicate_key) == ([], None, "")
        assert analysis.duplicate_group is None
        response.refresh_from_db()
        assert (response.suggested_policy, response.suggestion_confidence, response.duplicate_group_key) == (
            None,
            None,
            "",
        )
    assert not DuplicateGroup.objects.filter(consultation=survey["consultation"]).exists()


def test_survey_responses_with_the_same_free_text_form_a_group_and_choices_only_stay_out(survey, respond_now):
    text = "駅前の駐輪場が不足しています。市営駐輪場の増設を強く求めます。"
    same = [respond_now(text, pick="はい"), respond_now(text, pick="いいえ")]
    other = respond_now("図書館の開館時間を夜まで延ばしてください。")
    choices_only = [respond_now(), respond_now(pick="いいえ")]
    assert services.duplicate_groups_refresh(consultation_id=survey["consultation"].pk) == 1
    group = DuplicateGroup.objects.get(consultation=survey["consultation"])
    members = set(SubmissionAnalysis.objects.filter(duplicate_group=group).values_list("submission_id", flat=True))
    assert group.size == 2 and members == {s.pk for s in same}
    keys = dict(Submission.objects.filter(consultation=survey["consultation"]).values_list("pk", "duplicate_group_key"))
    assert keys[same[0].pk] == keys[same[1].pk] == group.key
    assert keys[other.pk] not in ("", group.key)
    assert [keys[s.pk] for s in choices_only] == ["", ""]


def test_the_free_text_answer_drives_the_policy_suggestion(plan, respond_now):
    # The seed plan's VI-1 is 地縁活動（町会・自治会など）の支援, VI-3 行政経営の基盤強化.
    # An empty text was suggested VI-1 too, so the VI-3 answer tells the two apart.
    chokai = respond_now("町会・自治会の加入率が下がり、役員のなり手がいません。町会活動への支援を求めます。")
    gyosei = respond_now("公共施設の統廃合と財政基盤の強化を進め、窓口手続きのオンライン化も急いでください。")
    suggested = {}
    for response in (chokai, gyosei):
        analysis = SubmissionAnalysis.objects.get(submission=response)
        assert analysis.masked_text and analysis.duplicate_key and analysis.key_phrases
        response.refresh_from_db()
        assert response.suggested_policy.code == analysis.topics[0]["label"]
        suggested[response.pk] = response.suggested_policy.code
    assert suggested == {chokai.pk: "VI-1", gyosei.pk: "VI-3"}
    assert "町会" in SubmissionAnalysis.objects.get(submission=chokai).masked_text


def test_a_comment_that_fits_no_policy_is_suggested_as_no_topic_and_shown_so(plan, submit_now, client):
    from accounts.roles import KOUCHOU
    from tests.accounts.factories import StaffUserFactory

    fits = submit_now(body="町会の加入率が下がり、役員のなり手がいません。")
    fits_none = submit_now(body="よろしくお願いします。")
    analysis = SubmissionAnalysis.objects.get(submission=fits_none)
    assert analysis.no_topic
    assert not SubmissionAnalysis.objects.get(submission=fits).no_topic
    fits_none.refresh_from_db()
    assert fits_none.suggested_policy is None
    assert fits_none.suggestion_confidence is not None  # Still sorted among the least certain.
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    queue = client.get("/staff/queue/").content.decode()
    assert "該当なし（推定）" in queue
    detail = client.get(f"/staff/submissions/{fits_none.pk}/").content.decode()
    assert "推定：該当なし" in detail
    assert "推定：該当なし" not in client.get(f"/staff/submissions/{fits.pk}/").content.decode()


def test_staff_see_how_often_the_current_suggestions_matched_their_confirmations(plan, submit_now, client):
    from accounts.roles import KOUCHOU
    from tests.accounts.factories import StaffUserFactory

    chokai = [submit_now(body=f"町会の加入率が下がり、役員のなり手がいません。{i}") for i in range(3)]
    gyosei = submit_now(body="市役所の窓口の手続きをオンライン化してほしい。")
    for submission in chokai:
        _label(submission, "VI-1")  # Agrees with the suggestion.
    _label(gyosei, "VI-1")  # Staff disagreed with the suggestion (VI-3).
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    card = client.get("/staff/queue/").content.decode()
    assert "直近に施策を確定した4件のうち、推定した施策が一致したのは3件です（75%）" in card
    assert "計画の文章だけから推定する初期モデル" in card


def test_retraining_is_scheduled_weekly_and_a_city_without_labels_is_skipped(plan, settings):
    from nlp.tasks import topic_model_train_task

    entry = settings.CELERY_BEAT_SCHEDULE["nlp-retrain-topic-model"]
    assert entry["task"] == "nlp.tasks.topic_model_train_task"
    assert entry["schedule"].day_of_week == {0}
    assert topic_model_train_task.run().startswith("skipped: 0 confirmed labels")
    assert not TopicModelVersion.objects.exists()
