frappe.ready(function () {
	// Nothing to prefill: the application is checked on the server (core/balance.py).
});
