"""How the organisation's audit records read: units, people, memberships, the task force, imports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.audit.describe import AuditAction, action_register, choice_label, fixed_text, object_type_register

from .models import ImportJob, Membership, Person, Role, Secondment, TaskForceGroup, Unit, UnitType


def _language(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))


def _role_granted(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    role = Role(value["role"]).label if value.get("role") in Role.values else value.get("role", "")
    return _("%(role)s of %(unit)s") % {"role": role, "unit": value.get("unit", "")}


def _source(value: Any) -> str:
    return str(_("command line")) if value == "cli" else str(value)


def register() -> None:
    """Register the sentences, labels and value formatters of every action the org app writes."""
    unit, person = Unit._meta, Person._meta
    object_type_register("org.unit", unit.verbose_name)
    object_type_register("org.person", person.verbose_name)
    object_type_register("org.membership", Membership._meta.verbose_name)
    object_type_register("org.taskforcegroup", TaskForceGroup._meta.verbose_name)
    object_type_register("org.secondment", Secondment._meta.verbose_name)
    # An import reads as the file it came from: "… imported spreadsheet “Units · 单位.xlsx”"; one run from
    # the command line has no import job, only its file.
    object_type_register("org.importjob", gettext_lazy("spreadsheet"))
    object_type_register("import.file", gettext_lazy("file"))
    object_type_register("login", gettext_lazy("login name"))

    unit_fields = {
        "code": unit.get_field("code").verbose_name, "name": unit.get_field("name").verbose_name,
        "type": unit.get_field("type").verbose_name, "parent": unit.get_field("parent").verbose_name,
        "active": unit.get_field("active").verbose_name, "liaison": unit.get_field("liaison").verbose_name,
        "liaison_name": gettext_lazy("liaison's name"), "reason": gettext_lazy("reason"),
    }
    unit_values = {"type": choice_label(UnitType.choices)}
    person_fields = {
        "username": person.get_field("username").verbose_name, "name": person.get_field("name").verbose_name,
        "phone": person.get_field("phone").verbose_name, "title": person.get_field("title").verbose_name,
        "is_active": person.get_field("is_active").verbose_name, "email": person.get_field("email").verbose_name,
        "digest": person.get_field("digest").verbose_name,
        "preferred_language": person.get_field("preferred_language").verbose_name,
        "role_granted": gettext_lazy("role granted"), "password": gettext_lazy("password"),
    }
    person_values = {"preferred_language": _language, "role_granted": _role_granted,
                     "password": fixed_text(gettext_lazy("changed"))}
    membership_fields = {"person": Membership._meta.get_field("person").verbose_name,
                         "unit": Membership._meta.get_field("unit").verbose_name,
                         "role": Membership._meta.get_field("role").verbose_name,
                         "active": Membership._meta.get_field("active").verbose_name}
    membership_values = {"role": choice_label(Role.choices)}
    group_fields = {"task_force": TaskForceGroup._meta.get_field("task_force").verbose_name,
                    "kind": TaskForceGroup._meta.get_field("kind").verbose_name,
                    "name": TaskForceGroup._meta.get_field("name").verbose_name}
    group_values = {"kind": choice_label(TaskForceGroup.Kind.choices)}
    secondment = Secondment._meta
    secondment_fields = {"person": secondment.get_field("person").verbose_name,
                         "group": secondment.get_field("group").verbose_name,
                         "from": secondment.get_field("from_unit").verbose_name,
                         "start": secondment.get_field("start").verbose_name,
                         "end": secondment.get_field("end").verbose_name,
                         "lead": secondment.get_field("is_lead").verbose_name}
    secondment_values = {"group": choice_label(TaskForceGroup.Kind.choices)}
    job = ImportJob._meta
    import_fields = {"kind": job.get_field("kind").verbose_name, "file_name": job.get_field("file_name").verbose_name,
                     "sha256": gettext_lazy("SHA-256 checksum"), "size": gettext_lazy("size (bytes)"),
                     "created": gettext_lazy("rows created"), "updated": gettext_lazy("rows updated"),
                     "unchanged": gettext_lazy("rows unchanged"), "source": gettext_lazy("imported through")}
    import_values = {"kind": choice_label(ImportJob.Kind.choices), "source": _source}

    login_fields = {"client": gettext_lazy("client (keyed hash)"), "door": gettext_lazy("login page"),
                    "failures": gettext_lazy("failures in a row"), "until": gettext_lazy("until")}
    created = gettext_lazy("%(actor)s created %(object)s")
    changed = gettext_lazy("%(actor)s changed %(object)s")
    action_register(
        AuditAction("unit.create", created, fields=unit_fields, values=unit_values, object_type="org.unit"),
        AuditAction("unit.update", changed, fields=unit_fields, values=unit_values, object_type="org.unit"),
        AuditAction("unit.delete", gettext_lazy("%(actor)s deleted %(object)s"), fields=unit_fields, values=unit_values,
                    object_type="org.unit"),
        AuditAction("unit.liaison_set", gettext_lazy("%(actor)s set the liaison of %(object)s"),
                    fields=unit_fields, values=unit_values, object_type="org.unit"),
        AuditAction("person.create", created, fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.update", changed, fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.delete", gettext_lazy("%(actor)s deleted %(object)s"), fields=person_fields,
                    values=person_values, object_type="org.person"),
        AuditAction("person.settings", gettext_lazy("%(actor)s changed the settings of %(object)s"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.set_password", gettext_lazy("%(actor)s set the password of %(object)s"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.password_change", gettext_lazy("%(actor)s changed the password of %(object)s"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.password_temporary", gettext_lazy("%(actor)s gave %(object)s a temporary password"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.first_login_link", gettext_lazy("%(actor)s created a first-login link for %(object)s"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("person.password_first_set", gettext_lazy("%(actor)s set the first password of %(object)s"),
                    fields=person_fields, values=person_values, object_type="org.person"),
        AuditAction("login.failed", gettext_lazy("%(actor)s recorded a failed login as %(object)s"),
                    fields=login_fields, object_type="login"),
        AuditAction("login.locked", gettext_lazy("%(actor)s locked login name %(object)s for one client"),
                    fields=login_fields, object_type="login"),
        AuditAction("login.slowed", gettext_lazy("%(actor)s slowed login name %(object)s for unknown browsers"),
                    fields=login_fields, object_type="login"),
        AuditAction("membership.grant", gettext_lazy("%(actor)s granted %(object)s"),
                    fields=membership_fields, values=membership_values, object_type="org.membership"),
        AuditAction("membership.revoke", gettext_lazy("%(actor)s revoked %(object)s"),
                    fields=membership_fields, values=membership_values, object_type="org.membership"),
        AuditAction("task_force_group.create", created, fields=group_fields, values=group_values,
                    object_type="org.taskforcegroup"),
        AuditAction("secondment.create", gettext_lazy("%(actor)s recorded %(object)s"),
                    fields=secondment_fields, values=secondment_values, object_type="org.secondment"),
        AuditAction("import.upload", gettext_lazy("%(actor)s uploaded %(object)s"),
                    fields=import_fields, values=import_values, object_type="org.importjob"),
        AuditAction("import.apply", gettext_lazy("%(actor)s imported %(object)s"),
                    fields=import_fields, values=import_values, object_type="org.importjob"),
    )
