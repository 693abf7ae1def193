from django.contrib import admin

from .models import ImportJob, Membership, Person, Secondment, TaskForceGroup, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "parent", "active")
    list_filter = ("type", "active")
    search_fields = ("code", "name")
    readonly_fields = ("path", "level")
    raw_id_fields = ("parent", "liaison")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("username", "name", "phone", "is_active")
    search_fields = ("username", "name", "phone")
    exclude = ("password",)

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Membership)
admin.site.register(TaskForceGroup)
admin.site.register(Secondment)
admin.site.register(ImportJob)
