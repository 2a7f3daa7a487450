"""API pagination: ``page`` and ``page_size`` (default 50, max 500), with a capped count."""

import json
from collections import OrderedDict

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from logistics.ui.pagination import CappedPaginator


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            OrderedDict(
                [
                    ("count", paginator.count),
                    ("count_is_exact", paginator.count_exact),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def paginated_json(self, rows):
        """The body of ``get_paginated_response`` as JSON text, ``rows`` being each result's JSON text
        already (the SQL path of ``logistics.api.viewsets``): the same envelope, the rows not re-encoded."""
        paginator = self.page.paginator
        head = json.dumps(
            {
                "count": paginator.count,
                "count_is_exact": paginator.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return head[:-1] + ',"results":[' + ",".join(rows) + "]}"

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_exact"] = {"type": "boolean"}
        return result
