"""Django admin for every model; inspection inlines offer only the framework's areas and grades."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Council,
    Event,
    Framework,
    FrameworkArea,
    Grade,
    GradeScale,
    Judgement,
    JudgementArea,
    Recommendation,
    RecommendationUpdate,
    Region,
    StatisticalNeighbour,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """A tabular inline's inputs have only the column heading above them, which screen readers do
    not announce as a label: give each input its own accessible name ("Area, row 2")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"row {index + 1}" if index is not None else "new row"
        for field in form.fields.values():
            label = "Delete" if field is form.fields.get("DELETE") else str(field.label or "")
            # Foreign keys come wrapped (with add/change links): name the select inside.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs.setdefault("aria-label", f"{label}, {row}")


class CouncilTypeListFilter(admin.SimpleListFilter):
    """The council types in use, without the blank type (its link would have no name)."""

    title = "council type"
    parameter_name = "council_type"

    def lookups(self, request, model_admin):
        types = Council.objects.exclude(council_type="").order_by("council_type").values_list("council_type", flat=True)
        return [(t, t) for t in dict.fromkeys(types)]

    def queryset(self, request, queryset):
        return queryset.filter(council_type=self.value()) if self.value() else queryset


class NeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "council"
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["neighbour"]
    ordering = ["rank"]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "urn", "la_code", "gss_code", "region", "council_type", "is_active"]
    list_filter = ["region", CouncilTypeListFilter, "is_active"]
    search_fields = ["name", "=urn", "=la_code", "=gss_code"]
    prepopulated_fields = {"slug": ["name"]}
    # A plain multiple select: the admin's two-box widget puts aria-label on a span (not allowed).
    inlines = [NeighbourInline]


class JudgementInline(admin.TabularInline):
    """Judgements of one inspection: only its framework's areas, only its scale's grades."""

    model = Judgement
    formset = LabelledInlineFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        # Remembered on the request (not on this shared admin instance) for formfield_for_foreignkey.
        request._inspection_framework = obj.framework if obj is not None else None
        formset = super().get_formset(request, obj, **kwargs)
        if request._inspection_framework is not None:
            formset.max_num = request._inspection_framework.framework_areas.count()
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        framework = getattr(request, "_inspection_framework", None)
        if framework is not None and db_field.name == "area":
            kwargs["queryset"] = JudgementArea.objects.filter(frameworks=framework)
        if framework is not None and db_field.name == "grade":
            kwargs["queryset"] = framework.scale.grades.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["addressed_to", "number", "text", "status"]


class GradeListFilter(admin.SimpleListFilter):
    title = "grade (any judgement)"
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return [(g.key, g.label) for g in Grade.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(judgements__grade__key=self.value()).distinct()
        return queryset


class EventAdminForm(forms.ModelForm):
    """The event's version rides along hidden and is checked on save (services.event_lock): an
    admin's correction never silently reverts an editor's, nor the other way round."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields it shows)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                services.event_lock(event_id=self.instance.pk, expected_version=cleaned.get("seen_version"))
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return cleaned


class BumpsEventVersion:
    """Admin pages that change an event or what belongs to it bump the event's version, as every
    other write path does, so a form loaded before the change is refused (services.event_lock)."""

    @staticmethod
    def event_id_of(obj):
        if isinstance(obj, Event):
            return obj.pk
        if isinstance(obj, RecommendationUpdate):
            return obj.recommendation.event_id
        return obj.event_id

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change or not isinstance(form.instance, Event):  # a new event has nobody's form to outdate
            services.event_version_bump(event_id=self.event_id_of(form.instance))

    def delete_model(self, request, obj):
        event_id = self.event_id_of(obj)
        super().delete_model(request, obj)
        services.event_version_bump(event_id=event_id)

    def delete_queryset(self, request, queryset):
        event_ids = {self.event_id_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for event_id in event_ids:
            services.event_version_bump(event_id=event_id)


@admin.register(Event)
class EventAdmin(BumpsEventVersion, SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = ["council", "kind", "display_title", "framework", "start_date", "published_date"]
    list_filter = ["kind", ("council__region", admin.RelatedOnlyFieldListFilter), "framework", GradeListFilter]
    search_fields = ["council__name", "=council__urn", "title", "lead_inspector"]
    autocomplete_fields = ["council"]
    date_hierarchy = "published_date"
    list_select_related = ["council", "framework"]
    inlines = [JudgementInline, RecommendationInline]
    readonly_fields = ["created_at", "updated_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A stored file is shown as "Currently: … Change: [input]", which leaves the input unnamed.
        if "report_file" in form.base_fields:
            form.base_fields["report_file"].widget.attrs["aria-label"] = "Report file (replace)"
        return form

    @admin.display(description="Title")
    def display_title(self, obj):
        return obj.display_title


@admin.register(Judgement)
class JudgementAdmin(BumpsEventVersion, SimpleHistoryAdmin):
    list_display = ["event", "area", "grade"]
    list_filter = ["grade", "area", "event__framework"]
    search_fields = ["event__council__name"]
    list_select_related = ["event__council", "area", "grade"]
    raw_id_fields = ["event"]


class UpdateInline(admin.TabularInline):
    formset = LabelledInlineFormSet
    model = RecommendationUpdate
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(Recommendation)
class RecommendationAdmin(BumpsEventVersion, SimpleHistoryAdmin):
    list_display = ["event", "addressed_to", "number", "status"]
    list_filter = ["status", "addressed_to"]
    search_fields = ["event__council__name", "text"]
    list_select_related = ["event__council"]
    raw_id_fields = ["event"]
    inlines = [UpdateInline]


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(BumpsEventVersion, SimpleHistoryAdmin):
    list_display = ["recommendation", "date", "status", "created_by"]
    list_filter = ["status"]
    raw_id_fields = ["recommendation"]


@admin.register(StatisticalNeighbour)
class StatisticalNeighbourAdmin(admin.ModelAdmin):
    list_display = ["council", "rank", "neighbour"]
    search_fields = ["council__name"]
    list_select_related = ["council", "neighbour"]


class FrameworkAreaInline(admin.TabularInline):
    formset = LabelledInlineFormSet
    model = FrameworkArea
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["short_name", "key", "applies_from", "applies_until", "scale", "headline_area"]
    inlines = [FrameworkAreaInline]


@admin.register(JudgementArea)
class JudgementAreaAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "theme", "theme_order"]
    search_fields = ["key", "name"]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "rank", "colour", "pattern"]


@admin.register(GradeScale)
class GradeScaleAdmin(admin.ModelAdmin):
    list_display = ["key", "name"]
    filter_horizontal = ["grades"]


admin.site.site_header = "Ofsted judgement tracker administration"
admin.site.site_title = "Ofsted judgement tracker"


@admin.register(FrameworkArea)
class FrameworkAreaAdmin(admin.ModelAdmin):
    list_display = ["framework", "order", "area", "label"]
    list_filter = ["framework"]
    list_select_related = ["framework", "area"]


# Role-safe user and group pages for the admin role (replaces Django's own registrations).
from . import admin_users  # noqa: E402, F401
