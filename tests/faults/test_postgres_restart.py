"""PostgreSQL restarts between two residents' requests (a failover, a minor-version update).

The next resident after the restart gets the 受付番号 page, not a 500 from a
connection that died with the old server process; nothing accepted before
or after is lost and the worker, whose connection died too, analyses all.
"""

import psycopg

from bench.processes import manage, wait_until

from .support import Clock, analysis_counts, opinions, submit_opinions

SEED = (
    "from tests.consultations.factories import ConsultationFactory;"
    "print('consultation', ConsultationFactory(title='再起動試験の計画（案）').pk)"
)


def _rows(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def test_the_first_request_after_a_postgres_restart_succeeds_and_nothing_is_lost(stack_on_private_postgres):
    clock = Clock()
    stack, cluster = stack_on_private_postgres
    url = stack.database_url
    consultation_id = int(manage("shell", "-c", SEED, env=stack.env()).split("consultation", 1)[1].split()[0])
    worker = stack.worker("analysis", wait=False)
    port = stack.web(workers=2)
    stack.ready()
    clock("migrated, seeded, stack up")
    before = submit_opinions(port, consultation_id, opinions(4, "再起動前"), concurrency=2)
    assert all(o.has_receipt_page for o in before), [o.describe() for o in before]

    # when: the server restarts; every connection the web and worker processes hold dies
    cluster.restart()
    clock("PostgreSQL restarted")

    # then: the very next residents (one at a time, so each gunicorn worker meets a dead connection) succeed
    after = submit_opinions(port, consultation_id, opinions(6, "再起動後"), concurrency=1)
    failed = [o.describe() for o in after if not o.has_receipt_page]
    assert not failed, f"{len(failed)} of 6 residents after the restart failed: {failed[:2]}"

    accepted = {o.receipt for o in before + after}
    stored = {
        r[0]
        for r in _rows(
            url, "SELECT receipt_number FROM feedback_submission WHERE consultation_id = %s", (consultation_id,)
        )
    }
    assert accepted == stored

    def analysed():
        return _rows(
            url,
            "SELECT a.submission_id, a.model_version FROM nlp_submissionanalysis a "
            "JOIN feedback_submission s ON s.id = a.submission_id WHERE s.consultation_id = %s",
            (consultation_id,),
        )

    wait_until(lambda: len({r[0] for r in analysed()}) == len(accepted), timeout=180, interval=0.5, what="analysis")
    clock("all analysed")
    assert worker.alive(), "the worker died with its connection"
    _, twice, _ = analysis_counts(analysed())
    assert not twice, f"analysed more than once: {twice}"
