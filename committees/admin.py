"""The registry in the admin site (システム管理者): committees and their members.

Rounds and applications are worked on the secretariat pages, where every
view of personal data is audited; the admin shows rounds read-mostly and
no application at all. Members (委員, 公募委員 or not) are saved through
committees.services.rounds, so each change is audited and a seat beyond
the 兼職 or 在任期間 cap is kept only as an exception with its reason.
"""

from django import forms
from django.contrib import admin

from committees.models import Committee, CommitteeMember, RecruitmentRound
from committees.selectors import seat_caps_check
from committees.services.rounds import (
    MEMBER_FIELDS,
    member_delete,
    member_exception_clean,
    member_record,
    member_update,
)


class MemberAdminForm(forms.ModelForm):
    """A 委員 row: the caps are counted from the registry's other seats (the city's caps, or its 公募's)."""

    class Meta:
        model = CommitteeMember
        fields = MEMBER_FIELDS

    def clean(self):
        data = super().clean()
        if not self.has_changed() or self.errors or not data.get("name") or not data.get("term_start"):
            return data
        member = self.instance
        recruitment = member.application.round if member.application_id else None
        caps = seat_caps_check(
            committee_id=member.committee_id,
            name=data["name"],
            birth_date=data.get("birth_date"),
            term_start=data["term_start"],
            max_concurrent_seats=recruitment.max_concurrent_seats if recruitment else None,
            max_tenure_years=recruitment.max_tenure_years if recruitment else None,
            exclude_member=member.pk,
        )
        data.update(
            member_exception_clean(
                caps=caps,
                over_concurrent_cap=data.get("over_concurrent_cap", False),
                over_tenure_cap=data.get("over_tenure_cap", False),
                exception_basis=data.get("exception_basis", ""),
                exception_reason=data.get("exception_reason", ""),
            )
        )
        return data


class MemberInline(admin.StackedInline):
    model = CommitteeMember
    form = MemberAdminForm
    extra = 0
    fieldsets = (
        (None, {"fields": (("name", "birth_date"), ("is_public", "gender", "age_band"), ("term_start", "term_end"))}),
        (
            "上限の例外（兼職・在任期間）",
            {
                "fields": (("over_concurrent_cap", "over_tenure_cap"), "exception_basis", "exception_reason"),
                "description": "委嘱日に兼職または在任期間の上限に達している委員は、例外の区分と理由を記録したときだけ登録できます。件数は公表されます。",
            },
        ),
    )


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_basis_kind", "secretariat", "total_seats", "public_seats", "term_years")
    list_filter = ("legal_basis_kind", "secretariat")
    search_fields = ("name",)
    inlines = [MemberInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not CommitteeMember:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for member in formset.deleted_objects:
            member_delete(actor=request.user, member=member)
        for member in formset.new_objects:
            member_record(
                actor=request.user,
                committee=member.committee,
                **{name: getattr(member, name) for name in MEMBER_FIELDS},
            )
        for member, changed in formset.changed_objects:
            member_update(
                actor=request.user,
                member=member,
                **{name: getattr(member, name) for name in changed if name in MEMBER_FIELDS},
            )
        return None


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "committee",
        "seats_offered",
        "notice_starts_on",
        "notice_ends_on",
        "selection_method",
        "published",
    )
    list_filter = ("committee", "selection_method", "published")
    readonly_fields = ("lottery_seed", "lottery_drawn_at", "lottery_order", "decided_at")
