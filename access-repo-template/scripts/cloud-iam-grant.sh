#!/usr/bin/env bash
# Called by Hallpass's `command` provider (see hallpass.yaml) to apply, revoke or verify a grant.
# The grant arrives as JSON on stdin and in HALLPASS_* environment variables:
#   HALLPASS_ACTION      apply | revoke | verify
#   HALLPASS_REQUEST_ID  the request id
#   HALLPASS_PERSON      the GitHub login of the person
#   HALLPASS_TARGET      the role's target (here: the IAM role)
#   HALLPASS_EXPIRES_AT  RFC 3339 expiry, to set on the binding where the cloud supports it
# Exit 0 on success. For `verify`, print "present" or "absent". Output is kept for the audit.
set -euo pipefail
grant_json=$(cat)
case "$HALLPASS_ACTION" in
  apply)
    terraform -chdir=infra/access apply -auto-approve \
      -var "request_id=$HALLPASS_REQUEST_ID" -var "member=$HALLPASS_PERSON" \
      -var "role=$HALLPASS_TARGET" -var "expires_at=$HALLPASS_EXPIRES_AT"
    ;;
  revoke)
    terraform -chdir=infra/access destroy -auto-approve -var "request_id=$HALLPASS_REQUEST_ID" \
      -var "member=$HALLPASS_PERSON" -var "role=$HALLPASS_TARGET" -var "expires_at=$HALLPASS_EXPIRES_AT"
    ;;
  verify)
    if terraform -chdir=infra/access state list | grep -q "binding\[\"$HALLPASS_REQUEST_ID\"\]"; then
      echo present
    else
      echo absent
    fi
    ;;
  *)
    echo "unknown action: $HALLPASS_ACTION (grant: $grant_json)" >&2
    exit 2
    ;;
esac
