"""The registry in the admin site (システム管理者): committees and their members.

Rounds and applications are worked on the secretariat pages, where every
view of personal data is audited; the admin shows rounds read-mostly and
no application at all.
"""

from django.contrib import admin

from committees.models import Committee, CommitteeMember, RecruitmentRound


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    fields = ("name", "birth_date", "is_public", "gender", "age_band", "term_start", "term_end")


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_basis_kind", "secretariat", "total_seats", "public_seats", "term_years")
    list_filter = ("legal_basis_kind", "secretariat")
    search_fields = ("name",)
    inlines = [MemberInline]


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
