# Shared helpers for the end-to-end tests (sourced, not run).
set -eu
BIN=${BD_BIN:?BD_BIN not set: run through make test}
FIX=${BD_FIXTURES:-}
SAMPLES=${BD_SAMPLES:-}
WORK=$(mktemp -d /tmp/bidui-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# copy_run SRC_DIR: copies a run folder (RUN.ini, in/, key) into $WORK/run
copy_run() {
	mkdir -p "$WORK/run"
	cp -r "$1/." "$WORK/run/"
	chmod -R u+w "$WORK/run"
	for k in "$WORK"/run/*.key; do chmod 600 "$k"; done
}
