package hallpass.access_test

import rego.v1

import data.hallpass.access

# A realistic input: alice, on call, asks for db-admin in prod-eu during INC-4211.
base_input := {
	"now": "2026-11-21T02:00:00Z",
	"now_ns": 1795226400000000000,
	"pull_request": {
		"number": 42,
		"author": "alice",
		"author_is_hallpass": false,
		"head_sha": "h2",
		"base_sha": "b1",
		"files": [{"path": "requests/inc-4211-orders.yaml", "status": "added"}],
		"reviews": [],
	},
	"request": {
		"id": "inc-4211-orders",
		"requester": "alice",
		"role": "db-admin",
		"environment": "prod-eu",
		"duration_seconds": 7200,
		"reason": "INC-4211: kill blocking queries",
		"emergency": true,
		"incident": "INC-4211",
	},
	"problems": [],
	"catalog": {"roles": {
		"db-admin": {
			"max_duration_seconds": 14400,
			"emergency": true,
			"eligible": ["alice", "bob", "dave", "carol", "erin"],
			"delegates": ["heidi"],
			"environments": {
				"staging": {"approvals": 0, "approvers": ["carol", "erin"], "provider": "orders-db-staging", "target": "orders_admin"},
				"prod-eu": {"approvals": 1, "approvers": ["carol", "erin", "frank"], "provider": "orders-db-prod-eu", "target": "orders_admin"},
			},
		},
		"db-readonly": {
			"max_duration_seconds": 28800,
			"emergency": false,
			"eligible": ["alice", "carol"],
			"delegates": [],
			"environments": {"prod-eu": {"approvals": 1, "approvers": ["carol", "erin"], "provider": "orders-db-prod-eu", "target": "orders_readonly"}},
		},
	}},
	"settings": {"emergency": {
		"max_duration_seconds": 14400,
		"review_deadline_seconds": 259200,
		"incident_pattern": "INC-[0-9]{3,7}",
		"max_live_grants": 3,
	}},
	"oncall": {"now": {"sre-primary": "alice", "dba": "carol"}},
	"state": {"live_emergency_grants": 0, "overdue_reviews": []},
}

with_patch(patch) := object.union(base_input, patch)

codes(items) := {i.code | some i in items}

test_emergency_when_on_call_is_auto_merged if {
	d := access.decision with input as base_input
	d.kind == "emergency"
	d.allow
	d.auto_merge
	d.outcome == "merge"
	d.retro_review_due == "2026-11-24T02:00:00Z"
	count(d.violations) == 0
	"emergency.on_call" in codes(d.reasons)
}

test_emergency_when_not_on_call_is_not_merged if {
	d := access.decision with input as with_patch({"oncall": {"now": {"sre-primary": "bob"}}})
	not d.auto_merge
	d.allow
	d.outcome == "emergency_refused"
	"emergency.not_on_call" in codes(d.emergency_blockers)
	d.retro_review_due == null
	d.required_approvals == 1
}

test_emergency_when_not_on_call_but_approved_is_merged if {
	d := access.decision with input as with_patch({
		"oncall": {"now": {}},
		"pull_request": {"reviews": [{"login": "carol", "state": "APPROVED", "commit_id": "h2"}]},
	})
	d.auto_merge
	d.outcome == "merge"
}

test_emergency_when_incident_malformed_is_denied if {
	d := access.decision with input as with_patch({"request": {"incident": "INC-42; DROP TABLE"}})
	not d.allow
	d.outcome == "deny"
	"emergency.incident_invalid" in codes(d.violations)
}

test_emergency_when_over_cap_is_blocked if {
	d := access.decision with input as with_patch({"request": {"duration_seconds": 18000}})
	not d.auto_merge
	"emergency.duration_exceeds_cap" in codes(d.emergency_blockers)
	"request.duration.exceeds_role_max" in codes(d.violations)
}

test_emergency_when_review_overdue_is_blocked if {
	d := access.decision with input as with_patch({"state": {"overdue_reviews": [{"request_id": "inc-4100-db", "requester": "Alice"}]}})
	not d.auto_merge
	"emergency.overdue_review" in codes(d.emergency_blockers)
}

test_emergency_when_too_many_live_grants_is_blocked if {
	d := access.decision with input as with_patch({"state": {"live_emergency_grants": 3}})
	not d.auto_merge
	"emergency.too_many_live_grants" in codes(d.emergency_blockers)
}

test_emergency_when_role_disallows_is_denied if {
	d := access.decision with input as with_patch({"request": {"role": "db-readonly"}})
	not d.allow
	"emergency.role_not_allowed" in codes(d.violations)
}

test_request_when_author_is_not_requester_is_denied if {
	d := access.decision with input as with_patch({"pull_request": {"author": "mallory"}})
	not d.allow
	"request.requester.not_author" in codes(d.violations)
}

test_request_when_delegate_opens_it_is_allowed if {
	d := access.decision with input as with_patch({"pull_request": {"author": "heidi"}})
	d.allow
	"request.requester.delegate" in codes(d.reasons)
}

test_request_when_not_eligible_is_denied if {
	d := access.decision with input as with_patch({
		"request": {"requester": "zoe"},
		"pull_request": {"author": "zoe"},
		"oncall": {"now": {"sre-primary": "zoe"}},
	})
	not d.allow
	not d.auto_merge
	"request.requester.not_eligible" in codes(d.violations)
}

test_request_when_environment_missing_for_role_is_denied if {
	d := access.decision with input as with_patch({"request": {"environment": "prod-us"}})
	"request.environment.not_allowed" in codes(d.violations)
	not d.auto_merge
}

test_request_when_role_unknown_is_denied if {
	d := access.decision with input as with_patch({"request": {"role": "root"}})
	"catalog.role.unknown" in codes(d.violations)
	d.outcome == "deny"
}

test_request_when_problems_reported_is_denied if {
	d := access.decision with input as with_patch({"problems": [{"file": "requests/x.yaml", "line": 3, "code": "request.unknown_field", "message": "unknown field 'admin'"}]})
	not d.allow
	{"code": "request.unknown_field", "message": "requests/x.yaml:3: unknown field 'admin'"} in d.violations
}

normal_input := with_patch({"request": {"emergency": false, "incident": null}, "pull_request": {"author": "alice"}})

test_normal_when_no_approval_waits if {
	d := access.decision with input as normal_input
	d.kind == "normal"
	d.allow
	not d.auto_merge
	d.outcome == "wait_for_approval"
	d.required_approvals == 1
	d.eligible_approvers == ["carol", "erin", "frank"]
}

test_normal_when_eligible_approval_on_head_merges if {
	d := access.decision with input as object.union(normal_input, {"pull_request": {"reviews": [{"login": "Carol", "state": "APPROVED", "commit_id": "h2"}]}})
	d.auto_merge
	d.approved_by == ["carol"]
}

test_normal_when_self_approved_does_not_count if {
	d := access.decision with input as object.union(normal_input, {"pull_request": {"reviews": [{"login": "alice", "state": "APPROVED", "commit_id": "h2"}]}})
	not d.auto_merge
	d.approvals == 0
	"approval.self_ignored" in codes(d.reasons)
}

test_normal_when_approval_is_for_old_commit_does_not_count if {
	d := access.decision with input as object.union(normal_input, {"pull_request": {"reviews": [{"login": "carol", "state": "APPROVED", "commit_id": "h1"}]}})
	not d.auto_merge
	"approval.stale_ignored" in codes(d.reasons)
}

test_normal_when_approver_not_eligible_does_not_count if {
	d := access.decision with input as object.union(normal_input, {"pull_request": {"reviews": [{"login": "bob", "state": "APPROVED", "commit_id": "h2"}]}})
	not d.auto_merge
	"approval.not_eligible_ignored" in codes(d.reasons)
}

test_normal_when_zero_approvals_needed_merges if {
	d := access.decision with input as object.union(normal_input, {"request": {"environment": "staging"}})
	d.required_approvals == 0
	d.auto_merge
}

test_pull_request_touching_policies_is_never_merged if {
	d := access.decision with input as with_patch({"pull_request": {"files": [
		{"path": "requests/inc-4211-orders.yaml", "status": "added"},
		{"path": "policies/hallpass/access/rules.rego", "status": "modified"},
	]}})
	d.kind == "config_change"
	not d.auto_merge
	d.outcome == "needs_platform_review"
}

test_pull_request_touching_catalog_is_never_merged if {
	some path in ["catalog/roles.yaml", "hallpass.yaml", "oncall.yaml", ".github/workflows/x.yml", "CODEOWNERS"]
	d := access.decision with input as with_patch({"pull_request": {"files": [{"path": path, "status": "modified"}]}})
	d.kind == "config_change"
	not d.auto_merge
}

test_pull_request_renaming_into_catalog_is_never_merged if {
	d := access.decision with input as with_patch({"pull_request": {"files": [{"path": "requests/x-y-z.yaml", "previous_path": "catalog/roles.yaml", "status": "renamed"}]}})
	d.kind == "config_change"
	not d.auto_merge
}

test_pull_request_with_other_files_is_not_an_access_request if {
	d := access.decision with input as with_patch({"pull_request": {"files": [
		{"path": "requests/inc-4211-orders.yaml", "status": "added"},
		{"path": "README.md", "status": "modified"},
	]}})
	d.kind == "other"
	not d.auto_merge
	"pull_request.not_only_requests" in codes(d.violations)
}

test_pull_request_with_two_requests_is_denied if {
	d := access.decision with input as with_patch({"pull_request": {"files": [
		{"path": "requests/inc-4211-orders.yaml", "status": "added"},
		{"path": "requests/inc-4211-other.yaml", "status": "added"},
	]}})
	not d.auto_merge
	"pull_request.unsupported_change" in codes(d.violations)
}

test_extension_is_judged_as_emergency_when_emergency if {
	d := access.decision with input as with_patch({
		"pull_request": {"files": [{"path": "requests/inc-4211-orders.yaml", "status": "modified"}]},
		"previous_request": object.union(base_input.request, {"duration_seconds": 3600}),
	})
	d.kind == "extension"
	d.auto_merge
}

test_extension_over_role_max_is_denied if {
	d := access.decision with input as with_patch({
		"pull_request": {"files": [{"path": "requests/inc-4211-orders.yaml", "status": "modified"}]},
		"request": {"duration_seconds": 20000},
		"previous_request": base_input.request,
	})
	not d.allow
	"request.duration.exceeds_role_max" in codes(d.violations)
}

test_delete_by_person_is_early_revoke_and_merged if {
	d := access.decision with input as {
		"pull_request": {"author": "alice", "files": [{"path": "requests/inc-4211-orders.yaml", "status": "removed"}]},
		"problems": [],
		"removed_requests": [{"path": "requests/inc-4211-orders.yaml", "requester": "alice", "role": "db-admin", "environment": "prod-eu"}],
	}
	d.kind == "revoke"
	d.auto_merge
}

test_delete_by_hallpass_is_expiry_and_merged if {
	d := access.decision with input as {
		"pull_request": {"author": "hallpass[bot]", "author_is_hallpass": true, "files": [{"path": "requests/inc-4211-orders.yaml", "status": "removed"}]},
		"problems": [],
	}
	d.kind == "expiry"
	d.auto_merge
}

test_decision_is_always_defined if {
	d := access.decision with input as {}
	d.kind == "other"
	not d.allow
	not d.auto_merge
	d.outcome == "not_an_access_request"
}
