package hallpass.access_test

import rego.v1

import data.hallpass.access

test_emergency_when_start_is_set_is_denied if {
	d := access.decision with input as with_patch({"request": {"start": "2026-11-28T02:00:00Z"}})
	not d.allow
	not d.auto_merge
	d.outcome == "deny"
	"emergency.start_not_allowed" in codes(d.violations)
}

test_normal_when_start_is_set_is_allowed if {
	d := access.decision with input as with_patch({"request": {
		"start": "2026-11-28T02:00:00Z",
		"emergency": false,
		"incident": null,
	}})
	d.allow
	not "emergency.start_not_allowed" in codes(d.violations)
}
