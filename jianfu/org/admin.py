"""The admin site reads the organisation; every change goes through the audited pages and services."""

from django.contrib import admin

from .models import ImportJob, Membership, Person, Secondment, TaskForceGroup, Unit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "type", "parent", "active")
    list_filter = ("type", "active")
    search_fields = ("code", "name")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("username", "name", "phone", "is_active")
    search_fields = ("username", "name", "phone")
    exclude = ("password",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "unit", "role", "active")
    list_filter = ("role", "active")


admin.site.register(TaskForceGroup, ReadOnlyAdmin)
admin.site.register(Secondment, ReadOnlyAdmin)
admin.site.register(ImportJob, ReadOnlyAdmin)
