from celery import shared_task


@shared_task(name="logistics.system.run_duty")
def run_duty(code):
    """Beat's entry point for every periodic duty: runs it once and records its success."""
    from . import duties

    return duties.run(code)


@shared_task(name="logistics.system.catch_up")
def catch_up():
    """At worker and beat start, and hourly: every duty missed since its last success, once."""
    from . import duties

    return duties.catch_up()
