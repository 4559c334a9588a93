#!/usr/bin/env bash
# End-to-end smoke test: a throwaway Pulumi project and policy pack in a temp dir,
# previewed offline by the CLI from build-cli.sh with the stand-in providers.
#
# Checks: preview exits non-zero, prints the violation, the event log holds a
# mandatory policyEvent, and whether stack config (tierguard:users) reached the pack.
# Needs pulumi AND pulumi-language-python in the bin dir (see README.md).
#
# Usage: bash e2e/smoke.sh [bin-dir]     (KEEP=1 keeps the temp dir)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bin="${1:-$repo/.cache/pulumi-cli/bin}"
for exe in pulumi pulumi-language-python pulumi-language-python-exec; do
    if [[ ! -x "$bin/$exe" ]]; then
        echo "smoke: missing $bin/$exe (run e2e/build-cli.sh)" >&2
        exit 2
    fi
done

tmp="$(mktemp -d /tmp/tierguard-e2e.XXXXXX)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/proj" "$tmp/pack" "$tmp/state" "$tmp/home"

cat > "$tmp/proj/Pulumi.yaml" <<'EOF'
name: tg-e2e
runtime:
  name: python
  options:
    toolchain: pip
EOF
cat > "$tmp/proj/__main__.py" <<'EOF'
import pulumi
import pulumi_aws as aws
import pulumi_render as render

render.services.WebService(
    "web",
    name="web",
    owner_id="own-1",
    service_details={"plan": "free", "runtime": "python",
                     "env_specific_details": {"build_command": "pip install .",
                                              "start_command": "python app.py"}},
)
aws.s3.Bucket("assets")
pulumi.CustomResource("supabase:index/project:Project", "db", {
    "instanceSize": "nano", "name": "x", "organizationId": "o", "region": "us-east-1"})
EOF
cat > "$tmp/pack/PulumiPolicy.yaml" <<'EOF'
runtime:
  name: python
  options:
    toolchain: pip
EOF
cat > "$tmp/pack/__main__.py" <<'EOF'
import pulumi
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def no_free_plan(args, report_violation):
    details = args.props.get("serviceDetails") or {}
    if details.get("plan") == "free":
        users = pulumi.Config("tierguard").get("users")
        report_violation(f"free plan cannot serve users={users}")


PolicyPack("tg-e2e-pack", policies=[ResourceValidationPolicy(
    name="no-free-plan", description="render services must not use the free plan",
    enforcement_level=EnforcementLevel.MANDATORY, validate=no_free_plan)])
EOF

export PULUMI_BACKEND_URL="file://$tmp/state"
export PULUMI_CONFIG_PASSPHRASE=test
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_HOME="$tmp/home"
export PULUMI_DEBUG_COMMANDS=true   # v3.276.0 registers --event-log only with this
export STANDIN_CALL_LOG="$tmp/provider-calls.log"
export PATH="$bin:$here/providers:$PATH"

cd "$tmp/proj"
pulumi version
pulumi stack init dev --non-interactive || exit 1
pulumi config set tierguard:users 100 || exit 1
pulumi preview --policy-pack "$tmp/pack" --color never --non-interactive \
    --event-log "$tmp/events.json" > "$tmp/preview.txt" 2>&1
rc=$?
cat "$tmp/preview.txt"
echo "--- provider RPCs seen:"; sort "$STANDIN_CALL_LOG" 2>/dev/null | uniq -c

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
check "preview exits non-zero (rc=$rc)" '[[ $rc -ne 0 ]]'
check "violation printed" 'grep -q "no-free-plan" "$tmp/preview.txt"'
check "mandatory policyEvent in event log" \
    'grep "\"policyEvent\"" "$tmp/events.json" | grep -q "\"enforcementLevel\":\"mandatory\""'
if grep -q "users=100" "$tmp/preview.txt"; then
    echo "ok: stack config reached the policy pack (users=100)"
else
    echo "FAIL: stack config did not reach the policy pack"; fail=1
fi
exit $fail
