"""The gate became stricter (sign-offs endorse the review, the quorum counts people and checks
accreditation when it runs, positions are per person, suspensions compare moments): evaluate it
again for every approved programme, so that those it no longer holds for are flagged now, not
at the next daily check."""

from frappe import _

from ta_programmes import oversight


def execute():
	oversight.recheck_all(_("Oversight rules updated"))
