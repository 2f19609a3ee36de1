#!/usr/bin/env bash
# Re-records Tests/Golden/expected.sha256 from BINARY's outputs, fixtures and corpus
# (for a change that alters outputs on purpose; see README.md). The corpus is required, so that
# its cases are not silently dropped from the record.
#
#   record.sh [--corpus DIR] BINARY
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=()
if [[ ${1:-} == --corpus ]]; then corpus=(--corpus "$2"); shift 2; fi
[[ $# -eq 1 ]] || { echo "usage: record.sh [--corpus DIR] BINARY" >&2; exit 64; }
out=$(mktemp -d "${TMPDIR:-/tmp}/exhume-golden-record.XXXXXXXX")
trap 'rm -rf "$out"' EXIT
bash "$HERE/snapshot.sh" "${corpus[@]}" "$1" "$out/cases"
if ! ls "$out/cases" | grep -q '^corpus--'; then
    echo "record.sh: no corpus cases (corpus not found): not recording; set EXHUME_CORPUS or pass --corpus DIR" >&2
    exit 66
fi
(cd "$out/cases" && sha256sum -- *) | LC_ALL=C sort -k2 >"$HERE/expected.sha256"
echo "record.sh: $(wc -l <"$HERE/expected.sha256") cases recorded in $HERE/expected.sha256" \
     "($(grep -c '  corpus--' "$HERE/expected.sha256") corpus)" >&2
