# METADATA
# title: What kind of pull request this is
# description: |
#   Classifies the pull request from its changed files. Only a pull request that touches request files
#   and nothing else is an access request; anything touching policies, the catalog, settings, on-call
#   or .github/ is a configuration change that Hallpass never merges (separation of duties).
package hallpass.access

import rego.v1

_files := object.get(input.pull_request, "files", [])

_is_request_path(path) if regex.match(`^requests/[a-z0-9][a-z0-9-]{2,62}\.yaml$`, path)

_is_protected_path(path) if {
	some prefix in {"policies/", "catalog/", ".github/", "requests/examples/"}
	startswith(path, prefix)
}

_is_protected_path(path) if path in {"hallpass.yaml", "oncall.yaml", "CODEOWNERS", "requests/README.md"}

_touches_protected if {
	some f in _files
	_is_protected_path(f.path)
}

_touches_protected if {
	some f in _files
	_is_protected_path(object.get(f, "previous_path", ""))
}

_request_files := [f | some f in _files; _is_request_path(f.path)]

_other_files := [f | some f in _files; not _is_request_path(f.path)]

# METADATA
# title: kind
# description: config_change | expiry | revoke | emergency | extension | normal | other
default kind := "other"

kind := "config_change" if _touches_protected

kind := "expiry" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) > 0
	every f in _request_files { f.status == "removed" }
	input.pull_request.author_is_hallpass
}

kind := "revoke" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) > 0
	every f in _request_files { f.status == "removed" }
	not input.pull_request.author_is_hallpass
}

kind := "extension" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "modified"
}

kind := "emergency" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "added"
	input.request.emergency
}

kind := "normal" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "added"
	not input.request.emergency
}

# METADATA
# title: An access pull request changes request files and nothing else
# custom:
#   code: pull_request.not_only_requests
violations contains {"code": "pull_request.not_only_requests", "message": msg} if {
	kind == "other"
	count(_request_files) > 0
	msg := sprintf("besides request files this pull request changes %s; open a separate pull request for those", [concat(", ", sort([f.path | some f in _other_files]))])
}

# METADATA
# title: Request files are added, changed or deleted, one kind of change per pull request
# custom:
#   code: pull_request.unsupported_change
violations contains {"code": "pull_request.unsupported_change", "message": msg} if {
	kind == "other"
	count(_other_files) == 0
	count(_request_files) > 0
	msg := sprintf("this pull request %s; add, change or delete one request file per pull request (deleting several is fine)", [concat(", ", sort([sprintf("%s %s", [f.status, f.path]) | some f in _request_files]))])
}

# --- Extensions: an existing grant's duration or reason, nothing else ---------------------------------

# The fields an extension may not change: together they say who gets what, where and on which path.
_extension_fixed_fields := ["requester", "role", "environment", "emergency", "incident", "start"]

_previous := object.get(input, "previous_request", null)

_extension_changed := sort([field |
	some field in _extension_fixed_fields
	_normalized(field, object.get(_previous, field, null)) != _normalized(field, object.get(_request, field, null))
])

_normalized("requester", v) := lower(v) if is_string(v)

_normalized(field, v) := v if field != "requester"

_normalized("requester", v) := v if not is_string(v)

# METADATA
# title: An extension changes only the duration or the reason of an existing grant
# description: |
#   Editing a merged request is judged as an extension of that grant. Swapping the requester, the role,
#   the environment, the emergency flag, the incident or the start would hand someone else's approval or
#   emergency to a different grant; open a new request for that instead.
# custom:
#   code: extension.changes_grant
violations contains {"code": "extension.changes_grant", "message": msg} if {
	kind == "extension"
	_previous != null
	count(_extension_changed) > 0
	msg := sprintf("an extension may change only duration and reason; this one changes %s of %s: open a new request instead", [concat(", ", _extension_changed), object.get(_previous, "id", "the request")])
}

# METADATA
# title: An extension needs the request it extends to be readable at the base commit
# custom:
#   code: extension.previous_unreadable
violations contains {"code": "extension.previous_unreadable", "message": msg} if {
	kind == "extension"
	_previous == null
	msg := sprintf("%s cannot be read as a valid request at the base commit, so this change cannot be judged as an extension", [_request_files[0].path])
}

# --- Early revoke: deleting a request file --------------------------------------------------------

_platform_owners := {lower(l) | some l in object.get(object.get(input, "settings", {}), "platform_owners", [])}

_removed_by_path := {r.path: r | some r in object.get(input, "removed_requests", [])}

# Who may end a grant early: the person who holds it, an approver of its role in its environment, or a
# platform owner. Anyone else deleting the file would cut off someone's access during an incident.
_may_revoke(_) if _author in _platform_owners

_may_revoke(path) if lower(_removed_by_path[path].requester) == _author

_may_revoke(path) if {
	r := _removed_by_path[path]
	some a in input.catalog.roles[r.role].environments[r.environment].approvers
	lower(a) == _author
}

# METADATA
# title: A request file is deleted by its requester, an approver of its role, or a platform owner
# custom:
#   code: revoke.not_allowed
violations contains {"code": "revoke.not_allowed", "message": msg} if {
	kind == "revoke"
	some f in _request_files
	not _may_revoke(f.path)
	msg := sprintf("%s may not delete %s: only its requester, an approver of its role in its environment, or a platform owner ends a grant early", [_author, f.path])
}

reasons contains {"code": "revoke.allowed", "message": msg} if {
	kind == "revoke"
	count([f | some f in _request_files; not _may_revoke(f.path)]) == 0
	msg := sprintf("%s may end these grants early", [_author])
}
