from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pages for sync: stable under inserts, `page_size` from 1 to 200.

    A view names its order in `cursor_ordering`; it must end with a unique field so no row is skipped or repeated.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-id",)
    invalid_cursor_message = "Invalid cursor: use the 'next' or 'previous' link of a page."

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", self.ordering))

    def get_page_size(self, request):
        # A bad page_size is an error, not silently replaced by the default.
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= self.max_page_size:
            message = f"Send one whole number from 1 to {self.max_page_size}."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(values[0])

    def get_paginated_response_schema(self, schema):
        # DRF's example links end with a stray quote, which is no URI: schema linters reject the example.
        response = super().get_paginated_response_schema(schema)
        for link, cursor in (("next", "cD00ODY%3D"), ("previous", "cj0xJnA9NDg3")):
            response["properties"][link]["example"] = f"https://crm.example/api/v1/roles/?cursor={cursor}"
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
