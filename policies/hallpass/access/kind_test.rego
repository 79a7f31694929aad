package hallpass.access_test

import rego.v1

import data.hallpass.access

# alice's merged emergency grant, as read at the base commit.
previous_alice := {
	"id": "inc-4211-orders",
	"requester": "alice",
	"role": "db-admin",
	"environment": "prod-eu",
	"duration_seconds": 3600,
	"reason": "INC-4211: kill blocking queries",
	"emergency": true,
	"incident": "INC-4211",
	"start": null,
}

extension_input(request_patch) := object.union(base_input, {
	"pull_request": {"files": [{"path": "requests/inc-4211-orders.yaml", "status": "modified"}]},
	"request": object.union(previous_alice, request_patch),
	"previous_request": previous_alice,
})

test_extension_when_only_duration_and_reason_change_is_merged if {
	d := access.decision with input as extension_input({"duration_seconds": 7200, "reason": "INC-4211: still going"})
	d.kind == "extension"
	d.auto_merge
	not "extension.changes_grant" in codes(d.violations)
}

test_extension_when_requester_swapped_is_denied if {
	# bob, eligible and on call, rewrites alice's merged grant into his own.
	inp := object.union(extension_input({"requester": "bob"}), {
		"pull_request": {"author": "bob"},
		"oncall": {"now": {"sre-primary": "bob"}},
	})
	d := access.decision with input as inp
	not d.allow
	not d.auto_merge
	d.outcome == "deny"
	"extension.changes_grant" in codes(d.violations)
	some v in d.violations
	v.code == "extension.changes_grant"
	contains(v.message, "requester")
}

test_extension_when_requester_only_changes_case_is_not_a_change if {
	d := access.decision with input as extension_input({"requester": "Alice"})
	not "extension.changes_grant" in codes(d.violations)
}

test_extension_when_role_environment_or_emergency_changes_is_denied if {
	some patch in [
		{"role": "db-readonly"},
		{"environment": "staging"},
		{"emergency": false, "incident": null},
		{"incident": "INC-9999"},
		{"start": "2026-11-22T01:00:00Z"},
	]
	d := access.decision with input as extension_input(patch)
	not d.auto_merge
	"extension.changes_grant" in codes(d.violations)
}

test_extension_when_previous_request_unreadable_is_denied if {
	inp := object.union(extension_input({}), {"previous_request": null})
	d := access.decision with input as inp
	not d.auto_merge
	"extension.previous_unreadable" in codes(d.violations)
}

revoke_input(author) := {
	"pull_request": {"author": author, "files": [{"path": "requests/inc-4211-orders.yaml", "status": "removed"}]},
	"problems": [],
	"catalog": base_input.catalog,
	"settings": object.union(base_input.settings, {"platform_owners": ["grace"]}),
	"removed_requests": [object.union(previous_alice, {"path": "requests/inc-4211-orders.yaml"})],
}

test_revoke_when_requester_deletes_is_merged if {
	d := access.decision with input as revoke_input("alice")
	d.kind == "revoke"
	d.auto_merge
	"revoke.allowed" in codes(d.reasons)
}

test_revoke_when_approver_of_role_deletes_is_merged if {
	d := access.decision with input as revoke_input("erin")
	d.auto_merge
}

test_revoke_when_platform_owner_deletes_is_merged if {
	d := access.decision with input as revoke_input("Grace")
	d.auto_merge
}

test_revoke_when_someone_else_deletes_is_denied if {
	d := access.decision with input as revoke_input("mallory")
	d.kind == "revoke"
	not d.allow
	not d.auto_merge
	d.outcome == "deny"
	"revoke.not_allowed" in codes(d.violations)
}

test_revoke_when_removed_file_unreadable_only_platform_owner_may if {
	inp := object.union(revoke_input("alice"), {"removed_requests": [{"path": "requests/inc-4211-orders.yaml"}]})
	d := access.decision with input as inp
	not d.auto_merge
	"revoke.not_allowed" in codes(d.violations)
	owner := object.union(revoke_input("grace"), {"removed_requests": [{"path": "requests/inc-4211-orders.yaml"}]})
	access.decision.auto_merge with input as owner
}

test_revoke_when_one_of_several_files_is_someone_elses_is_denied if {
	inp := object.union(revoke_input("bob"), {
		"pull_request": {"author": "bob", "files": [
			{"path": "requests/inc-4211-orders.yaml", "status": "removed"},
			{"path": "requests/bob-own.yaml", "status": "removed"},
		]},
		"removed_requests": [
			object.union(previous_alice, {"path": "requests/inc-4211-orders.yaml"}),
			object.union(previous_alice, {"path": "requests/bob-own.yaml", "id": "bob-own", "requester": "bob"}),
		],
	})
	d := access.decision with input as inp
	not d.auto_merge
	"revoke.not_allowed" in codes(d.violations)
}
