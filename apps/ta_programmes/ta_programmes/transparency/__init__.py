"""Transparency reporting, Frappe side: what was delivered, to whom, by whom and under what
oversight, for the desk report, the public page, the CSV, the PDF, the IATI file and the donor
view. One question per module:

- ``filters``: Which activities and programmes a report covers: the filters (a Guest's, checked; a desk user's) and who may see which programmes (:func:`visible_programmes`), with the tables the queries read.
- ``delivery``: The delivery aggregates: delivered activities, participants, trainer-hours and fees grouped in the database, read from the delivery rollup (``ta_programmes.rollup``) or counted from the activities; budgets per state and published overrides.
- ``published``: What the public may know of the programmes that went through approval: the settings, the reported programmes with their states, themes, donors and consenting outside experts, donor commitments.
- ``cache``: The transparency cache: results kept per arguments until what is reported changes (a new generation starts on every change to a reported document, and again once it is committed).
- ``web``: The request hooks of the transparency outputs: which /transparency views Frappe's page cache may keep, and JSON responses gzipped for clients that accept it.
- ``public_report``: The public report (page, CSV, PDF): aggregates only, figures below k suppressed across all its tables, in the reader's language.
- ``donor``: The donor view: the programmes a donor funds, with delivery, oversight status and published results.
- ``pdf``: The transparency report as a PDF (reportlab, ``core.report_pdf``): the public one on request and the desk one as a background job writing a private File.

The privacy rules (suppression, what is public) are in ``core.privacy``. The names below are
the package's interface (``from ta_programmes import transparency as T``; ``T.Filters`` ...).
"""

from ta_programmes.transparency.cache import (  # noqa: F401
	CACHE_KEY,
	CACHE_SECONDS,
	GENERATION_KEY,
	RESULTS_DOCTYPES,
	RESULTS_GENERATION_KEY,
	cached,
	clear_public_cache,
)
from ta_programmes.transparency.delivery import (  # noqa: F401
	GROUP_COLUMNS,
	ROLLUP_COLUMNS,
	delivered_programmes,
	delivery_by,
	delivery_by_activities,
	delivery_per_programme,
	delivery_with_budgets,
	overrides_by_programme,
	published_overrides,
	state_budgets,
)
from ta_programmes.transparency.donor import (  # noqa: F401
	donor_view,
)
from ta_programmes.transparency.filters import (  # noqa: F401
	HOURS_PER_DAY,
	PUBLIC_FILTERS,
	PUBLIC_LINKS,
	PUBLIC_VERSIONS,
	REPORTED_STATUSES,
	Activity,
	ActivityTrainer,
	Filters,
	FundingLine,
	Override,
	Programme,
	ProgrammeState,
	Rollup,
	State,
	Theme,
	Trainer,
	Year,
	visible_programmes,
)
from ta_programmes.transparency.pdf import (  # noqa: F401
	desk_pdf_file,
	filter_labels,
	public_pdf_bytes,
	report_data,
)
from ta_programmes.transparency.public_report import (  # noqa: F401
	PAGE_SIZE,
	concerns_table,
	for_page,
	plain,
	public_programme,
	public_report,
	public_report_cached,
	published_results,
	results_table,
)
from ta_programmes.transparency.published import (  # noqa: F401
	CHILD_LISTS,
	SEPARATOR,
	add_lists,
	by_currency,
	check_published,
	consenting_experts,
	donor_commitments,
	oversight_status,
	programme_children,
	programmes_covering,
	public_filter_options,
	reported_programmes,
	settings,
)
from ta_programmes.transparency.web import (  # noqa: F401
	GZIP_LEVEL,
	GZIP_MIN_BYTES,
	TransparencyPage,
	after_request,
	before_request,
)
