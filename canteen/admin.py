from django.contrib import admin

from logistics.workflow.admin import ReadOnlyWhenFinalMixin

from .models import Dish, FoodSample, MealService


@admin.register(MealService)
class MealServiceAdmin(admin.ModelAdmin):
    list_display = ["date", "meal", "canteen", "school"]
    list_filter = ["meal"]


@admin.register(Dish)
class DishAdmin(admin.ModelAdmin):
    list_display = ["name", "meal", "served", "school"]


@admin.register(FoodSample)
class FoodSampleAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ["reference", "dish_name", "date", "weight_grams", "status", "school"]
    list_filter = ["status", "meal_kind"]
    readonly_fields = ["keep_until", "status", "discarded_at", "discarded_by"]

    def has_delete_permission(self, request, obj=None):
        return False
