"""Demo submissions, so a fresh `make run` shows the queue, dashboards and survey results with data.

Written for the demo only (fictional people, our own sentences); created
through the intake service like real ones, so they are analysed by the worker.
"""

import random
from pathlib import Path

import yaml

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
    "町会の回覧板を電子化できないでしょうか。高齢の役員の負担が大きくなっています。",
    "市民活動センターの会議室を夜9時まで使えるようにしてほしいです。",
    "NPOの補助金の申請書類が多く、小さな団体には負担です。簡素化を検討してください。",
    "外国人住民向けの町会案内を、やさしい日本語で作ってほしいです。",
    "ボランティア募集の情報を一か所にまとめたページを作ってください。",
]
# The closed パブリック・コメント: paper, e-mail and FAX opinions received before its
# deadline, ready to be grouped, answered and published.
CLOSED_OPINIONS = [
    "老朽化した公民館の建替えを優先してください。地域の集会に欠かせない施設です。",
    "施設の統廃合を進める前に、利用者アンケートを地区ごとに実施してください。",
    "学校の体育館を地域に開放し、公民館の機能を兼ねることを検討してください。",
    "施設の維持管理費の見通しを、年度ごとの表で示してください。",
    "図書館の分館を減らす場合は、移動図書館を増やしてください。",
    "公共施設の予約システムを統一し、スマートフォンから予約できるようにしてください。",
]
CLOSED_CAMPAIGN = "地域の公民館を廃止しないでください。高齢者の居場所がなくなります。"
ATTRIBUTES = {
    "age_band": ["20s", "30s", "40s", "50s", "60s", "70s"],
    "gender": ["female", "male"],
    "residence_years": ["1to5", "5to10", "10to20", "gte20"],
}
SURVEY_RESPONSES = 40
PAST_SURVEY_RESPONSES = 60
DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
# Order of a question's demo_weights in demo.yaml: Choice.value of the 5段階 scale.
WEIGHTED_VALUES = (5, 4, 3, 2, 1, 0)


def _answer_weights() -> dict[tuple[str, str], list[int]]:
    """{(survey title, question text): weights} of the questions demo.yaml gives demo_weights."""
    specs = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["consultations"]
    return {
        (spec["title"], question["text"]): question["demo_weights"]
        for spec in specs
        for question in spec.get("questions", [])
        if question.get("demo_weights")
    }


def _pick(question, rng, weighted_rng, weights) -> int:
    """A choice id: uniform, or leaning as demo.yaml says (the 重要度×満足度 questions)."""
    choices = list(question.choices.all())
    lean = weights.get((question.consultation.title, question.text))
    if not lean:
        return rng.choice(choices).pk
    by_value = {choice.value: choice for choice in choices}
    values = [value for value in WEIGHTED_VALUES if value in by_value]
    value = weighted_rng.choices(values, weights=[lean[WEIGHTED_VALUES.index(v)] for v in values])[0]
    return by_value[value].pk


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
    closed = Consultation.objects.filter(kind="public_comment", status="closed").order_by("pk").first()
    if closed is not None:
        texts = [*CLOSED_OPINIONS, *(greeting + CLOSED_CAMPAIGN for greeting in CAMPAIGN_VARIANTS)]
        # The first two on paper from a 団体 and a 連名 of three (#15), to show 提出者数 by either rule.
        identities = {
            0: {"organization": "デモ青木町会", "representative": "デモ 一郎", "address": "川口市青木3-1-1"},
            1: {
                "submitter_kind": "joint",
                "name": "デモ 三郎1",
                "address": "川口市本町二丁目1-1",
                "address_building": "デモハイツ101号室",
                "signers": [{"name": "デモ 四郎", "address": "川口市本町2-1-2"}, {"name": "デモ 五郎"}],
            },
        }
        for index, text in enumerate(texts):
            submission_create(
                consultation=closed,
                channel=["post", "email", "fax"][index % 3],
                body=text,
                identity=identities.get(index, {"name": f"デモ 三郎{index}", "address": "川口市本町1-1-1"}),
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
    questions = (
        list(survey.questions.select_related("consultation").prefetch_related("choices").order_by("number"))
        if survey
        else []
    )
    # A second generator for the leaning answers, so the others stay as they were.
    weighted_rng = random.Random(2027)
    weights = _answer_weights()
    for _ in range(SURVEY_RESPONSES if questions else 0):
        answers = [
            AnswerInput(question_id=q.pk, choice_ids=[_pick(q, rng, weighted_rng, weights)])
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
    created += _past_survey_responses(districts, weights)
    return created


def _past_survey_responses(districts, weights) -> int:
    """Last year's closed 市民意識調査: paper questionnaires entered by staff (published later)."""
    past = Consultation.objects.filter(kind="survey", status="closed").order_by("pk").first()
    if past is None:
        return 0
    rng, weighted_rng = random.Random(2025), random.Random(2028)
    questions = list(past.questions.select_related("consultation").prefetch_related("choices").order_by("number"))
    for _ in range(PAST_SURVEY_RESPONSES):
        submission_create(
            consultation=past,
            channel="post",
            answers=[
                AnswerInput(question_id=q.pk, choice_ids=[_pick(q, rng, weighted_rng, weights)]) for q in questions
            ],
            attributes={
                **{key: rng.choice(values) for key, values in ATTRIBUTES.items()},
                "district": rng.choice(districts) if districts else None,
            },
        )
    return PAST_SURVEY_RESPONSES
