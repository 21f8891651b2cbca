from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sonitec CRM"
admin.site.site_title = "Sonitec CRM"
admin.site.index_title = "Recruiting workspace"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sonitec.api.urls")),
    path("", include("sonitec.public_urls")),
]

# An outage raised outside a view (e.g. in a middleware) answers 503 too, not 500 (sonitec/outage.py).
handler500 = "sonitec.outage.server_error"
