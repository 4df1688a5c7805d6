from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN
from core.personal_data import PersonalData


class Department(models.Model):
    """A 部 (no parent) or a 課 (under a 部) that owns items and replies."""

    code = models.SlugField(_("組織コード"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位の部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("所管課")
        verbose_name_plural = _("所管課")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.parent.name} {self.name}" if self.parent_id else self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("メールアドレスは必須です。")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A resident or a member of staff; both log in with their e-mail."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("メールアドレス"), unique=True)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    PERSONAL_DATA = PersonalData(
        file="利用者アカウント",
        purpose="ログイン、提出した意見・手紙の確認と取り下げ、回答の閲覧；職員は担当業務と操作の記録",
        fields=("email", "display_name", "password", "last_login", "date_joined"),
        subjects="アカウントを登録した市民と職員",
        retention=("アカウントの削除まで（市民は本人がマイページから、職員はシステム管理者が削除）",),
        seen_by=(ADMIN, "self"),
        source="本人が登録画面で入力（職員はシステム管理者が登録）",
        note="パスワードはハッシュ値のみを保存します。",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email
