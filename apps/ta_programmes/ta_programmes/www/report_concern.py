"""/report-concern: anyone may tell the overseers of a programme that assistance was misused."""

from frappe import _

from ta_programmes import concerns as C
from ta_programmes import i18n
from ta_programmes.core import concerns as core

no_cache = 1


def get_context(context):
	i18n.page_context(context, "/report-concern")
	context.title = _("Report a concern")
	context.programmes = C.public_programmes()
	context.states = C.states()
	context.subjects = core.SUBJECTS
	context.accept = ",".join(f".{ext}" for ext in sorted(core.SIGNATURES))
	context.max_mb = core.MAX_FILE_BYTES // (1024 * 1024)
	context.max_files = core.MAX_FILES
	context.min_account = core.MIN_ACCOUNT
	context.no_breadcrumbs = 1
	return context
