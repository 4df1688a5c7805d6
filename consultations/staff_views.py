"""Staff pages of consultations: 案の取り下げ (行政手続法43条4項) with a confirmation screen.

広聴 and admins only. The page asks for the reason, shows on a confirmation
screen what will be published (title, 公示日, date, reason) and what stops
(every channel refuses new submissions), and withdraws through
consultations.services.consultation_withdraw, which checks the state again
under the row lock.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES
from consultations.forms import ConsultationWithdrawForm
from consultations.models import Consultation
from consultations.services import WITHDRAWABLE_STATUSES, consultation_withdraw
from core.http import client_ip
from core.views import form_action

TEMPLATE = "consultations/staff/withdraw.html"


@staff_member_required(*CITYWIDE_ROLES)
def withdraw(request, pk):
    consultation = Consultation.objects.exclude(kind=Consultation.Kind.LETTER).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    context = {"consultation": consultation, "withdrawable": consultation.status in WITHDRAWABLE_STATUSES}
    form = ConsultationWithdrawForm(data=request.POST or None)
    step = request.POST.get("step", "confirm")
    if request.method == "POST" and step != "submit":
        valid = form.is_valid()
        if step == "confirm" and valid and context["withdrawable"]:
            return render(request, TEMPLATE, {**context, "form": form, "confirming": True})
        return render(request, TEMPLATE, {**context, "form": form}, status=200 if step == "edit" or valid else 400)

    def act(data) -> str:
        consultation_withdraw(
            actor=request.user, consultation=consultation, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("「%(title)s」の案を取り下げました。案件のページに取り下げの日付と理由を公表しています。") % {
            "title": consultation.title
        }

    return form_action(
        request,
        form,
        act,
        success_url=reverse("consultations:detail", args=[consultation.pk]),
        template=TEMPLATE,
        context=context,
    )
