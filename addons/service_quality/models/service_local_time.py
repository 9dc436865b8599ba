import babel.dates
import pytz

from odoo import api, models
from odoo.tools.misc import babel_locale_parse, format_date, get_lang, posix_to_ldml


class ServiceLocalTime(models.AbstractModel):
    """Date-times shown to people, in the reader's time zone.

    Every message, error, activity and document of the suite that prints a
    date-time goes through ``_format_local_datetime``: the reader's time zone
    (a partner's or a user's), else the company's (its partner's, else its
    working calendar's), else UTC. The date follows the language's date
    format; the time is hours and minutes. Dates alone
    (``_format_local_date``) follow the language's date format.

    The language is the environment's: a text written for someone else than
    the current user (a job's note or activity) is formatted in an
    environment of the reader's language (``service.notify.mixin``,
    ``_notify_by_lang``)."""

    _name = "service.local.time"
    _description = "Date-times in the reader's time zone"

    @api.model
    def _reader_tz(self, reader=None, company=None):
        """Time zone name for ``reader`` (``res.users`` or ``res.partner``;
        ``None`` means the current user unless it is the superuser running a
        job) with ``company`` (default: the current company) as fallback."""
        if reader is None and not self.env.su:
            reader = self.env.user
        tz = reader.tz if reader else False
        if not tz:
            company = company or self.env.company
            tz = company.partner_id.tz or company.resource_calendar_id.tz
        return tz or "UTC"

    @api.model
    def _format_local_datetime(self, value, reader=None, company=None):
        """``value`` (naive UTC datetime) as the reader reads it, e.g.
        ``12/07/2026 17:00`` in English or ``2026年12月07日 17:00`` in
        Chinese for a reader in Asia/Shanghai; '' when empty."""
        return self._local_datetime_formatter(reader, company)(value)

    @api.model
    def _local_datetime_formatter(self, reader=None, company=None):
        """A function formatting naive UTC datetimes as
        ``_format_local_datetime`` does, the language, pattern and time zone
        looked up once (for jobs that format thousands of values)."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        pattern = f"{posix_to_ldml(lang.date_format, locale=locale)} HH:mm"
        tz = pytz.timezone(self._reader_tz(reader, company))

        def fmt(value):
            if not value:
                return ""
            local = pytz.utc.localize(value).astimezone(tz)
            return babel.dates.format_datetime(local, pattern, locale=locale)

        return fmt

    @api.model
    def _format_local_date(self, value):
        """``value`` (date) in the language's date format, e.g.
        ``12/07/2026`` in English or ``2026年12月07日`` in Chinese; '' when
        empty."""
        return format_date(self.env, value) if value else ""
