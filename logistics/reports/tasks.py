from celery import shared_task


@shared_task(name="logistics.reports.tasks.generate_monthly_reports")
def generate_monthly_reports():
    """06:00 daily (beat): every school's missing or draft reports up to last month."""
    from .services import generate_due

    return [r.pk for r in generate_due()]


@shared_task(name="logistics.reports.tasks.generate_report")
def generate_report(school_id, period_iso, user_id=None):
    import datetime

    from django.contrib.auth import get_user_model

    from logistics.tenancy.models import School

    from .services import generate

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return generate(
        School.objects.get(pk=school_id),
        datetime.date.fromisoformat(period_iso),
        user=user,
    ).pk
