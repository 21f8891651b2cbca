"""The agency's way of writing dates and times (en-GB), used by the admin's lists and pages.

Django's en-GB formats write times as "8:55 p.m."; the agency, its board and its emails use the 24-hour clock.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
