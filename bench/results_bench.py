"""Results and dashboards at scale: 1,000,000 submissions and 100,000 survey responses.

Runs in a child process against its own PostgreSQL database
(koe_bench_results) so Django is configured for it alone. Target (issue 5):
every dashboard and results page < 200 ms at the 95th percentile, with the
aggregate tables rebuilt by the worker's services, not per request. The
rows are written with INSERT … SELECT generate_series (a minute, not an
hour), then the rebuild services run once and are timed too. Pages are
timed as full requests through Django's test client; the public home page
is the baseline of the same run.
"""

import os
import sys
import time

from bench.support import print_table, run_child, setup_django, staff_user

N_PUBLIC_COMMENT = int(os.environ.get("KOE_BENCH_PC_ROWS", "850000"))
N_LETTERS = int(os.environ.get("KOE_BENCH_LETTER_ROWS", "50000"))
N_SURVEY = int(os.environ.get("KOE_BENCH_SURVEY_ROWS", "100000"))
N_CONSULTATIONS = 40
N_GROUPS = 300
MINUTES_IN_3_YEARS = 3 * 365 * 24 * 60


def run(shared_dir=None) -> None:
    run_child(
        "bench.results_bench",
        database="koe_bench_results",
        override_env="KOE_BENCH_RESULTS_DATABASE_URL",
    )


# ---- child process ----


def _array(values) -> str:
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]"


def _insert_select(cursor, model, exprs: dict[str, str], source: str) -> int:
    """INSERT every concrete column: ``exprs`` gives SQL for some, defaults fill the rest."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.attname in exprs:
            values.append(exprs[field.attname].replace("%", "%%"))  # SQL modulo, not a placeholder
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("now()")
        elif field.null:
            values.append("NULL")
        else:
            values.append("%s")
            params.append(field.get_db_prep_value(field.get_default(), connection=cursor.db))
    sql = f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(values)} FROM {source.replace("%", "%%")}'
    cursor.execute(sql, params)
    return cursor.rowcount


def _world():
    """Plan, districts, departments and users from the demo; consultations for the bench."""
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from consultations.models import Choice, Consultation, Question
    from plans.models import Indicator, Policy

    call_command("load_demo", force=True, stdout=io.StringIO())
    policies = list(Policy.objects.order_by("code"))
    now = timezone.now()
    from accounts.models import Department

    departments = list(Department.objects.filter(parent__isnull=False).order_by("pk"))
    consultations = []
    for i in range(N_CONSULTATIONS):
        c = Consultation.objects.create(
            kind="public_comment",
            status="closed",
            title=f"ベンチ計画（案）{i}",
            department=departments[i % len(departments)],
            opens_at=now - datetime.timedelta(days=60 + i * 20),
            closes_at=now - datetime.timedelta(days=30 + i * 20),
        )
        c.policies.set([policies[i % len(policies)]])
        consultations.append(c)
    letters = Consultation.objects.filter(kind="letter").first() or Consultation.objects.create(
        kind="letter", status="open", title="市長への手紙"
    )
    survey = Consultation.objects.create(
        kind="survey",
        status="closed",
        title="ベンチ市民意識調査",
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=60),
        sample_size=N_SURVEY * 2,
    )
    indicators = list(Indicator.objects.filter(measurement="survey").order_by("pk")[:2])
    scale = [
        ("満足", 5),
        ("やや満足", 4),
        ("どちらともいえない", 3),
        ("やや不満", 2),
        ("不満", 1),
        ("わからない", 0),
    ]
    for number in range(1, 6):
        kind = "multiple" if number == 5 else "scale5"
        question = Question.objects.create(
            consultation=survey,
            number=number,
            text=f"問{number}",
            kind=kind,
            indicator=indicators[number - 1] if number <= len(indicators) else None,
        )
        options = scale if kind == "scale5" else [(f"選択肢{k}", k) for k in range(1, 8)]
        Choice.objects.bulk_create(
            Choice(question=question, label=label, value=value, order=k) for k, (label, value) in enumerate(options)
        )
    Question.objects.create(consultation=survey, number=6, text="自由記述", kind="free_text")
    return policies, departments, consultations, letters, survey


def _submissions(cursor, *, consultation_sql: str, prefix: str, start: int, count: int, extra: dict) -> None:
    from feedback.models import Submission

    exprs = {
        "consultation_id": consultation_sql,
        "receipt_number": f"'{prefix}-' || g",
        "channel": "(ARRAY['web','web','web','post','email','fax','counter'])[1 + g % 7]",
        "status": "(ARRAY['received','in_review','answered','filed','received','answered','withdrawn'])[1 + (g / 7) % 7]",
        "submitted_at": f"now() - ((g * 31) % {MINUTES_IN_3_YEARS}) * interval '1 minute'",  # spread over 3 years
        "body": "'ベンチ用の意見です。番号' || g",
        **extra,
    }
    _insert_select(cursor, Submission, exprs, f"generate_series({start}, {start + count - 1}) AS g")


def _populate() -> None:
    from django.db import connection

    from feedback.models import Submission
    from letters.models import LetterCase

    if Submission.objects.filter(receipt_number__startswith="PB-").exists():
        return
    policies, departments, consultations, letters, survey = _world()
    p_ids, d_ids, c_ids = (_array(o.pk for o in objs) for objs in (policies, departments, consultations))
    from core.models import District

    district_ids = _array(District.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        _submissions(
            cursor,
            consultation_sql=f"({c_ids})[1 + g % {N_CONSULTATIONS}]",
            prefix="PB",
            start=1,
            count=N_PUBLIC_COMMENT,
            extra={
                "department_id": f"CASE WHEN g % 5 = 0 THEN NULL ELSE ({d_ids})[1 + g % {len(departments)}] END",
                "policy_id": f"CASE WHEN g % 4 = 0 THEN ({p_ids})[1 + g % {len(policies)}] END",
                "suggested_policy_id": f"CASE WHEN g % 11 = 0 THEN NULL ELSE ({p_ids})[1 + (g / 3) % {len(policies)}] END",
                "suggestion_confidence": "(g % 100) / 100.0",
                "duplicate_group_key": f"CASE WHEN g % 10 = 0 THEN 'camp-' || (g % {N_CONSULTATIONS}) ELSE 'k' || g END",
            },
        )
        _submissions(
            cursor,
            consultation_sql=str(letters.pk),
            prefix="LB",
            start=1,
            count=N_LETTERS,
            extra={
                "department_id": f"({d_ids})[1 + g % {len(departments)}]",
                "reply_requested": "true",
                "publication_consent": "g % 2 = 0",
            },
        )
        _submissions(
            cursor,
            consultation_sql=str(survey.pk),
            prefix="SB",
            start=1,
            count=N_SURVEY,
            extra={
                "channel": "(ARRAY['web','post'])[1 + g % 2]",
                "status": "'received'",
                "body": "''",
                "age_band": "(ARRAY['u20','20s','30s','40s','50s','60s','70s','na'])[1 + g % 8]",
                "gender": "(ARRAY['female','male','other','na'])[1 + (g / 8) % 4]",
                "district_id": f"({district_ids})[1 + (g / 3) % {len(district_ids.split(','))}]",
                "residence_years": "(ARRAY['lt1','1to5','5to10','10to20','gte20','non','na'])[1 + (g / 5) % 7]",
            },
        )
        _insert_select(
            cursor,
            LetterCase,
            {
                "submission_id": "s.id",
                "status": "(ARRAY['sent','sent','sent','routed','drafted','filed'])[1 + s.id % 6]",
                "due_on": "(s.submitted_at + interval '14 days')::date",
                "sent_at": "CASE WHEN s.id % 6 < 3 THEN s.submitted_at + (s.id % 20) * interval '1 day' END",
                "published": "s.id % 6 < 3 AND s.publication_consent",
                "published_summary": "'公表用の意見の要旨 ' || s.id",
                "published_reply_summary": "'回答の要旨 ' || s.id",
                "published_at": "CASE WHEN s.id % 6 < 3 THEN s.submitted_at + interval '30 days' END",
                # 年度 = the year of (local date − 3 months).
                "published_fiscal_year": "CASE WHEN s.id % 6 < 3 AND s.publication_consent THEN "
                "EXTRACT(YEAR FROM (s.submitted_at AT TIME ZONE 'Asia/Tokyo') - interval '3 months')::int END",
            },
            f"feedback_submission s WHERE s.consultation_id = {letters.pk}",
        )
        for i, c in enumerate(consultations):
            cursor.execute(
                "INSERT INTO nlp_duplicategroup (consultation_id, key, size, key_phrases, updated_at) "
                "SELECT %s, %s, count(*), '[]', now() FROM feedback_submission "
                "WHERE consultation_id = %s AND duplicate_group_key = %s",
                [c.pk, f"camp-{i}", c.pk, f"camp-{i}"],
            )
        _answers(cursor, survey)
    _publish(consultations[0])
    with connection.cursor() as cursor:
        for table in (
            "feedback_submission",
            "feedback_answer",
            "feedback_answer_choices",
            "letters_lettercase",
            "opinions_opinionitem",
            "nlp_duplicategroup",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _answers(cursor, survey) -> None:
    """Five answered questions per response; every 23rd left blank (無回答)."""
    from feedback.models import Answer

    questions = list(survey.questions.exclude(kind="free_text").prefetch_related("choices").order_by("number"))
    _insert_select(
        cursor,
        Answer,
        {"submission_id": "s.id", "question_id": "q.id", "text": "''"},
        f"feedback_submission s CROSS JOIN consultations_question q WHERE s.consultation_id = {survey.pk} "
        f"AND q.consultation_id = {survey.pk} AND q.kind <> 'free_text'",
    )
    for question in questions:
        choices = _array(c.pk for c in question.choices.all())
        n = question.choices.count()
        cursor.execute(
            f"INSERT INTO feedback_answer_choices (answer_id, choice_id) SELECT a.id, ({choices})[1 + (a.id * 7) % {n}] "
            f"FROM feedback_answer a WHERE a.question_id = {question.pk} AND a.id % 23 <> 0"
        )
        if question.kind == "multiple":
            cursor.execute(
                f"INSERT INTO feedback_answer_choices (answer_id, choice_id) SELECT a.id, ({choices})[1 + (a.id * 7 + 3) % {n}] "
                f"FROM feedback_answer a WHERE a.question_id = {question.pk} AND a.id % 23 <> 0 AND a.id % 3 = 0"
            )


def _publish(consultation) -> None:
    """Give one consultation 300 approved 意見要旨 holding all its opinions, and publish it."""
    import datetime

    from django.db import connection

    from opinions.models import OpinionGroup, OpinionItem

    OpinionGroup.objects.bulk_create(
        OpinionGroup(
            consultation=consultation,
            number=n,
            summary=f"意見の概要 {n}。施設の充実を求める意見。",
            response=f"市の考え方 {n}。計画に反映します。",
            decision="reflected" if n % 3 == 0 else "reference",
            revised=n % 3 == 0,
            review=OpinionGroup.Review.APPROVED,
        )
        for n in range(1, N_GROUPS + 1)
    )
    groups = _array(
        OpinionGroup.objects.filter(consultation=consultation).order_by("number").values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        _insert_select(
            cursor,
            OpinionItem,
            {
                "submission_id": "s.id",
                "order": "1",
                "text": "s.body",
                "group_id": f"({groups})[1 + s.rn % {N_GROUPS}]",
            },
            f"(SELECT id, body, row_number() OVER (ORDER BY id) AS rn FROM feedback_submission "
            f"WHERE consultation_id = {consultation.pk} AND status <> 'withdrawn') AS s",
        )
    from results.services.publication import results_publish

    results_publish(
        consultation=consultation,
        actor=None,
        decided_on=datetime.date(2026, 3, 31),
        final_url="https://www.city.example.jp/bench/plan.html",
        revision_summary="ベンチマーク用の修正内容",
    )


def _refresh(survey_pk: int) -> None:
    from consultations.models import Consultation
    from results.services.dashboard import dashboard_stats_refresh
    from results.services.indicators import indicator_values_compute
    from results.services.survey_tally import survey_tallies_refresh

    survey = Consultation.objects.get(pk=survey_pk)
    for label, refresh in (
        ("dashboard aggregates (1M submissions)", dashboard_stats_refresh),
        (
            "survey tallies (100k responses)",
            lambda: survey_tallies_refresh(consultation=survey),
        ),
        ("indicator values", lambda: indicator_values_compute(consultation=survey)),
    ):
        started = time.perf_counter()
        refresh()
        print(
            f"worker rebuild: {label:38s} {time.perf_counter() - started:6.1f} s",
            flush=True,
        )


def inner() -> None:
    setup_django()
    from django.test import Client

    started = time.perf_counter()
    _populate()
    from consultations.models import Consultation
    from feedback.models import Answer, Submission

    print(
        f"data: {Submission.objects.count():,} submissions, "
        f"{Submission.objects.filter(consultation__kind='survey').count():,} survey responses "
        f"({Answer.objects.count():,} answers) ready in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    survey = Consultation.objects.get(title="ベンチ市民意識調査")
    published = Consultation.objects.get(title="ベンチ計画（案）0")
    _refresh(survey.pk)
    kouchou = Client()
    kouchou.force_login(staff_user(["kouchou"]))
    public = Client()
    cases = [
        ("baseline: public home page", public, "/"),
        ("dashboard (all, by month)", kouchou, "/staff/dashboard/"),
        ("dashboard (by 年度)", kouchou, "/staff/dashboard/?grain=fiscal_year"),
        (
            "dashboard (パブコメ, one 年度)",
            kouchou,
            "/staff/dashboard/?kind=public_comment&fiscal_year=2025",
        ),
        ("施策 dashboard", kouchou, "/staff/dashboard/policies/"),
        ("one 施策 dashboard", kouchou, "/staff/dashboard/policies/VI-1/"),
        (
            "survey results (staff, cross-tabs)",
            kouchou,
            f"/staff/surveys/{survey.pk}/results/",
        ),
        ("published results page", public, f"/consultations/{published.pk}/results/"),
        ("published results CSV", public, f"/consultations/{published.pk}/results.csv"),
        (
            "published results XLSX",
            public,
            f"/consultations/{published.pk}/results.xlsx",
        ),
        (
            "published results JSON",
            public,
            f"/consultations/{published.pk}/results.json",
        ),
        ("open-data index JSON", public, "/results.json"),
        ("public 施策 page", public, "/plan/policies/VI-1/"),
        ("published letters (year)", public, "/letter/published/"),
        ("Atom feed", public, "/consultations/feed.atom"),
    ]
    print_table(cases, 200, "results/dashboard")


if __name__ == "__main__" and "--inner" in sys.argv:
    inner()
