"""Staff pages for 市長への手紙: inbox, case, route, draft, approve, 市長確認, send, print."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import (
    APPROVER_ROLES,
    CITYWIDE_ROLES,
    DEPARTMENT_ROLES,
    KOUCHOU,
    LETTER_ROLES,
    STAFF_WORKING_ROLES,
    has_role,
)
from core.http import client_ip
from core.views import form_action
from letters import workflow
from letters.forms import (
    LetterApproveForm,
    LetterDraftForm,
    LetterFileForm,
    LetterPublishForm,
    LetterRouteForm,
)
from letters.models import LetterCategory
from letters.selectors.actions import letter_allowed_actions, letter_offers, letter_pending_stage
from letters.selectors.case import (
    letter_can_reply,
    letter_history_rows,
    letter_masked_suggestion,
    letter_suggested_department,
    letter_text_for,
)
from letters.selectors.inbox import (
    NO_CATEGORY,
    letter_case_get_visible,
    letter_inbox_cases,
    letter_received_on,
    letter_rows,
)
from letters.services import (
    letter_file,
    letter_mayor_review_set,
    letter_publish,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_send,
    letter_route,
)
from triage.services import original_text_view, personal_data_view

LETTERS_PER_PAGE = 100


def _case(request, pk):
    case = letter_case_get_visible(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


def _require(request, case, action):
    from django.core.exceptions import PermissionDenied

    if action not in letter_allowed_actions(user=request.user, case=case):
        raise PermissionDenied


@staff_member_required(*LETTER_ROLES)
def letter_list(request):
    closed = request.GET.get("closed") == "1"
    categories = list(LetterCategory.objects.all())
    category = request.GET.get("category", "")
    if category not in {c.code for c in categories} | {NO_CATEGORY}:
        category = ""
    cases = letter_inbox_cases(user=request.user, closed=closed, category=category)
    page = Paginator(cases, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/staff/list.html",
        {
            "rows": letter_rows(page.object_list),
            "page": page,
            "closed": closed,
            "categories": categories,
            "category": category,
            "no_category": NO_CATEGORY,
            # Kept by the tabs (対応中 / 送付済み) and the page links.
            "category_query": urlencode({"category": category}) if category else "",
            # 市長・秘書課 read the marked letters only: the themes page is not theirs.
            "shows_themes": has_role(request.user, *STAFF_WORKING_ROLES),
        },
    )


@staff_member_required(*LETTER_ROLES)
def letter_detail(request, pk):
    case = _case(request, pk)
    original_text_view(actor=request.user, submission=case.submission, ip_address=client_ip(request))
    stage = letter_pending_stage(case=case)
    return render(
        request,
        "letters/staff/detail.html",
        {
            "case": case,
            "text": letter_text_for(user=request.user, case=case),
            "actions": letter_allowed_actions(user=request.user, case=case),
            "offers": letter_offers(user=request.user, case=case),
            "can_reply": letter_can_reply(case=case),
            "received_on": letter_received_on(submission=case.submission),
            "approvals": case.approvals.select_related("approver"),
            "history": letter_history_rows(case=case),
            "approve_form": LetterApproveForm(initial={"stage": stage}) if stage else None,
            "stage": stage,
        },
    )


@staff_member_required(*CITYWIDE_ROLES)
def letter_personal_data(request, pk):
    case = _case(request, pk)
    identity = personal_data_view(actor=request.user, submission=case.submission, ip_address=client_ip(request))
    return render(
        request,
        "letters/staff/personal_data.html",
        {"case": case, "identity": identity},
    )


def _form_action(request, case, form, act, template: str, **context):
    """Run ``act(cleaned_data)`` and go back to the case (core.views.form_action)."""
    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:letter_detail", args=[case.pk]),
        template=template,
        context={"case": case, **context},
    )


@staff_member_required(KOUCHOU)
def letter_route_view(request, pk):
    case = _case(request, pk)
    _require(request, case, "route")
    initial = {
        "department": case.submission.department
        if case.submission.department_id
        else letter_suggested_department(case=case),
        "routed_text": case.routed_text or letter_masked_suggestion(case=case),
        "category": case.category,
        "mayor_review": case.mayor_review,
    }

    def route(data) -> str:
        routed = letter_route(
            actor=request.user,
            case=case,
            department=data["department"],
            category=data["category"],
            routed_text=data["routed_text"],
            mayor_review=data["mayor_review"],
        )
        return _("%(department)s に回付しました（回答期限：%(due)s）。") % {
            "department": routed.submission.department,
            "due": routed.due_on.strftime("%Y年%m月%d日"),
        }

    return _form_action(
        request,
        case,
        LetterRouteForm(data=request.POST or None, initial=initial, case=case),
        route,
        "letters/staff/route.html",
        suggested=letter_suggested_department(case=case),
    )


@staff_member_required(*DEPARTMENT_ROLES)
def letter_draft_view(request, pk):
    case = _case(request, pk)
    _require(request, case, "draft")

    def draft(data) -> str:
        letter_reply_draft(actor=request.user, case=case, text=data["text"])
        return _("回答案を保存し、課長の承認待ちにしました。")

    return _form_action(
        request,
        case,
        LetterDraftForm(data=request.POST or None, initial={"text": case.reply_text}),
        draft,
        "letters/staff/draft.html",
        text=letter_text_for(user=request.user, case=case),
        send_back=case.approvals.filter(approved=False).order_by("-decided_at").first(),
    )


@require_POST
@staff_member_required(*APPROVER_ROLES)
def letter_approve_view(request, pk):
    case = _case(request, pk)
    form = LetterApproveForm(data=request.POST)
    if form.is_valid():
        approved = form.cleaned_data["decision"] == "approve"
        try:
            letter_reply_approve(
                actor=request.user,
                case=case,
                approved=approved,
                comment=form.cleaned_data["comment"],
                stage=form.cleaned_data["stage"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("承認しました。") if approved else _("回答案を担当課に差し戻しました。"),
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("staff:letter_detail", pk=case.pk)


@require_POST
@staff_member_required(KOUCHOU)
def letter_mayor_review_view(request, pk):
    """広聴 marks the letter 市長確認が必要, or takes the mark off (action=mark_mayor|unmark_mayor)."""
    case = _case(request, pk)
    action = request.POST.get("action")
    if action not in (workflow.MARK_MAYOR, workflow.UNMARK_MAYOR):
        messages.error(request, _("市長確認を必要にするか不要にするかを選んでください。"))
        return redirect("staff:letter_detail", pk=case.pk)
    required = action == workflow.MARK_MAYOR
    try:
        case = letter_mayor_review_set(actor=request.user, case=case, required=required)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("市長確認が必要な手紙にしました。広聴の承認の後、市長（秘書課）の確認を経て送付します。")
            if required
            else _("市長確認を不要にしました。"),
        )
    return redirect("staff:letter_detail", pk=case.pk)


@require_POST
@staff_member_required(KOUCHOU)
def letter_send_view(request, pk):
    case = _case(request, pk)
    try:
        case = letter_reply_send(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("回答をメールで送信します。") if case.reply_channel == "email" else _("郵送した回答として記録しました。"),
        )
    return redirect("staff:letter_detail", pk=case.pk)


@staff_member_required(KOUCHOU)
def letter_file_view(request, pk):
    case = _case(request, pk)
    _require(request, case, "file")

    def file(data) -> str:
        letter_file(actor=request.user, case=case, disposition=data["disposition"])
        return _("回答せず参考意見としてファイルしました。")

    return _form_action(
        request,
        case,
        LetterFileForm(data=request.POST or None),
        file,
        "letters/staff/file.html",
    )


@staff_member_required(KOUCHOU)
def letter_publish_view(request, pk):
    case = _case(request, pk)
    _require(request, case, "publish")
    initial = {
        "summary": case.published_summary,
        "reply_summary": case.published_reply_summary,
    }

    def publish(data) -> str:
        letter_publish(actor=request.user, case=case, ip_address=client_ip(request), **data)
        return _("要旨を公表しました。")

    return _form_action(
        request,
        case,
        LetterPublishForm(data=request.POST or None, initial=initial),
        publish,
        "letters/staff/publish.html",
    )


@staff_member_required(KOUCHOU)
def letter_print(request, pk):
    case = _case(request, pk)
    _require(request, case, "print")
    identity = personal_data_view(actor=request.user, submission=case.submission, ip_address=client_ip(request))
    return render(
        request,
        "letters/staff/print.html",
        {
            "case": case,
            "identity": identity,
            "today": timezone.localdate(),
            "mayor_name": getattr(settings, "KOE_MAYOR_NAME", ""),
        },
    )
