"""Passwords: a person changes their own, an administrator gives a temporary one (changed at the next login) or
a first-login link, and a new person sets theirs through that link. Every step is audited; no password is."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError

from .models import Membership, Person
from .permissions import Perm
from .scoping import require, scope_for

# Letters and digits that cannot be mistaken for one another when read out or copied from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class FirstLoginTokens(PasswordResetTokenGenerator):
    """A link that works until the password is set (the token hashes the password and the last login) or until
    PASSWORD_RESET_TIMEOUT passes."""

    key_salt = "jianfu.org.passwords.first_login"


first_login_tokens = FirstLoginTokens()


def _check_new(person: Person, password: str) -> None:
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="password") from exc


def _set_own(person: Person, new: str) -> Person:
    """A person's own new password (not temporary), checked and set; the caller audits it (the action stays a
    literal, as tests/audit/test_describe.py reads them)."""
    _check_new(person, new)
    person.set_password(new)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password"])
    return person


def _require_manager_of(by: Person | None, person: Person) -> None:
    """An administrator may set passwords only of people in units they may change; a system administrator's only
    if they are one themself."""
    if by is None:
        return
    require(by, Perm.ORG_MANAGE)
    if by.pk == person.pk:
        raise ApplicationError(_("Change your own password on your account page."), code="forbidden")
    scope = scope_for(by)
    if person.is_superuser and not by.is_superuser:
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    if scope.write_everything:
        return
    units = [m.unit for m in Membership.objects.filter(person=person, active=True).select_related("unit")]
    if not units or not all(scope.writes(u) for u in units):
        raise ApplicationError(_("This person works in units outside yours."), code="forbidden")


@transaction.atomic
def password_change(*, by: Person, current: str, new: str) -> Person:
    """A person's own change, with the current password."""
    person = Person.objects.select_for_update().get(pk=by.pk)
    if not person.check_password(current):
        raise ApplicationError(_("The current password is not correct."), code="password")
    if current == new:
        raise ApplicationError(_("Choose a password different from the current one."), code="password")
    person = _set_own(person, new)
    audit_record(actor=person, action="person.password_change", obj=person, after={"password": "changed"})
    return person


@transaction.atomic
def password_set_temporary(*, by: Person | None, person: Person) -> str:
    """Give `person` a temporary password, to be changed at their next login; returned once, kept nowhere."""
    _require_manager_of(by, person)
    temporary = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    locked.set_password(temporary)
    locked.must_change_password = True
    locked.save(update_fields=["password", "must_change_password"])
    audit_record(actor=by, action="person.password_temporary", obj=locked, after={"password": "temporary"})
    return temporary


def first_login_path(person: Person) -> str:
    from django.urls import reverse

    return reverse("first_login", args=[urlsafe_base64_encode(force_bytes(person.pk)),
                                        first_login_tokens.make_token(person)])


@transaction.atomic
def first_login_link_create(*, by: Person | None, person: Person) -> str:
    """A link with which `person` sets their own password (for people imported or created without one)."""
    _require_manager_of(by, person)
    audit_record(actor=by, action="person.first_login_link", obj=person, after={"password": "link"})
    return first_login_path(person)


def first_login_person(uidb64: str, token: str) -> Person | None:
    """The person a first-login link is for, while it is still valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        person = Person.objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, Person.DoesNotExist):
        return None
    return person if first_login_tokens.check_token(person, token) else None


@transaction.atomic
def first_login_complete(*, uidb64: str, token: str, new: str) -> Person:
    person = first_login_person(uidb64, token)
    if person is None:
        raise ApplicationError(_("This link is no longer valid: ask your administrator for a new one."),
                               code="invalid")
    person = _set_own(Person.objects.select_for_update().get(pk=person.pk), new)
    audit_record(actor=person, action="person.password_first_set", obj=person, after={"password": "changed"})
    return person
