#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, documentation, and the whole test suite
# (unit, integration, conformance corpus, JSONata suite, compile-fail tests).
#
# Needs the Rust toolchain and python3 (with venv): the state-data tests run against moto's
# DynamoDB and S3, installed from PyPI into a virtual environment under the target
# directory (reused between runs) and started on a free port for the length of the run;
# cfn-lint, installed in the same environment, checks the exported CloudFormation and SAM
# templates.
# Build output goes to the checkout's own target/, or to $CARGO_TARGET_DIR when it is set.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if [ ! -d ../shared/conformance ]; then
    echo "note: ../shared is absent; the conformance and JSONata suites will say so and skip (they fail under CI=true)"
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
# Features unify across the workspace: check the pure crates alone as well, and
# sfn-runtime without its engine (the States Language and the macros, no tokio).
cargo clippy -p sfn-jsonata -p sfn-core --all-targets -- -D warnings
cargo clippy -p sfn-runtime --no-default-features --lib -- -D warnings
cargo clippy -p sfn-runtime --no-default-features --features tools --lib -- -D warnings

echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace

echo "== moto (DynamoDB and S3 for the state-data tests) and cfn-lint (exported templates)"
mkdir -p "$target_dir"
moto_venv="$target_dir/moto-venv"
moto_pid=""
stop_moto() {
    if [ -n "$moto_pid" ]; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
        moto_pid=""
    fi
}
trap stop_moto EXIT INT TERM
if [ ! -x "$moto_venv/bin/moto_server" ] || [ ! -x "$moto_venv/bin/cfn-lint" ]; then
    rm -rf "$moto_venv"
    python3 -m venv "$moto_venv"
    "$moto_venv/bin/pip" install --quiet --disable-pip-version-check 'moto[dynamodb,s3]' flask flask-cors cfn-lint
fi
# The exported CloudFormation and SAM templates are checked with cfn-lint.
export SFN_TEST_CFN_LINT="$moto_venv/bin/cfn-lint"
moto_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$moto_venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$target_dir/moto.log" 2>&1 &
moto_pid=$!
export SFN_TEST_MOTO_URL="http://127.0.0.1:$moto_port"
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1] + '/moto-api/', timeout=1)" "$SFN_TEST_MOTO_URL" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "moto did not start; see $target_dir/moto.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "moto at $SFN_TEST_MOTO_URL"

echo "== cargo test"
set +e
cargo test --workspace --no-fail-fast 2>&1 | tee "$target_dir/test-output.txt"
status=${PIPESTATUS[0]}
set -e
stop_moto

# One closing line for the whole run.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "%d passed, %d failed\n", p, f }' "$target_dir/test-output.txt"
exit "$status"
