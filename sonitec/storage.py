from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Uploaded files (CVs) are personal data: they never get a URL, only permission-checked download views."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks permissions.")
