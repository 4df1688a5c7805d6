"""Demo submissions, so a fresh `make run` shows the queue, dashboards and survey results with data.

Written for the demo only (fictional people, our own sentences); created
through the intake service like real ones, so they are analysed by the worker.
"""

import random

from consultations.models import Consultation
from core.models import District
from feedback.models import Submission
from feedback.services import AnswerInput, submission_create

OPINIONS = [
    "町会・自治会の加入率が下がっています。転入者に加入のメリットを伝える取り組みを計画に入れてください。",
    "ボランティア活動を始めたい人が情報を得られる窓口を、駅の近くに設けてほしいです。",
    "市民活動センターの予約がウェブでできるようにしてください。平日昼間に窓口へ行けません。",
    "外国人住民も参加しやすいように、説明会ややさしい日本語の資料を用意してください。",
    "計画案の数値目標が分かりにくいです。現状値と目標値を表で示してください。",
    "公共施設の統廃合を進める前に、利用者の意見を地区ごとに聞いてください。",
    "電話 048-258-1110 の山田です。集会所の老朽化が心配です。早めの改修をお願いします。",
    "NPOへの補助金の手続きが複雑です。申請書類を簡素化してください。",
]
# An organised campaign: the same text with small edits (greeting, punctuation).
CAMPAIGN = "市民参加の機会を増やすため、計画の各段階でワークショップを開催することを求めます。"
CAMPAIGN_VARIANTS = ["", "いつもお世話になっております。", "よろしくお願いします。 "]
LETTERS = [
    "近所の公園の照明が切れたままです。夜道が暗くて不安なので交換をお願いします。",
    "市役所の窓口で丁寧に対応していただきました。ありがとうございました。",
]
ATTRIBUTES = {
    "age_band": ["20s", "30s", "40s", "50s", "60s", "70s"],
    "gender": ["female", "male"],
    "residence_years": ["1to5", "5to10", "10to20", "gte20"],
}
SURVEY_RESPONSES = 40


def demo_submissions_create() -> int:
    """Create the demo's opinions, letters and survey answers once; return how many."""
    if Submission.objects.exists():
        return 0
    rng = random.Random(2026)
    created = 0
    plan = Consultation.objects.filter(kind="public_comment", status="open").order_by("pk").first()
    if plan is not None:
        for index, text in enumerate(OPINIONS):
            submission_create(
                consultation=plan,
                channel=["web", "post", "email"][index % 3],
                body=text,
                identity={"name": f"デモ 太郎{index}", "address": "川口市青木2-1-1"},
            )
            created += 1
        for greeting in CAMPAIGN_VARIANTS:
            submission_create(
                consultation=plan,
                channel="web",
                body=greeting + CAMPAIGN,
                identity={"name": "デモ 花子", "address": "川口市中央1-1"},
            )
            created += 1
    letter = Consultation.objects.filter(kind="letter").first()
    for text in LETTERS if letter else []:
        submission_create(
            consultation=letter,
            channel="web",
            body=text,
            reply_requested=True,
            identity={
                "name": "デモ 次郎",
                "email": "jiro@example.jp",
                "contact_method": "email",
            },
        )
        created += 1
    survey = Consultation.objects.filter(kind="survey", status="open", invitation_required=False).order_by("pk").first()
    districts = list(District.objects.all())
    questions = list(survey.questions.prefetch_related("choices").order_by("number")) if survey else []
    for _ in range(SURVEY_RESPONSES if questions else 0):
        answers = [
            AnswerInput(question_id=q.pk, choice_ids=[rng.choice(list(q.choices.all())).pk])
            for q in questions
            if q.kind in ("scale5", "single")
        ]
        attributes = {key: rng.choice(values) for key, values in ATTRIBUTES.items()}
        submission_create(
            consultation=survey,
            channel="web",
            answers=answers,
            attributes={
                **attributes,
                "district": rng.choice(districts) if districts else None,
            },
        )
        created += 1
    return created
