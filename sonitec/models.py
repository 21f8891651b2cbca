from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A recruiter, manager or administrator. Custom from day one so fields can be added without upheaval."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]
