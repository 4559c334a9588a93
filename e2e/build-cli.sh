#!/usr/bin/env bash
# Build the pinned Pulumi CLI (and, if obtainable, the Python language host)
# from source with the ordinary Go client, into <repo>/.cache/pulumi-cli/bin.
#
# Idempotent: a binary that already exists is not rebuilt (set FORCE=1 to
# rebuild). Prints the bin dir on the last line of stdout.
#
# Usage: bash e2e/build-cli.sh            # build what is missing
#        FORCE=1 bash e2e/build-cli.sh    # rebuild everything
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mod="$here/pulumi-cli"
bin="${PULUMI_CLI_BIN:-$repo/.cache/pulumi-cli/bin}"
mkdir -p "$bin"

export GOFLAGS="${GOFLAGS:--mod=mod}"
cd "$mod"

# The one pinned Pulumi release: whatever go.mod requires for pkg/v3.
version="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
sdk_version="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
if [[ "$version" != "$sdk_version" ]]; then
    echo "build-cli: pkg/v3 ($version) and sdk/v3 ($sdk_version) differ in go.mod" >&2
    exit 1
fi
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
echo "build-cli: pinned github.com/pulumi/pulumi/{pkg,sdk}/v3 $version" >&2

# 1. The CLI itself.
if [[ -x "$bin/pulumi" && -z "${FORCE:-}" ]]; then
    echo "build-cli: $bin/pulumi exists ($("$bin/pulumi" version 2>/dev/null || echo '?')), skipping" >&2
else
    echo "build-cli: building pulumi $version (this takes a while on 2 cores)" >&2
    start=$SECONDS
    go build -trimpath -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    echo "build-cli: pulumi built in $((SECONDS - start))s" >&2
fi

# 2. The exec script the Python language host runs; it ships inside sdk/v3.
sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
if [[ -z "$sdk_dir" || ! -d "$sdk_dir" ]]; then
    go mod download github.com/pulumi/pulumi/sdk/v3
    sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
fi
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"

# 3. The Python language host: its own, untagged Go module. It is built only
#    when go.mod pins it (a `tool` line for
#    github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3).
lh_pkg="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
if grep -q "^[[:space:]]*$lh_pkg\|^tool $lh_pkg" go.mod; then
    if [[ -x "$bin/pulumi-language-python" && -z "${FORCE:-}" ]]; then
        echo "build-cli: $bin/pulumi-language-python exists, skipping" >&2
    else
        start=$SECONDS
        go build -trimpath -ldflags "$ldflags" -o "$bin/pulumi-language-python" "$lh_pkg"
        echo "build-cli: pulumi-language-python built in $((SECONDS - start))s" >&2
    fi
else
    echo "build-cli: WARNING: go.mod does not pin $lh_pkg (the Go module proxy here" \
         "refuses it), so no pulumi-language-python was built; Python programs and" \
         "policy packs cannot run with this CLI alone." >&2
fi

echo "$bin"
