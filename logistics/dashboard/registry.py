"""Registry of dashboard widgets.

A widget is a subclass of :class:`Widget` registered in an app's ``ready()``. On the principal's
dashboard it renders ``template`` with ``context(school, user)``; on the district dashboard each
school is one row and the widget contributes columns from ``district_columns`` and
``district_values(schools)`` — computed for all schools at once, so the page's queries do not grow
with the number of schools.
"""

_widgets = []


class Widget:
    code = ""
    title = ""
    order = 50
    template = "dashboard/widgets/figures.html"
    #: permission needed to see the widget in a school
    perm = "dashboard.view_school_dashboard"
    #: the figures are the whole school's (not the user's own): shown only to who holds ``perm`` over all of
    #: the school's rows, not to a parent or teacher who holds it over a row rule (published boards, a class)
    whole_school = False
    #: [(key, label)] columns on the district dashboard
    district_columns = ()

    def context(self, school, user):
        """Template context for one school."""
        return {}

    def district_values(self, schools):
        """{school_id: {key: value}} for the district table."""
        return {}


def register(widget_class):
    _widgets.append(widget_class())
    return widget_class


def widgets():
    return sorted(_widgets, key=lambda w: (w.order, w.code))
