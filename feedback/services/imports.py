"""CSV imports as background jobs: the upload stores the file, a worker imports it.

submission_import_upload stores the bytes and their SHA-256 and queues the
job after commit; the same file for the same case is refused, by a unique
constraint, so two members of staff uploading it at once cannot both get in.

submission_import_run is the job. It checks every row first (a file with any
bad row imports nothing, as before), then inserts the rows through
submission_create in short committed batches, recording in the job how many
rows are in. A re-run of a finished job does nothing; a job that died
mid-way resumes after its last committed batch, so no row is stored twice.

Why batches rather than one transaction: every submission_create takes the
row lock of the 受付番号 sequence that all パブリック・コメント share, so one
transaction over 20,000 rows would hold residents' web submissions for as
long as the import runs; a batch holds it for a fraction of a second. The
price: if the case stops accepting paper mid-import (results published), the
rows already committed stay and the job says how many; nothing is imported twice.
"""

import datetime
import hashlib
import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from consultations.models import Consultation
from consultations.selectors import consultation_accepts_paper
from core.services import audit_record
from feedback.models import Submission, SubmissionImport
from feedback.services.csv_import import FILE_LINE, CsvImportFailed, CsvRowError, csv_rows_check
from feedback.services.intake import receipt_numbers_reserve, submission_create
from feedback.signals import submissions_imported
from feedback.tasks import submission_import_run_task

logger = logging.getLogger(__name__)

# Rows per committed batch: ~0.1–0.3 s of 受付番号 lock at a time.
BATCH_ROWS = 100
# A queued or running job whose heartbeat is older than this has no worker:
# staff may ask for it to be run again (it resumes; see module docstring).
STALLED_AFTER = datetime.timedelta(minutes=5)
# Errors kept per job; the count of all of them is kept too.
MAX_STORED_ERRORS = 1000
FILE_NAME_MAX_CHARS = 200
Status = SubmissionImport.Status


class DuplicateImport(ValidationError):
    """This file was already uploaded for this case."""

    def __init__(self, earlier: SubmissionImport):
        local = timezone.localtime(earlier.created_at)
        super().__init__(
            _(
                "同じ内容のファイルを%(when)sに取り込み済みです（%(name)s、状態：%(status)s）。"
                "同じファイルを二度取り込むと意見が重複するため、受け付けません。"
            )
            % {
                "when": local.strftime("%Y年%m月%d日 %H:%M"),
                "name": earlier.file_name,
                "status": earlier.get_status_display(),
            },
            code="duplicate",
        )
        self.earlier = earlier


def _clean_file_name(name: str) -> str:
    # The browser's file name is user input: no control or format characters
    # (NUL cannot be stored in PostgreSQL), and not a whole path.
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[:FILE_NAME_MAX_CHARS] or "upload.csv"


def _blocking_import(consultation: Consultation, digest: str) -> SubmissionImport | None:
    return (
        SubmissionImport.objects.filter(consultation=consultation, content_sha256=digest)
        .exclude(status=Status.FAILED, created_count=0)
        .order_by("created_at")
        .first()
    )


def _enqueue(job_id: int) -> None:
    def send():
        # A broker outage must not turn a stored upload into an error page:
        # the job stays 待機中 and its page offers to run it again.
        try:
            submission_import_run_task.delay(job_id)
        except (BrokerError, ConnectionError, TimeoutError):
            logger.warning("submission import %s stored but not queued: broker unavailable", job_id, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def submission_import_upload(
    *,
    consultation: Consultation,
    file_name: str,
    raw: bytes,
    actor,
    ip_address: str | None = None,
) -> SubmissionImport:
    """Store an uploaded CSV file and queue its import; refuse a file already imported."""
    digest = hashlib.sha256(raw).hexdigest()
    earlier = _blocking_import(consultation, digest)
    if earlier is not None:
        raise DuplicateImport(earlier)
    fields = {
        "consultation": consultation,
        "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        "file_name": _clean_file_name(file_name),
        "content_sha256": digest,
        "size": len(raw),
        "content": raw,
    }
    try:
        with transaction.atomic():
            job = SubmissionImport.objects.create(**fields)
    except IntegrityError:
        # Another upload of the same file won the race.
        earlier = _blocking_import(consultation, digest)
        if earlier is None:
            raise
        raise DuplicateImport(earlier) from None
    audit_record(
        actor=actor,
        action="submission_import.upload",
        target=job,
        summary=f"{job.file_name} ({job.size} bytes)",
        after={"consultation": consultation.pk, "sha256": digest, "size": job.size},
        ip_address=ip_address,
    )
    _enqueue(job.pk)
    return job


def submission_import_is_stalled(job: SubmissionImport, *, now: datetime.datetime | None = None) -> bool:
    """True if the job should be running but nothing has moved for a while."""
    if job.is_finished:
        return False
    last = job.updated_at or job.created_at
    return last < (now or timezone.now()) - STALLED_AFTER


@transaction.atomic
def submission_import_resume(
    *,
    job: SubmissionImport,
    actor,
    ip_address: str | None = None,
    actor_label: str | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionImport:
    """Queue a stalled job again (it resumes after its last committed batch).

    Staff press 再開; beat's sweep calls it as ``actor_label="system"``.
    """
    job = SubmissionImport.objects.select_for_update().get(pk=job.pk)
    now = now or timezone.now()
    if not submission_import_is_stalled(job, now=now):
        raise ValidationError(_("この取り込みは止まっていないため、再開の必要はありません。"), code="not_stalled")
    job.updated_at = now
    job.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action="submission_import.resume",
        target=job,
        before={"status": job.status, "created": job.created_count, "attempts": job.attempts},
        ip_address=ip_address,
    )
    _enqueue(job.pk)
    return job


# A stalled job is queued again by beat this many runs at most; after that
# it waits for staff (its page offers 再開), since a job that keeps stopping
# has a cause someone should look at.
AUTO_RESUME_MAX_ATTEMPTS = 3


def submission_imports_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again every job that stalled (worker killed, broker lost the task); the number queued.

    Without this a killed worker's job stood 処理中 until staff pressed 再開;
    a job resumes after its last committed batch, so queuing one that is in
    fact still running only makes the second run find it finished.
    """
    now = now or timezone.now()
    queued = 0
    candidates = SubmissionImport.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], attempts__lt=AUTO_RESUME_MAX_ATTEMPTS
    )
    for job in candidates.order_by("created_at"):
        if not submission_import_is_stalled(job, now=now):
            continue
        try:
            submission_import_resume(job=job, actor=None, actor_label="system", now=now)
        except ValidationError:  # moved meanwhile: a worker has it
            continue
        queued += 1
    return queued


# ---- The job ----


def _touch(job_id: int, **fields) -> None:
    SubmissionImport.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


def _start(import_id: int) -> SubmissionImport | None:
    with transaction.atomic():
        job = SubmissionImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.is_finished:
            return None
        now = timezone.now()
        job.status = Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.updated_at = now
        job.save(update_fields=["status", "attempts", "started_at", "updated_at"])
    return job


def _finish(job_id: int, *, errors: list[CsvRowError] | None = None, row_count: int | None = None) -> SubmissionImport:
    """Mark the job done (no errors) or failed, drop the file's bytes, audit it."""
    with transaction.atomic():
        job = SubmissionImport.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        now = timezone.now()
        job.status = Status.FAILED if errors else Status.DONE
        job.errors = [e.as_dict() for e in (errors or [])[:MAX_STORED_ERRORS]]
        job.error_count = len(errors or [])
        if row_count is not None:
            job.row_count = row_count
        job.finished_at = job.updated_at = now
        # The submissions hold what was in the file now; the bytes (names,
        # addresses) are not kept beside them. The SHA-256 stays.
        job.content = b""
        job.save()
        audit_record(
            actor=job.uploaded_by,
            action=f"submission_import.{job.status}",
            target=job,
            summary=f"{job.file_name}: {job.created_count}/{job.row_count or 0}",
            after={"rows": job.row_count, "created": job.created_count, "errors": job.error_count},
        )
    return job


def _late_failure(job: SubmissionImport, line: int, message: str) -> list[CsvRowError]:
    if job.created_count:
        message += " " + _(
            "%(created)s件（受付番号 %(first)s〜%(last)s）は取り込み済みです。残りの行は取り込まれていません。"
            "取り込み済みの行を除いたファイルで取り込み直してください。"
        ) % {"created": f"{job.created_count:,}", "first": job.first_receipt_number, "last": job.last_receipt_number}
    else:
        message += " " + _("どの行も取り込まれていません。")
    return [CsvRowError(line, "", message)]


def _insert_batch(job_id: int, rows) -> tuple[bool, list[CsvRowError] | None]:
    """Insert the next batch; return (more to do, errors that end the job)."""
    with transaction.atomic():
        job = SubmissionImport.objects.select_for_update(of=("self",)).select_related("uploaded_by").get(pk=job_id)
        if job.status != Status.RUNNING:
            return False, None
        batch = rows[job.created_count : job.created_count + BATCH_ROWS]
        if not batch:
            return False, None
        consultation = Consultation.objects.get(pk=job.consultation_id)
        if not consultation_accepts_paper(consultation):
            message = _("%(line)s行目の取り込み前に、この案件の受付が終了しました（結果公表済みなど）。") % {
                "line": batch[0].line
            }
            return False, _late_failure(job, FILE_LINE, message)
        created: list[Submission] = []
        try:
            with transaction.atomic():
                numbers = receipt_numbers_reserve(prefix=consultation.receipt_prefix, count=len(batch))
                for row, number in zip(batch, numbers, strict=True):
                    created.append(
                        submission_create(
                            consultation=consultation,
                            entered_by=job.uploaded_by,
                            batched=True,
                            receipt_number=number,
                            **row.fields,
                        )
                    )
        except ValidationError as exc:
            # Checked a moment ago, so something changed under the job.
            line = batch[len(created)].line
            return False, _late_failure(job, line, " ".join(exc.messages))
        if job.created_count == 0:
            job.first_receipt_number = created[0].receipt_number
        job.last_receipt_number = created[-1].receipt_number
        job.created_count += len(created)
        job.updated_at = timezone.now()
        job.save(update_fields=["created_count", "first_receipt_number", "last_receipt_number", "updated_at"])
        # One announcement per batch: nlp queues the analysis in a few batch
        # messages after commit instead of one message per submission.
        submissions_imported.send(
            sender=SubmissionImport,
            submission_ids=[s.pk for s in created],
            consultation_id=consultation.pk,
        )
    return job.created_count < len(rows), None


def submission_import_run(*, import_id: int) -> SubmissionImport | None:
    """Run one import job to its end; a finished job is returned untouched."""
    job = _start(import_id)
    if job is None:
        return SubmissionImport.objects.filter(pk=import_id).first()
    if not consultation_accepts_paper(job.consultation) and job.created_count == 0:
        return _finish(
            job.pk,
            errors=[CsvRowError(FILE_LINE, "", _("この案件は受付を終了しています（結果公表済みまたは準備中）。"))],
        )
    try:
        rows = csv_rows_check(
            consultation=job.consultation,
            raw=bytes(job.content),
            progress=lambda done, total: _touch(job.pk, processed_count=done, row_count=total),
        )
    except CsvImportFailed as exc:
        if job.created_count:
            # Only on a resume whose file no longer checks the same: never
            # guess which rows are in; stop and say how many are.
            return _finish(job.pk, errors=_late_failure(job, FILE_LINE, _("ファイルの再確認で誤りが見つかりました。")))
        return _finish(job.pk, errors=exc.errors, row_count=exc.row_count)
    _touch(job.pk, processed_count=len(rows), row_count=len(rows))
    more, errors = True, None
    while more:
        more, errors = _insert_batch(job.pk, rows)
    return _finish(job.pk, errors=errors)
