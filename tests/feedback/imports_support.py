"""Build CSV files and run import jobs the way the upload page and worker do."""

from feedback.services import submission_import_run, submission_import_upload
from tests.accounts.factories import StaffUserFactory

FULL_HEADER = "提出方法,到着日,該当箇所,意見,氏名,ふりがな,団体名,郵便番号,住所,電話番号,メールアドレス,提出資格\r\n"


def run_import(consultation, raw: bytes, *, actor=None, file_name="x.csv"):
    """Upload ``raw`` and run its job in-process; return the finished job."""
    job = submission_import_upload(
        consultation=consultation,
        file_name=file_name,
        raw=raw,
        actor=actor or StaffUserFactory(),
    )
    return submission_import_run(import_id=job.pk)


def error_set(job) -> set[tuple[int, str, str]]:
    return {(e["line"], e["column"], e["message"]) for e in job.errors}


def many_rows(count: int, *, day: str = "2026-11-20", start: int = 0) -> bytes:
    """A clean file of ``count`` rows with identity, as a city's export has."""
    lines = [FULL_HEADER]
    for n in range(start, start + count):
        lines.append(
            f'郵送,{day},,"駅前の駐輪場を増やしてください。\r\n通勤で毎日使います（{n}）。",'
            f"川口 太郎{n},かわぐち たろう,,332-8601,川口市青木{n}-1-1,048-258-1110,,市内在住\r\n"
        )
    return "".join(lines).encode("utf-8")
