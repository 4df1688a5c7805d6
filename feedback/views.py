"""Resident-facing intake: form → confirmation → receipt, for each channel."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import is_staff_member
from consultations.models import Consultation
from consultations.selectors import (
    consultation_get_for_intake,
    consultation_get_letter,
    consultation_is_accepting,
)
from consultations.services import invitation_code_normalize
from core.forms import confirmation_rows
from core.http import client_ip
from core.i18n import language_supported
from core.ratelimit import rate_limit_consume
from feedback.forms.fields import MORE_SIGNERS_STEP
from feedback.forms.letter import LetterForm
from feedback.forms.public_comment import PublicCommentForm
from feedback.forms.survey import SurveyForm
from feedback.selectors import submission_get_receipt, submission_list_for_author
from feedback.services import SubmissionClosed, submission_create, submission_withdraw

RECEIPTS_SESSION_KEY = "koe_receipts"
FORM_BY_KIND = {
    Consultation.Kind.PUBLIC_COMMENT: PublicCommentForm,
    Consultation.Kind.LETTER: LetterForm,
    Consultation.Kind.SURVEY: SurveyForm,
}


def submit_rate_limited(request) -> int | None:
    """Count one final submission per client address against KOE_SUBMIT_RATE.

    Returns the seconds to wait when over the limit (the answer carries them
    as Retry-After), else None. Web form and API share the counter.
    """
    return rate_limit_consume(request, group="koe-submit", rate=settings.KOE_SUBMIT_RATE)


class SubmitView(View):
    """Three steps on one URL: edit (form), confirm (review), submit."""

    template_form = "feedback/submit_form.html"
    template_confirm = "feedback/submit_confirm.html"

    def get_consultation(self):
        consultation = consultation_get_for_intake(pk=self.kwargs["pk"])
        if consultation is None:
            raise Http404
        return consultation

    def build_form(self, consultation, data=None):
        initial = self.account_initial() if data is None else None
        if initial is not None and consultation.invitation_required and self.request.GET.get("code"):
            # The QR code on a 依頼状 opens the form with its code filled in
            # (?code=…); it is checked, as a typed one, on 「入力内容を確認する」.
            initial["invitation_code"] = invitation_code_normalize(self.request.GET["code"])[:32]
        return FORM_BY_KIND[consultation.kind](data=data, initial=initial, consultation=consultation, auto_id="id_%s")

    def account_initial(self) -> dict:
        """A signed-in resident's name and e-mail from the account, as the form's initial values.

        Staff are left out: they enter paper letters for others and would
        fill in their own name by mistake. The resident can change or clear both.
        """
        user = self.request.user
        if not user.is_authenticated or user.is_staff or user.is_superuser or is_staff_member(user):
            return {}
        values = {"name": user.display_name, "email": user.email}
        return {key: value for key, value in values.items() if value}

    def dispatch(self, request, *args, **kwargs):
        self.consultation = self.get_consultation()
        if not consultation_is_accepting(self.consultation):
            return render(
                request,
                "feedback/not_accepting.html",
                {"consultation": self.consultation},
                status=410,
            )
        if not self.consultation.allow_anonymous_account and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        return render(
            self.request,
            self.template_form,
            {"form": form, "consultation": self.consultation},
            status=status,
        )

    def render_confirm(self, form, status=200):
        skip = getattr(form, "confirmation_skip", tuple)()
        rows = confirmation_rows(form, skip=("invitation_code", *skip))
        rows += getattr(form, "confirmation_extra_rows", list)()
        context = {"form": form, "rows": rows, "consultation": self.consultation}
        return render(self.request, self.template_confirm, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.build_form(self.consultation))

    def post(self, request, *args, **kwargs):
        form = self.build_form(self.consultation, data=request.POST)
        step = request.POST.get("step", "confirm")
        if step == MORE_SIGNERS_STEP and hasattr(form, "show_without_errors"):
            # 「連名者の入力欄を増やす」: the same form with more rows, nothing judged yet.
            form.show_without_errors()
            return self.render_form(form)
        if step == "edit" or not form.is_valid():
            return self.render_form(form, status=200 if step == "edit" else 400)
        if step == "confirm":
            return self.render_confirm(form)
        wait = submit_rate_limited(request)
        if wait:
            # 429 with Retry-After (core.ratelimit); the confirmation page keeps
            # what was typed.
            form.add_error(
                None,
                _(
                    "短時間に多くの送信があったため、受付を一時停止しています。"
                    "しばらく待ってから（約%(minutes)s分後）、もう一度「送信する」を押してください。入力内容は保持されています。"
                )
                % {"minutes": max(1, -(-wait // 60))},
            )
            return self.render_confirm(form, status=429)
        try:
            submission = self.create(form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            status = 410 if isinstance(exc, SubmissionClosed) else 400
            return self.render_form(form, status=status)
        request.session.setdefault(RECEIPTS_SESSION_KEY, [])
        request.session[RECEIPTS_SESSION_KEY] = request.session[RECEIPTS_SESSION_KEY][-19:] + [
            submission.receipt_number
        ]
        return redirect("feedback:receipt", receipt_number=submission.receipt_number)

    def create(self, form):
        common = {
            "consultation": self.consultation,
            "channel": "web",
            "author": self.request.user,
            "ip_address": client_ip(self.request),
            # The language of the page the resident sent it from (#15).
            "language": language_supported(translation.get_language()),
        }
        if isinstance(form, SurveyForm):
            return submission_create(
                **common,
                answers=form.answers(),
                attributes=form.attributes(),
                invitation_code=form.cleaned_data.get("invitation_code", ""),
            )
        extra = {}
        if isinstance(form, PublicCommentForm):
            extra = {
                "section": form.section_object(),
                "section_text": form.cleaned_data.get("section_text", ""),
                "results_notice": form.cleaned_data.get("results_notice", False),
            }
        else:
            extra = {
                "reply_requested": form.cleaned_data["reply_requested"],
                "publication_consent": form.cleaned_data["publication_consent"],
            }
        identity = form.identity()
        for key in ("eligibility", "eligibility_detail", "contact_method"):
            if form.cleaned_data.get(key):
                identity[key] = form.cleaned_data[key]
        return submission_create(**common, body=form.cleaned_data["body"], identity=identity, **extra)


class LetterSubmitView(SubmitView):
    def get_consultation(self):
        consultation = consultation_get_letter()
        if consultation is None:
            raise Http404
        return consultation


def receipt(request, receipt_number):
    allowed = request.session.get(RECEIPTS_SESSION_KEY, [])
    submission = submission_get_receipt(receipt_number=receipt_number, user=request.user, session_receipts=allowed)
    if submission is None:
        raise Http404
    return render(
        request,
        "feedback/receipt.html",
        {"submission": submission, "consultation": submission.consultation},
    )


@login_required
def my_submissions(request):
    submissions = submission_list_for_author(user=request.user)
    return render(request, "feedback/my_submissions.html", {"submissions": submissions})


@method_decorator(login_required, name="dispatch")
class WithdrawView(View):
    def get(self, request, receipt_number):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, receipt_number):
        submission = get_object_or_404(submission_list_for_author(user=request.user), receipt_number=receipt_number)
        try:
            submission_withdraw(submission=submission, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("受付番号 %(number)s の意見を取り下げました。") % {"number": receipt_number},
            )
        return redirect("feedback:my_submissions")
