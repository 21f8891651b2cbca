from django.contrib import admin
from django.urls import include, path

from sonitec.admin import two_factor

admin.site.site_header = "Sonitec CRM"
admin.site.site_title = "Sonitec CRM"
admin.site.index_title = "Recruiting workspace"

urlpatterns = [
    # Two-factor sign-in: the staff member's own pages, before the admin's (sonitec/two_factor.py).
    path("admin/two-factor/", admin.site.admin_view(two_factor.setup_page), name="two_factor_setup"),
    path("admin/two-factor/verify/", admin.site.admin_view(two_factor.verify_page), name="two_factor_verify"),
    path("admin/", admin.site.urls),
    path("api/", include("sonitec.api.urls")),
    path("", include("sonitec.public_urls")),
]

# An outage raised outside a view (e.g. in a middleware) answers 503 too, not 500 (sonitec/outage.py).
handler500 = "sonitec.outage.server_error"
