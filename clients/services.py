from urllib.parse import urlsplit


def domain_from_url(url: str) -> str:
    """The host of a website address, lower-cased and without 'www.': 'https://www.Acme.ai/x' → 'acme.ai'."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")
