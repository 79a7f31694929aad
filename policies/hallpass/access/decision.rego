# METADATA
# title: Hallpass access decision
# description: |
#   Combines the rules of package hallpass.access into one decision document for a pull request.
#   Input and decision shapes are documented in policies/README.md.
package hallpass.access

import rego.v1

# The decision Hallpass acts on. Exactly one document, always defined.
decision := {
	"kind": kind,
	"allow": allow,
	"auto_merge": auto_merge,
	"outcome": outcome,
	"required_approvals": required_approvals,
	"approvals": count(valid_approvers),
	"approved_by": sort([login | some login in valid_approvers]),
	"eligible_approvers": sort([login | some login in eligible_approvers]),
	"max_duration_seconds": max_duration_seconds,
	"retro_review_due": retro_review_due,
	# Sets of {code, message} objects iterate sorted by code, then message.
	"violations": [v | some v in violations],
	"emergency_blockers": [b | some b in emergency_blockers],
	"reasons": [r | some r in reasons],
}

# allow: the request itself is acceptable (it may still wait for approvals).
default allow := false

allow if {
	kind in {"emergency", "normal", "extension", "revoke", "expiry"}
	count(violations) == 0
}

# auto_merge: Hallpass may merge the pull request now, without waiting for anyone.
default auto_merge := false

auto_merge if {
	allow
	kind in {"revoke", "expiry"}
}

auto_merge if {
	allow
	kind in {"emergency", "extension"}
	input.request.emergency
	count(emergency_blockers) == 0
}

auto_merge if {
	allow
	kind in {"normal", "extension", "emergency"}
	required_approvals > 0
	count(valid_approvers) >= required_approvals
}

auto_merge if {
	allow
	kind in {"normal", "extension", "emergency"}
	required_approvals == 0
}

# outcome: what happens next, in one word, for the check and the comment.
outcome := "merge" if auto_merge
else := "needs_platform_review" if kind == "config_change"
else := "not_an_access_request" if kind == "other"
else := "deny" if count(violations) > 0
else := "emergency_refused" if {
	kind in {"emergency", "extension"}
	input.request.emergency
	count(emergency_blockers) > 0
}
else := "wait_for_approval"
