# METADATA
# title: Request rules
# description: |
#   The rules every access request must pass. Each violation carries a stable code; each passed rule
#   adds a reason, so the comment can say what was checked.
package hallpass.access

import rego.v1

_request := object.get(input, "request", {})

_role := input.catalog.roles[_request.role]

_role_env := _role.environments[_request.environment]

_emergency_settings := input.settings.emergency

_author := lower(input.pull_request.author)

_requester := lower(_request.requester)

_is_access_request if kind in {"emergency", "normal", "extension"}

# METADATA
# title: The files of the pull request must parse and pass validation
# custom:
#   code: request.invalid
violations contains {"code": p.code, "message": sprintf("%s:%d: %s", [p.file, p.line, p.message])} if {
	some p in object.get(input, "problems", [])
}

# METADATA
# title: A pull request must change exactly one request file
# custom:
#   code: pull_request.multiple_requests
violations contains {"code": "pull_request.multiple_requests", "message": msg} if {
	not kind in {"config_change", "revoke", "expiry"}
	count(_request_files) > 1
	msg := sprintf("a pull request adds or changes one request file; this one has %d", [count(_request_files)])
}

# METADATA
# title: The requester opens the request, or a delegate named in the catalog does
# custom:
#   code: request.requester.not_author
violations contains {"code": "request.requester.not_author", "message": msg} if {
	_is_access_request
	_author != _requester
	not _author in {lower(d) | some d in object.get(_role, "delegates", [])}
	msg := sprintf("the pull request was opened by %s but requests access for %s, and %s is not a delegate for role %s", [_author, _requester, _author, _request.role])
}

reasons contains {"code": "request.requester.author", "message": sprintf("%s opened the request for themselves", [_author])} if {
	_is_access_request
	_author == _requester
}

reasons contains {"code": "request.requester.delegate", "message": sprintf("%s is a delegate for role %s and opened the request for %s", [_author, _request.role, _requester])} if {
	_is_access_request
	_author != _requester
	_author in {lower(d) | some d in object.get(_role, "delegates", [])}
}

# METADATA
# title: The role must exist in the catalog at the base commit
# custom:
#   code: catalog.role.unknown
violations contains {"code": "catalog.role.unknown", "message": sprintf("role %s is not in the catalog", [_request.role])} if {
	_is_access_request
	not input.catalog.roles[_request.role]
}

# METADATA
# title: The environment must exist for the role
# custom:
#   code: request.environment.not_allowed
violations contains {"code": "request.environment.not_allowed", "message": msg} if {
	_is_access_request
	_role
	not _role.environments[_request.environment]
	msg := sprintf("role %s cannot be requested in %s", [_request.role, _request.environment])
}

# METADATA
# title: The requester must be eligible for the role
# custom:
#   code: request.requester.not_eligible
violations contains {"code": "request.requester.not_eligible", "message": msg} if {
	_is_access_request
	_role
	not _requester in {lower(l) | some l in _role.eligible}
	msg := sprintf("%s is not eligible for role %s", [_requester, _request.role])
}

reasons contains {"code": "request.requester.eligible", "message": sprintf("%s is eligible for role %s", [_requester, _request.role])} if {
	_is_access_request
	_requester in {lower(l) | some l in _role.eligible}
}

# METADATA
# title: The duration must be within the role's maximum
# custom:
#   code: request.duration.exceeds_role_max
violations contains {"code": "request.duration.exceeds_role_max", "message": msg} if {
	_is_access_request
	_request.duration_seconds > _role.max_duration_seconds
	msg := sprintf("%s exceeds the maximum of %s for role %s", [_human(_request.duration_seconds), _human(_role.max_duration_seconds), _request.role])
}

reasons contains {"code": "request.duration.within_role_max", "message": msg} if {
	_is_access_request
	_request.duration_seconds <= _role.max_duration_seconds
	msg := sprintf("%s is within the maximum of %s", [_human(_request.duration_seconds), _human(_role.max_duration_seconds)])
}

# METADATA
# title: An emergency needs a role that allows emergencies
# custom:
#   code: emergency.role_not_allowed
violations contains {"code": "emergency.role_not_allowed", "message": sprintf("role %s cannot be used in an emergency", [_request.role])} if {
	_is_access_request
	_request.emergency
	_role.emergency == false
}

# METADATA
# title: An emergency names an incident matching the configured pattern
# custom:
#   code: emergency.incident_invalid
violations contains {"code": "emergency.incident_invalid", "message": msg} if {
	_is_access_request
	_request.emergency
	not _incident_ok
	msg := sprintf("incident %q does not match %s", [object.get(_request, "incident", ""), _emergency_settings.incident_pattern])
}

_incident_ok if regex.match(sprintf("^(?:%s)$", [_emergency_settings.incident_pattern]), _request.incident)

# METADATA
# title: A normal request needs an approver to exist at all
# custom:
#   code: approval.no_approvers
violations contains {"code": "approval.no_approvers", "message": msg} if {
	_is_access_request
	required_approvals > count(eligible_approvers)
	msg := sprintf("%d approval(s) needed but only %d eligible approver(s) other than the requester and author", [required_approvals, count(eligible_approvers)])
}

default max_duration_seconds := 0

max_duration_seconds := min({_role.max_duration_seconds, _emergency_settings.max_duration_seconds}) if {
	_request.emergency
} else := _role.max_duration_seconds

_human(s) := sprintf("%dh%dm", [floor(s / 3600), floor((s % 3600) / 60)]) if s % 3600 != 0
else := sprintf("%dh", [s / 3600])
