"""Units, people, roles, memberships, the task force and liaisons."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitType(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")
    DEPARTMENT = "department", _("City department")
    TASK_FORCE = "task_force", _("Task force")
    OTHER = "other", _("Other body")


# Which unit types may sit directly under which; None is the root.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    UnitType.CITY: (None,),
    UnitType.COUNTY: (UnitType.CITY,),
    UnitType.TOWNSHIP: (UnitType.COUNTY,),
    UnitType.VILLAGE: (UnitType.TOWNSHIP,),
    UnitType.DEPARTMENT: (UnitType.CITY, UnitType.COUNTY, UnitType.DEPARTMENT),
    UnitType.TASK_FORCE: (UnitType.CITY, UnitType.COUNTY),
    UnitType.OTHER: (UnitType.CITY, UnitType.COUNTY, UnitType.TOWNSHIP, UnitType.OTHER),
}


class Unit(models.Model):
    code = models.CharField(
        _("code"), max_length=32, unique=True,
        help_text=_("The official administrative-division code where one exists."),
    )
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    # Materialised path of primary keys ("/1/5/23/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    active = models.BooleanField(_("active"), default=True)
    liaison = models.ForeignKey(
        "Person", verbose_name=_("liaison"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="liaison_for",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [models.Index(fields=["type", "active"], name="org_unit_type_active_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class Role(models.TextChoices):
    TASK_FORCE_OFFICER = "task_force_officer", _("Task-force officer")
    DEPARTMENT_CLERK = "department_clerk", _("Department clerk")
    GRASSROOTS_CADRE = "grassroots_cadre", _("Grassroots cadre")
    OVERSIGHT_OFFICER = "oversight_officer", _("Oversight officer")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra):
        person = self.model(username=username, **extra)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, username: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class Person(AbstractBaseUser):
    username = models.CharField(_("login name"), max_length=64, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    title = models.CharField(_("post"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_superuser = models.BooleanField(_("superuser"), default=False)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail"), blank=True,
                              help_text=_("Optional: where the daily digest of your inbox is sent."))
    digest = models.BooleanField(_("daily digest by e-mail"), default=True)
    # Set with a temporary password an administrator gave: every page asks for a new one until it is changed.
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.username

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    # The admin site asks these; only system administrators use it.
    @property
    def is_staff(self) -> bool:
        return self.is_superuser or self.has_role(Role.SYSTEM_ADMIN)

    def has_perm(self, perm: str, obj=None) -> bool:
        """A product permission code (org.permissions.Perm) is answered by the roles through the auth backend,
        so layers below org can ask `request.user.has_perm("audit.view")`; the admin site's model
        permissions belong to system administrators."""
        if not self.is_active:
            return False
        from django.contrib.auth import get_backends

        if any(b.has_perm(self, perm, obj) for b in get_backends() if hasattr(b, "has_perm")):
            return True
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_staff

    def has_role(self, role: str) -> bool:
        return any(m.role == role for m in self.active_memberships)

    @property
    def active_memberships(self) -> list[Membership]:
        cached = getattr(self, "_active_memberships", None)
        if cached is None:
            cached = list(self.memberships.filter(active=True).select_related("unit"))
            self._active_memberships = cached
        return cached


class Membership(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="org_membership_unique"),
        ]
        indexes = [models.Index(fields=["unit", "role", "active"], name="org_membership_unit_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.get_role_display()}"


class TaskForceGroup(models.Model):
    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Comprehensive coordination group")
        SUPERVISION = "supervision", _("Supervision and inspection group")
        PUBLICITY = "publicity", _("News and publicity group")

    task_force = models.ForeignKey(Unit, verbose_name=_("task force"), on_delete=models.PROTECT,
                                   related_name="task_force_groups",
                                   limit_choices_to={"type": UnitType.TASK_FORCE})
    kind = models.CharField(_("group"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("task-force group")
        verbose_name_plural = _("task-force groups")
        constraints = [models.UniqueConstraint(fields=["task_force", "kind"], name="org_tfgroup_unique")]
        ordering = ["task_force", "kind"]

    def __str__(self) -> str:
        return self.name


class Secondment(models.Model):
    """A person seconded from a department to a task-force group (抽调)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="secondments")
    group = models.ForeignKey(TaskForceGroup, verbose_name=_("group"), on_delete=models.PROTECT,
                              related_name="secondments")
    from_unit = models.ForeignKey(Unit, verbose_name=_("seconded from"), on_delete=models.PROTECT,
                                  related_name="secondments_out")
    is_lead = models.BooleanField(_("group lead"), default=False)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["group", "-is_lead", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} → {self.group}"


class LoginFailure(models.Model):
    """Failed logins per login name (existing or not, so a lock reveals nothing) and client: `client` is a keyed
    hash of the client's address, or "*" for the name's failures from every client (org.backends)."""

    username = models.CharField(max_length=150)
    client = models.CharField(max_length=24, default="*")
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")
        constraints = [models.UniqueConstraint(fields=["username", "client"], name="login_failure_name_client")]

    def __str__(self) -> str:
        return self.username


class ImportJob(models.Model):
    """One spreadsheet import: uploaded, checked row by row, then applied all-or-nothing."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Units")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        INVALID = "invalid", _("Has problems")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    created_by = models.ForeignKey(Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                   related_name="import_jobs")
    file_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(max_length=500, editable=False)
    file_sha256 = models.CharField(max_length=64, editable=False)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
