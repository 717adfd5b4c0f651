from frappe import _

from ta_programmes.api.args import report_never_raises
from ta_programmes.api.oversight import awaiting_my_signoff
from ta_programmes.replica import reads_from_primary


@reads_from_primary  # a reviewer's work queue is always fresh
@report_never_raises
def execute(filters=None):
	columns = [
		{"fieldname": "name", "label": _("Programme"), "fieldtype": "Link", "options": "TA Programme", "width": 160},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 320},
		{"fieldname": "awaiting", "label": _("Awaiting Sign-off From"), "fieldtype": "Data", "width": 260},
		{"fieldname": "planned_start", "label": _("Planned Start"), "fieldtype": "Date", "width": 120},
		{"fieldname": "programme_officer", "label": _("Programme Officer"), "fieldtype": "Link", "options": "User", "width": 200},
	]
	return columns, awaiting_my_signoff()
