"""Public pages: the registry, the open 公募, applying (form → confirm → 受付番号), one's own applications, and 応募倍率."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import ratios
from committees.forms import ApplicationForm
from committees.selectors import (
    application_of_applicant,
    applications_of_applicant,
    committee_from_query,
    committees_public,
    round_get_public,
    round_is_open,
    rounds_closed_recent,
    rounds_open,
)
from committees.selectors.report import composition, ratio_report, ratio_rows_by_committee
from committees.services.applications import RoundClosed, application_submit, application_withdraw
from core.charts import bar_chart
from core.exports import csv_bytes, csv_response, workbook_build, xlsx_bytes, xlsx_response
from core.forms import confirmation_rows
from core.http import client_ip
from core.wareki import fiscal_year_label
from feedback.views import submit_rate_limited


def committee_index(request):
    """委員を公募している附属機関等: the open notices first, then the registry."""
    return render(
        request,
        "committees/index.html",
        {
            "open_rounds": rounds_open(),
            "closed_rounds": rounds_closed_recent(limit=6),
            "committees": committees_public(),
        },
    )


def round_detail(request, pk):
    recruitment = round_get_public(pk=pk)
    if recruitment is None:
        raise Http404
    return render(
        request,
        "committees/round_detail.html",
        {"recruitment": recruitment, "committee": recruitment.committee, "is_open": round_is_open(recruitment)},
    )


@login_required
def round_apply(request, pk):
    """Three steps on one URL, as the other resident forms: edit, confirm, submit."""
    recruitment = round_get_public(pk=pk)
    if recruitment is None:
        raise Http404
    if not round_is_open(recruitment):
        return render(request, "committees/round_closed.html", {"recruitment": recruitment}, status=410)
    context = {"recruitment": recruitment, "committee": recruitment.committee}
    if request.method != "POST":
        # The account's name to start from, as the other resident forms do; the
        # e-mail is left empty (the receipt then goes to the account's address).
        form = ApplicationForm(recruitment=recruitment, initial={"name": request.user.display_name})
        return render(request, "committees/apply_form.html", {**context, "form": form})
    form = ApplicationForm(data=request.POST, recruitment=recruitment)
    step = request.POST.get("step", "confirm")
    if step == "edit" or not form.is_valid():
        return render(
            request, "committees/apply_form.html", {**context, "form": form}, status=200 if step == "edit" else 400
        )
    if step == "confirm":
        rows = confirmation_rows(form)
        return render(request, "committees/apply_confirm.html", {**context, "form": form, "rows": rows})
    wait = submit_rate_limited(request)  # the same counter as every other submission
    if wait:
        form.add_error(
            None,
            _(
                "短時間に多くの送信があったため、受付を一時停止しています。しばらく待ってから、もう一度「応募する」を押してください。入力内容は保持されています。"
            ),
        )
        rows = confirmation_rows(form)
        return render(request, "committees/apply_confirm.html", {**context, "form": form, "rows": rows}, status=429)
    try:
        application = application_submit(
            recruitment=recruitment, applicant=request.user, ip_address=client_ip(request), **form.service_kwargs()
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        status = 410 if isinstance(exc, RoundClosed) else 400
        return render(request, "committees/apply_form.html", {**context, "form": form}, status=status)
    return redirect("committees:application_receipt", receipt_number=application.receipt_number)


@login_required
def application_receipt(request, receipt_number):
    application = application_of_applicant(user=request.user, receipt_number=receipt_number)
    if application is None:
        raise Http404
    return render(
        request, "committees/application_receipt.html", {"application": application, "recruitment": application.round}
    )


@login_required
def my_applications(request):
    return render(
        request, "committees/my_applications.html", {"applications": applications_of_applicant(user=request.user)}
    )


@require_POST
@login_required
def application_withdraw_view(request, receipt_number):
    application = application_of_applicant(user=request.user, receipt_number=receipt_number)
    if application is None:
        raise Http404
    try:
        application_withdraw(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("受付番号 %(number)s の応募を取り下げました。") % {"number": receipt_number})
    return redirect("committees:my_applications")


# ---- 応募倍率 ----

RATIO_HEADER = [
    "年度",
    "和暦",
    "公募の件数",
    "募集人数",
    "応募者数（全体）",
    "応募者数（資格あり）",
    "応募倍率（全体）",
    "応募倍率（資格あり）",
    # Seats given beyond a cap, by the 年度 of their 委嘱日 (committees.selectors.report).
    "例外件数（兼職上限超え）",
    "例外件数（在任期間超え）",
]


def _ratio_rows(report) -> list[list]:
    return [
        [
            year.fiscal_year,
            fiscal_year_label(year.fiscal_year),
            year.rounds,
            year.seats,
            year.applicants,
            year.eligible_applicants,
            ratios.half_up(year.ratio_all),
            ratios.half_up(year.ratio_eligible),
            report.exceptions_of(year.fiscal_year).concurrent_seats,
            report.exceptions_of(year.fiscal_year).tenure,
        ]
        for year in report.years
    ]


def _report_for(request):
    """The city-wide report, or one committee's with ?committee=<id> (an unknown id is a 404)."""
    committee = committee_from_query(request.GET.get("committee", ""))
    return ratio_report(committee=committee), committee


def ratio_page(request):
    """応募倍率 and 例外件数 by 年度 (chart and table), per committee, and the members' composition against the targets."""
    report, committee = _report_for(request)
    # Years without a 公募 have no bar (0 would read as 応募なし); the table lists them.
    chart = bar_chart(
        [(f"{year.fiscal_year}年度", ratios.half_up(year.ratio_all)) for year in report.years if year.rounds]
    )
    return render(
        request,
        "committees/ratios.html",
        {
            "report": report,
            "chart": chart,
            "rows": [
                (
                    year,
                    fiscal_year_label(year.fiscal_year),
                    ratios.half_up(year.ratio_all),
                    ratios.half_up(year.ratio_eligible),
                    report.exceptions_of(year.fiscal_year),
                )
                for year in report.years
            ],
            "by_committee": ratio_rows_by_committee(),
            "committee": committee,
            "committees": committees_public(),
            "file_query": f"?committee={committee.pk}" if committee else "",
            "composition": composition(),
        },
    )


def ratio_csv(request):
    report, _committee = _report_for(request)
    return csv_response(
        content=csv_bytes(header=RATIO_HEADER, rows=_ratio_rows(report)), filename="committee-ratios.csv"
    )


def ratio_xlsx(request):
    report, _committee = _report_for(request)
    book = workbook_build(
        title=_("公募委員の応募倍率"),
        header=RATIO_HEADER,
        rows=_ratio_rows(report),
        widths=[8, 24, 10, 10, 14, 14, 14, 14, 16, 16],
    )
    return xlsx_response(content=xlsx_bytes(book), filename="committee-ratios.xlsx")
