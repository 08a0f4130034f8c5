#!/usr/bin/env bash
# Records this tree's workflow histories as release <name>, for later releases to replay
# (test/workflow/releaseReplay.test.ts): runs the workflow-tier files that gather histories
# with CLOCKER_SAVE_HISTORIES=test/histories/<name>. Run it on the release's own commit.
# Usage: scripts/record-histories.sh <release-name>    e.g. 0.2.0-$(git rev-parse --short HEAD)
set -euo pipefail

name="${1:-}"
if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
  echo "usage: $0 <release-name>   (letters, digits, . _ -; e.g. 0.2.0-$(git rev-parse --short HEAD 2>/dev/null || echo abc1234))" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/test/histories/$name"
if [[ -e "$dir" ]]; then
  echo "$dir exists: a release is recorded once (remove the folder to record it again)" >&2
  exit 2
fi

cd "$root"
# CI=true: without a Temporal CLI the files fail instead of skipping (and recording nothing).
if ! CI=true CLOCKER_SAVE_HISTORIES="$dir" node --import tsx --test --test-concurrency=1 \
  test/workflow/application.test.ts test/workflow/infrastructure.test.ts; then
  echo "the tests failed: $dir is not kept" >&2
  rm -rf "$dir"
  exit 1
fi

# Plain JSON reads and diffs well; a release past 20 MB is gzipped file by file (the loader
# reads x.json.gz as x.json; the manifest keeps the .json names).
bytes="$(du -sb "$dir" | cut -f1)"
if (( bytes > 20 * 1000 * 1000 )); then
  find "$dir" -name '*.json' ! -name manifest.json -exec gzip -9 {} +
fi
node -e '
  const m = require(process.argv[1] + "/manifest.json");
  const byType = {};
  for (const e of m) byType[e.workflowType] = (byType[e.workflowType] ?? 0) + 1;
  console.log(`recorded ${m.length} histories into ${process.argv[1]}:`, byType);
' "$dir"
du -sh "$dir"

# The release's source too, for the upgrade test (test/e2e/upgrade.test.ts): a clone may be
# shallow, so the commit itself cannot be relied on. Record from a clean tree of the release.
if [[ -n "$(git status --porcelain)" ]]; then
  echo "note: the tree has uncommitted changes; test/releases/$name.tar.gz is made from HEAD ($(git rev-parse --short HEAD))" >&2
fi
mkdir -p "$root/test/releases"
git archive --format=tar HEAD | gzip -n -9 > "$root/test/releases/$name.tar.gz"
echo "source archived into test/releases/$name.tar.gz"
