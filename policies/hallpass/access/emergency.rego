# METADATA
# title: Emergency (break-glass) rules
# description: |
#   An emergency request that passes every rule is merged at once and reviewed afterwards. Each
#   emergency blocker keeps it from being auto-merged; it then needs the normal approvals.
package hallpass.access

import rego.v1

_emergency_path if {
	kind in {"emergency", "extension"}
	_request.emergency
}

# METADATA
# title: The requester must be on call now
# custom:
#   code: emergency.not_on_call
emergency_blockers contains {"code": "emergency.not_on_call", "message": msg} if {
	_emergency_path
	not _on_call
	msg := sprintf("%s is not on call now (on call: %s)", [_requester, _on_call_summary])
}

_on_call if {
	some login in object.get(input.oncall, "now", {})
	lower(login) == _requester
}

_on_call_summary := "nobody" if count(object.get(input.oncall, "now", {})) == 0

else := concat(", ", sort([sprintf("%s (%s)", [login, rotation]) | some rotation, login in input.oncall.now]))

reasons contains {"code": "emergency.on_call", "message": sprintf("%s is on call now", [_requester])} if {
	_emergency_path
	_on_call
}

# METADATA
# title: The duration must be within the emergency cap
# custom:
#   code: emergency.duration_exceeds_cap
emergency_blockers contains {"code": "emergency.duration_exceeds_cap", "message": msg} if {
	_emergency_path
	_request.duration_seconds > _emergency_settings.max_duration_seconds
	msg := sprintf("an emergency grant lasts at most %s; this asks for %s", [_human(_emergency_settings.max_duration_seconds), _human(_request.duration_seconds)])
}

# METADATA
# title: The requester must have no overdue retroactive review
# custom:
#   code: emergency.overdue_review
emergency_blockers contains {"code": "emergency.overdue_review", "message": msg} if {
	_emergency_path
	overdue := [r.request_id | some r in object.get(input.state, "overdue_reviews", []); lower(r.requester) == _requester]
	count(overdue) > 0
	msg := sprintf("%s has emergency access awaiting an overdue review: %s", [_requester, concat(", ", sort(overdue))])
}

# METADATA
# title: Fewer live emergency grants than the cap
# custom:
#   code: emergency.too_many_live_grants
emergency_blockers contains {"code": "emergency.too_many_live_grants", "message": msg} if {
	_emergency_path
	live := object.get(input.state, "live_emergency_grants", 0)
	live >= _emergency_settings.max_live_grants
	msg := sprintf("%d emergency grants are live; the cap is %d", [live, _emergency_settings.max_live_grants])
}

# METADATA
# title: An emergency starts now
# description: |
#   On-call and the live-grant cap are judged at the merge; a scheduled start would let an emergency
#   approved now take effect later, when neither holds. Planned windows are normal requests.
# custom:
#   code: emergency.start_not_allowed
violations contains {"code": "emergency.start_not_allowed", "message": msg} if {
	_is_access_request
	_request.emergency
	object.get(_request, "start", null) != null
	msg := sprintf("an emergency starts when it is merged; remove start (%s) or make this a normal request", [_request.start])
}

retro_review_due := time.format([input.now_ns + (_emergency_settings.review_deadline_seconds * 1000000000), "UTC", "2006-01-02T15:04:05Z07:00"]) if {
	auto_merge
	_emergency_path
} else := null
