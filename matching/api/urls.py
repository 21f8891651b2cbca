from django.urls import path

from .views import RoleMatchesView

urlpatterns = [path("staff/roles/<int:pk>/matches/", RoleMatchesView.as_view(), name="staff-role-matches")]
