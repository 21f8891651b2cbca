from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline

from candidates.models import Candidate
from roles.models import Role
from sonitec.admin_tools import themed

from ..models import TalentPool, TalentPoolMember
from ..services import talent_pool_add, talent_pool_add_to_role, talent_pool_create


class TalentPoolMemberInline(TabularInline):
    model = TalentPoolMember
    fields = ["candidate", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]
    raw_id_fields = ["candidate"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "added_by")


class AddToPoolForm(forms.Form):
    pool = forms.ModelChoiceField(queryset=TalentPool.objects.all(), required=False, label="Existing pool")
    new_pool = forms.CharField(required=False, max_length=120, label="…or a new pool called")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("pool") and not (cleaned.get("new_pool") or "").strip():
            raise ValidationError("Choose a pool or name a new one.")
        return cleaned


class PoolToRoleForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=Role.objects.filter(status__in=["open", "on_hold", "draft"]).select_related("client"),
        label="Role",
    )


@admin.register(TalentPool)
class TalentPoolAdmin(ModelAdmin):
    list_display = ["name", "owner", "size", "created_at", "to_role"]
    search_fields = ["name", "description"]
    list_select_related = ["owner"]
    fields = ["name", "description", "owner", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["owner"]
    inlines = [TalentPoolMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_size=Count("members"))

    @admin.display(description="people", ordering="_size")
    def size(self, obj):
        return obj._size

    @admin.display(description="")
    def to_role(self, obj):
        url = reverse("admin:matching_talentpool_to_role", args=[obj.pk])
        return format_html('<a href="{}">Add all to a role’s pipeline</a>', url)

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for member in formset.save(commit=False):
            if member.added_by_id is None:
                member.added_by = request.user
            member.save()
        for member in formset.deleted_objects:
            member.delete()

    def get_urls(self):
        add = self.admin_site.admin_view(self.add_candidates_view)
        to_role = self.admin_site.admin_view(self.to_role_view)
        return [
            path("add-candidates/", add, name="matching_talentpool_add_candidates"),
            path("<int:pk>/to-role/", to_role, name="matching_talentpool_to_role"),
            *super().get_urls(),
        ]

    def add_candidates_view(self, request):
        """Add candidates (chosen on the Find page or a candidate's page) to a pool, new or existing."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        raw_ids = request.POST.getlist("candidate_ids") or request.GET.getlist("candidate_ids")
        ids = [int(pk) for pk in raw_ids if pk.isdigit()]
        form = themed(AddToPoolForm(request.POST if "pool_chosen" in request.POST else None))
        if form.is_bound and form.is_valid():
            try:
                pool = form.cleaned_data["pool"] or talent_pool_create(
                    name=form.cleaned_data["new_pool"], owner=request.user
                )
                added = talent_pool_add(pool=pool, candidate_ids=ids, by=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"{added} added to “{pool}” ({len(ids) - added} were already in it).")
                return HttpResponseRedirect(reverse("admin:matching_talentpool_change", args=[pool.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": TalentPool._meta,
            "title": "Add to a talent pool",
            "form": form,
            "candidates": Candidate.objects.filter(pk__in=ids[:500]).only("name", "current_title"),
            "ids": ids,
        }
        return TemplateResponse(request, "matching/pool_add.html", context)

    def to_role_view(self, request, pk: int):
        """Put a pool's people into a role's pipeline at "sourced": all of them or, if anyone may not be, nobody."""
        pool = get_object_or_404(TalentPool, pk=pk)
        if not request.user.has_perm("pipelines.add_submission"):
            raise PermissionDenied
        form = themed(PoolToRoleForm(request.POST or None))
        if request.method == "POST" and form.is_valid():
            role = form.cleaned_data["role"]
            try:
                created, already = talent_pool_add_to_role(pool=pool, role=role, by=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    f"{len(created)} added to the pipeline of “{role.title}” at “Sourced”"
                    + (f"; {already} were already in it." if already else "."),
                )
                return HttpResponseRedirect(reverse("admin:roles_role_board", args=[role.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": TalentPool._meta,
            "title": f"Add “{pool}” to a role's pipeline",
            "form": form,
            "pool": pool,
        }
        return TemplateResponse(request, "matching/pool_to_role.html", context)
