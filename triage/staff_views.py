"""Staff queue and submission detail: thin adapters over selectors/services."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import can_view_personal_data, may_handle_incidents, sees_every_department
from accounts.decorators import staff_member_required
from accounts.roles import COMMITTEE_ROLES, LETTER_ROLES, STAFF_WORKING_ROLES, has_role
from core.http import client_ip
from core.incidents.selectors import incident_counts
from core.views import form_action
from feedback.selectors import submission_list_visible_to
from feedback.staff_views import workable_for_entry
from nlp.selectors import latest_masked_texts, suggestion_quality
from plans.models import Policy
from triage import services
from triage.forms import (
    AssignForm,
    BulkActionForm,
    NoteForm,
    QueueFilterForm,
    TopicForm,
)
from triage.selectors.detail import submission_detail_context
from triage.selectors.queue import (
    PAGE_SIZE,
    CappedPaginator,
    duplicate_group_sizes,
    submission_queue,
)


@staff_member_required()
def home(request):
    """The staff start page: the cases this member of staff may work on."""
    return render(
        request,
        "triage/home.html",
        {
            "consultations": workable_for_entry(request.user),
            "citywide": sees_every_department(request.user),
            "works_on_submissions": has_role(request.user, *STAFF_WORKING_ROLES),
            "reads_letters": has_role(request.user, *LETTER_ROLES),
            "manages_committees": has_role(request.user, *COMMITTEE_ROLES),
            # 漏えい等事案: 広聴 and admins, with how many are open and past a term.
            "incidents": incident_counts() if may_handle_incidents(user=request.user) else None,
        },
    )


# Bulk actions that apps above triage add to the queue (opinions adds
# 意見要旨に加える in its AppConfig.ready): name → handler(actor, ids, data)
# returning the message to show.
EXTRA_BULK_ACTIONS: dict[str, Callable[..., str]] = {}


def _bulk(request, form):
    data = form.cleaned_data
    ids = [s.pk for s in data["selected"]]
    action = data["action"]
    if action in EXTRA_BULK_ACTIONS:
        messages.success(
            request,
            EXTRA_BULK_ACTIONS[action](actor=request.user, submission_ids=ids, data=data),
        )
        return
    if action == "assign":
        count = services.submission_assign(actor=request.user, submission_ids=ids, department=data["department"])
    elif action == "topic":
        policy = Policy.objects.get(code=data["policy"])
        count = services.submission_set_topic(actor=request.user, submission_ids=ids, policy=policy)
    else:
        count = services.submission_set_status(actor=request.user, submission_ids=ids, status=data["status"])
    messages.success(request, _("%(count)s件を更新しました。") % {"count": count})


@staff_member_required(*STAFF_WORKING_ROLES)
def queue(request):
    visible = submission_list_visible_to(user=request.user)
    if request.method == "POST":
        bulk = BulkActionForm(request.POST, visible=visible)
        if bulk.is_valid():
            try:
                _bulk(request, bulk)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.error(request, " ".join(e for errors in bulk.errors.values() for e in errors))
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    # Sticky filters: the queue opens with the filters last used in this
    # session; 「条件をクリア」 (?clear=1) forgets them.
    # (a cookie on this path, so it costs no query).
    if "clear" in request.GET:
        response = redirect(request.path)
        response.delete_cookie(QUEUE_FILTERS_COOKIE, path=request.path)
        return response
    saved = request.COOKIES.get(QUEUE_FILTERS_COOKIE, "")
    if not request.GET and saved:
        return redirect(f"{request.path}?{saved}")
    filters_form = QueueFilterForm(request.GET or None, user=request.user)
    page = CappedPaginator(submission_queue(user=request.user, filters=filters_form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sizes = duplicate_group_sizes(keys=[s.duplicate_group_key for s in page])
    # The excerpt is the masked text of the latest analysis for everyone: a
    # list of 100 originals would show personal data without a reason to.
    excerpts = latest_masked_texts(submission_ids=[s.pk for s in page])
    rows = [(s, sizes.get(s.duplicate_group_key, 1), _excerpt(excerpts.get(s.pk, ""))) for s in page]
    response = render(
        request,
        "triage/queue.html",
        {
            "filters": filters_form,
            "page": page,
            "rows": rows,
            "bulk": BulkActionForm(visible=visible),
            "query": _without_page(request),
            "quality": suggestion_quality(),
        },
    )
    query = _without_page(request)
    if query != saved:
        response.set_cookie(
            QUEUE_FILTERS_COOKIE, query, path=request.path, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


QUEUE_FILTERS_COOKIE = "koe_queue_filters"
EXCERPT_CHARS = 60


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


DETAIL_FORMS = {"note": NoteForm, "topic": TopicForm, "assign": AssignForm}


@staff_member_required(*STAFF_WORKING_ROLES)
def detail(request, pk):
    submission = get_object_or_404(submission_list_visible_to(user=request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    # The posted form is bound (errors and what was typed stay); the others start afresh.
    forms = {
        "note": NoteForm(),
        "topic": TopicForm(initial={"policy": getattr(submission.policy or submission.suggested_policy, "code", "")}),
        "assign": AssignForm(initial={"department": submission.department_id}),
    }
    if action in DETAIL_FORMS:
        forms[action] = DETAIL_FORMS[action](request.POST)
    elif request.method == "POST":
        messages.error(
            request,
            _("操作を判別できませんでした。ページを読み込み直してから、もう一度お試しください。"),
        )

    def page() -> dict:
        context = submission_detail_context(submission=submission, user=request.user)
        services.original_text_view(actor=request.user, submission=submission, ip_address=client_ip(request))
        context.update({f"{name}_form": form for name, form in forms.items()})
        context["can_view_personal_data"] = can_view_personal_data(user=request.user)
        return context

    if action not in DETAIL_FORMS:
        return render(
            request,
            "triage/submission_detail.html",
            page(),
            status=400 if request.method == "POST" else 200,
        )
    return form_action(
        request,
        forms[action],
        _detail_action(request, submission, action),
        success_url=reverse("staff:submission_detail", args=[submission.pk]),
        template="triage/submission_detail.html",
        context=page,
    )


def _detail_action(request, submission, action):
    """Return the service call for the posted form; it returns the success message."""

    def note(data) -> str:
        services.note_add(actor=request.user, submission=submission, text=data["text"])
        return _("メモを追加しました。")

    def topic(data) -> str:
        policy = Policy.objects.get(code=data["policy"])
        services.submission_set_topic(actor=request.user, submission_ids=[submission.pk], policy=policy)
        return _("施策を「%(policy)s」に確定しました。") % {"policy": policy}

    def assign(data) -> str:
        services.submission_assign(
            actor=request.user,
            submission_ids=[submission.pk],
            department=data["department"],
        )
        return _("所管課を割り当てました。")

    return {"note": note, "topic": topic, "assign": assign}[action]


@staff_member_required(*STAFF_WORKING_ROLES)
def personal_data(request, pk):
    """Show the submitter's personal data on request; every view is logged."""
    submission = get_object_or_404(submission_list_visible_to(user=request.user), pk=pk)
    identity = services.personal_data_view(actor=request.user, submission=submission, ip_address=client_ip(request))
    return render(
        request,
        "triage/personal_data.html",
        {"submission": submission, "identity": identity},
    )
