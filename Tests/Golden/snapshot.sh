#!/usr/bin/env bash
# Runs an exhume binary over every fixture and corpus image with every command and writes
# one normalised file per case into OUTDIR (name = case id). See Tests/Golden/README.md.
#
#   snapshot.sh [--corpus DIR | --no-corpus] [--jobs N] [--only REGEX] [--keep] BINARY OUTDIR
#
# --only keeps the jobs of the images whose case id matches REGEX (`misc` for the option and
# error cases), to look at a few cases again; --keep keeps the work folder; GOLDEN_TIMES=FILE
# appends each case's run time to FILE.
#
# Each case file holds the command's stdout, "--- stderr ---", its stderr, "exit=N", then
# for commands that write files more sections ("--- manifest.jsonl ---", "--- files ---",
# "--- case folder ---", "--- case.sqlite ---"). Only what is volatile is normalised: the work
# folder, the corpus folder and the binary's path (<WORK>, <CORPUS>, <EXHUME>), a hash-set
# index's creation time, the scan table's start/end times (not selected); and what a scan's
# lanes make vary from run to run: item and hit row ids and the order that follows from them
# (`ls --case`, ties of `timeline --case`), and which of two same-named exported items gets
# the `~2` suffix (see scan_sections).
set -euo pipefail
export TZ=UTC LC_ALL=C.UTF-8
unset COLUMNS LINES EXHUME_RULES EXHUME_STREAM_STATS
umask 022
SELF=$(realpath "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
REPO=$(cd "$HERE/../.." && pwd)

# ---------------------------------------------------------------------------------------------
# Helpers (used by the jobs; their settings come from the G_* environment variables).

# Replaces the volatile paths (plain and JSON-escaped `\/`) and a hash-set index's creation time.
normalise() {
    perl -pe '
        BEGIN {
            my @p = grep { length $_->[0] } map { [$ENV{$_->[0]} // "", $_->[1]] }
                (["G_BIN", "<EXHUME>"], ["G_WORK", "<WORK>"], ["G_CORPUS", "<CORPUS>"]);
            @p = map { my ($a, $b) = @$_; my $e = $a =~ s{/}{\\/}gr; ([$a, $b], [$e, $b]) } @p;
            @pairs = sort { length($b->[0]) <=> length($a->[0]) } @p;
        }
        for my $p (@pairs) { my ($a, $b) = @$p; s/\Q$a\E/$b/g }
        s/"created":[0-9]+/"created":<TIME>/g;
    '
}

# run_case ID ARGS…: runs the binary in the work folder, writes OUT/ID (stdout, stderr, exit).
run_case() {
    local id=$1; shift
    [[ $id =~ ^[A-Za-z0-9._=+-]+$ ]] || { echo "snapshot.sh: bad case id $id" >&2; exit 70; }
    [[ ! -e $G_OUT/$id ]] || { echo "snapshot.sh: duplicate case id $id" >&2; exit 70; }
    local tmp=$G_WORK/t/$id rc=0 t0=$EPOCHREALTIME
    (cd "$G_WORK" && "$G_BIN" "$@" >"$tmp.out" 2>"$tmp.err" </dev/null) || rc=$?
    [[ -z ${GOLDEN_TIMES:-} ]] || awk -v a="$EPOCHREALTIME" -v b="$t0" -v id="$id" 'BEGIN { printf "%.3f %s\n", a - b, id }' >>"$GOLDEN_TIMES"
    { cat "$tmp.out"; echo "--- stderr ---"; cat "$tmp.err"; echo "exit=$rc"; } | normalise >"$G_OUT/$id"
    rm -f "$tmp.out" "$tmp.err"
}

# section ID NAME: appends "--- NAME ---" and stdin (normalised) to OUT/ID.
section() {
    { echo "--- $2 ---"; cat; } | normalise >>"$G_OUT/$1"
}

# tree DIR [EXCLUDE-REGEX]: every entry below DIR in byte order: type, mode, then sha256 and
# size for files, link target for symlinks, and the path relative to DIR (names are raw bytes).
tree() {
    [[ -d $1 ]] || { echo "(no folder)"; return; }
    perl -MDigest::SHA -e '
        my ($root, $exclude) = @ARGV;
        my @out;
        sub walk {
            my ($rel) = @_;
            opendir(my $dh, length $rel ? "$root/$rel" : $root) or die "$root/$rel: $!";
            for my $name (grep { $_ ne "." && $_ ne ".." } readdir $dh) {
                my $p = length $rel ? "$rel/$name" : $name;
                my $full = "$root/$p";
                next if $p =~ /$exclude/;
                if (-l $full) { push @out, [$p, sprintf("l %s -> %s", $p, readlink $full)] }
                elsif (-d _) { push @out, [$p, sprintf("d %o %s", (lstat $full)[2] & 07777, $p)]; walk($p) }
                else {
                    my @st = lstat $full;
                    my $sha = Digest::SHA->new(256)->addfile($full, "b")->hexdigest;
                    push @out, [$p, sprintf("f %o %s %d %s", $st[2] & 07777, $sha, $st[7], $p)];
                }
            }
            closedir $dh;
        }
        walk("");
        print "$_->[1]\n" for sort { $a->[0] cmp $b->[0] } @out;
    ' "$1" "${2:-^\$.}"
}

# manifest_and_files ID DIR: a recover/carve output folder: its manifest and its files.
manifest_and_files() {
    if [[ -f $2/manifest.jsonl ]]; then section "$1" manifest.jsonl <"$2/manifest.jsonl"
    else echo "(no manifest.jsonl)" | section "$1" manifest.jsonl; fi
    tree "$2" '^manifest\.jsonl$' | section "$1" files
}

# The case database, with the columns of the baseline schema (v2) listed by name. Row ids of
# items and hits depend on commit order, so items are keyed by their provenance key.
dump_case() {
    local db=$1
    [[ -f $db ]] || { echo "(no case.sqlite)"; return; }
    sqlite3 -batch -bail "$db" <<'SQL'
.mode quote
.headers on
SELECT id, tool_version, command_line, status FROM scan ORDER BY id;
SELECT id, path, format, size, sector_size, case_number, evidence_number, examiner, description, notes,
       acquired, software, stored_md5, stored_sha1, computed_md5, computed_sha1, status, verification
  FROM image ORDER BY id;
SELECT image_id, slot, start, length, description, kind FROM volume ORDER BY image_id, slot;
SELECT image_id, sector_offset, type, label, block_size, block_count FROM filesystem ORDER BY image_id, sector_offset;
SELECT image_id, key, source, path, addr, fs_offset, deleted, size, bytes_read, atime, mtime, ctime, crtime,
       image_offset, image_length, rule, verdict, mime, description, ext_mismatch, md5, sha1, sha256,
       read_error, exported_path
  FROM item ORDER BY image_id, key;
SELECT item.image_id, item.key, hit.set_name, hit.kind, hit.category, hit.matched
  FROM hit JOIN item ON item.id = hit.item_id
  ORDER BY item.image_id, item.key, hit.set_name, hit.kind, hit.category, hit.matched;
SELECT item.image_id, item.key, e.kind, e.time FROM item_event e JOIN item ON item.id = e.item_id
  ORDER BY item.image_id, item.key, e.kind, e.time;
SELECT count(*) AS hash_rows FROM hash;
SQL
    # Columns added later must stay NULL on what this snapshot scans: name any that is not.
    local table column extra
    while IFS='|' read -r table column; do
        grep -qxF "$table.$column" < <(baseline_columns) && continue
        extra=$(sqlite3 -batch "$db" "SELECT count(*) FROM \"$table\" WHERE \"$column\" IS NOT NULL")
        [[ $extra == 0 ]] || echo "extra column $table.$column: $extra rows not NULL"
    done < <(sqlite3 -batch "$db" "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                                   WHERE m.type = 'table' AND m.name IN ('scan', 'image', 'volume', 'filesystem', 'item', 'hit')")
}

# The columns of the baseline schema (v2), as table.column.
baseline_columns() {
    printf 'scan.%s\n' id tool_version command_line started ended status
    printf 'image.%s\n' id path format size sector_size case_number evidence_number examiner description \
        notes acquired software stored_md5 stored_sha1 computed_md5 computed_sha1 status verification
    printf 'volume.%s\n' id image_id slot start length description kind
    printf 'filesystem.%s\n' id image_id sector_offset type label block_size block_count
    printf 'item.%s\n' id image_id key source path addr fs_offset deleted size bytes_read atime mtime ctime \
        crtime image_offset image_length rule verdict mime description ext_mismatch md5 sha1 sha256 read_error \
        exported_path
    printf 'hit.%s\n' id item_id set_name kind category matched
}

# scan_sections ID CASEDIR: appends the case folder (export/ and the rest, not SQLite's own
# files) and the database to OUT/ID. A scan exports items in the order their lanes finish them
# (--export all|media: three lanes write into one folder; --export hits: the hits are gathered
# as they complete), so which of two items with the same name gets `name` and which `name~2`
# varies from run to run: the ~N suffixes of exported names are removed (in the listing, sorted
# again, and in item.exported_path).
scan_sections() {
    tree "$2" '^case\.sqlite(-wal|-shm|-journal)?$' | without_export_suffixes | LC_ALL=C sort | section "$1" "case folder"
    dump_case "$2/case.sqlite" | without_export_suffixes | section "$1" case.sqlite
}

# Removes the collision suffixes (`~2`, `~2~3`…, before the extension) from every component of
# the paths below export/imgN/.
without_export_suffixes() {
    perl -pe 's{(export/img[0-9]+/[^\x27"\n]*)}{ join "/", map { s/(?:~[0-9]+)+(?=(?:\.[^.]*)?\z)//r } split m{/}, $1, -1 }ge'
}

# `ls --case` lists items in row-id order, which varies from run to run: the ids become <ID>
# and the lines are sorted (and exported paths lose their ~N suffixes, see scan_sections).
sort_case_listing() {
    perl -pe 's/^\{(.*?),"id":[0-9]+,/{$1,"id":<ID>,/' "$1" | without_export_suffixes >"$1.n"
    { sed -n '1,/^--- stderr ---$/p' "$1.n" | sed '$d' | LC_ALL=C sort; sed -n '/^--- stderr ---$/,$p' "$1.n"; } >"$1"
    rm -f "$1.n"
}

# `timeline --case` sorts by (time, name); rows equal in both come in row-id order: sort them.
sort_case_timeline_ties() {
    perl -e '
        my @group; my $key;
        sub flush { print sort @group; @group = () }
        while (my $line = <STDIN>) {
            if ($line =~ /^--- stderr ---$/) { flush(); print $line; print while <STDIN>; last }
            my $k;
            if ($line =~ /^\{"time":"([^"]*)".*"name":"((?:[^"\\]|\\.)*)"/) { $k = "$1\0$2" }
            elsif ($line =~ /^([^,]*),[^,]*,[^,]*,[^,]*,[^,]*,(.*),[^,]*$/) { $k = "$1\0$2" }
            else { $k = "\0line$." }
            flush() if defined $key && $k ne $key;
            $key = $k; push @group, $line;
        }
        flush();
    ' <"$1" >"$1.n"
    mv "$1.n" "$1"
}

# ---------------------------------------------------------------------------------------------
# Jobs: one per image and command family, run in parallel by the main part below.

job_basic() {
    local id=$1 img=$2
    run_case "$id--info" info "$img"
    run_case "$id--info--json" info --json "$img"
    run_case "$id--verify" verify "$img"
    run_case "$id--verify--json" verify --json "$img"
    run_case "$id--ls" ls "$img"
    run_case "$id--ls--json" ls --json "$img"
    run_case "$id--ls--deleted" ls --deleted "$img"
    run_case "$id--ls--allocated" ls --allocated "$img"
    run_case "$id--timeline" timeline "$img"
    run_case "$id--timeline--csv" timeline --format csv "$img"
    run_case "$id--timeline--json" timeline --format json "$img"
    run_case "$id--hash" hash "$img"
    run_case "$id--hash--json" hash --format json "$img"
    run_case "$id--hash--md5sum" hash --format md5sum "$img"
    run_case "$id--hash--hashset" hash --format json --hashset "$G_WORK/hs/bad.idx" --hashset "$G_WORK/hs/good.idx" "$img"
}

job_recover() {
    local id=$1 img=$2 out=$G_WORK/o/$1
    run_case "$id--recover--all" recover --all "$img" --out "$out--recover--all"
    manifest_and_files "$id--recover--all" "$out--recover--all"
    run_case "$id--recover" recover "$img" --out "$out--recover"
    manifest_and_files "$id--recover" "$out--recover"
    rm -rf "$out--recover--all" "$out--recover"
}

job_carve() {
    local id=$1 img=$2 out=$G_WORK/o/$1 variant
    run_case "$id--carve" carve "$img" --out "$out--carve"
    manifest_and_files "$id--carve" "$out--carve"
    rm -rf "$out--carve"
    # The whole space on the carving fixtures and on the corpus images with carving ground truth.
    if [[ $id =~ ^(carve-|corpus--(dftt08|compressed-dftt09|be-nps)) ]]; then
        run_case "$id--carve--all-space" carve --all-space "$img" --out "$out--carve--all-space"
        manifest_and_files "$id--carve--all-space" "$out--carve--all-space"
        rm -rf "$out--carve--all-space"
    fi
    if [[ $id == carve-* ]]; then  # the carving fixtures: every option
        for variant in every-byte slack types-jpg-png; do
            local args=(--"$variant")
            [[ $variant == types-jpg-png ]] && args=(--types jpg,png)
            run_case "$id--carve--$variant" carve "${args[@]}" "$img" --out "$out--carve--$variant"
            manifest_and_files "$id--carve--$variant" "$out--carve--$variant"
            rm -rf "$out--carve--$variant"
        done
    fi
}

job_scan() {
    local id=$1 img=$2 case=$G_WORK/o/$1--scan
    run_case "$id--scan" scan "$img" --case "$case"
    run_case "$id--scan--report" report "$case"
    run_case "$id--scan--report--json" report --json "$case"
    run_case "$id--scan--ls-case--json" ls --case "$case" --json
    sort_case_listing "$G_OUT/$id--scan--ls-case--json"
    run_case "$id--scan--timeline-case--csv" timeline --case "$case" --format csv
    sort_case_timeline_ties "$G_OUT/$id--scan--timeline-case--csv"
    run_case "$id--scan--again" scan "$img" --case "$case"
    scan_sections "$id--scan" "$case"
    rm -rf "$case"
}

job_scan_hits() {
    local id=$1 img=$2 case=$G_WORK/o/$1--scan-hits
    run_case "$id--scan-hits" scan "$img" --case "$case" --export hits \
        --hashset "$G_WORK/hs/bad.idx" --hashset "$G_WORK/hs/good.idx"
    run_case "$id--scan-hits--report" report "$case"
    scan_sections "$id--scan-hits" "$case"
    rm -rf "$case"
}

job_scan_all() {
    local id=$1 img=$2 case=$G_WORK/o/$1--scan-all
    run_case "$id--scan-all" scan "$img" --case "$case" --export all
    scan_sections "$id--scan-all" "$case"
    rm -rf "$case"
}

# Options, windows and error cases, on the fixtures only.
job_misc() {
    local fx=$G_WORK/fx o=$G_WORK/o/misc cmd
    mkdir -p "$o"
    run_case misc--version --version
    run_case misc--help --help
    for cmd in info verify ls timeline hash recover carve scan report hashset; do
        run_case "misc--help-$cmd" help "$cmd"
    done
    run_case misc--help-hashset-import hashset import --help
    run_case misc--help-hashset-info hashset info --help
    # Usage errors (64).
    run_case misc--usage-no-subcommand-argument ls
    run_case misc--usage-unknown-command bogus "$fx/ntfs.raw"
    run_case misc--usage-ls-deleted-allocated ls --deleted --allocated "$fx/ntfs.raw"
    run_case misc--usage-timeline-bad-date timeline --from someday "$fx/ntfs.raw"
    run_case misc--usage-timeline-bad-format timeline --format xml "$fx/ntfs.raw"
    run_case misc--usage-timeline-case-bodyfile timeline --case "$o/nowhere" --format bodyfile
    run_case misc--usage-hash-bad-format hash --format sha512 "$fx/ntfs.raw"
    run_case misc--usage-recover-conflict recover --all --deleted-only "$fx/ntfs.raw" --out "$o/conflict"
    run_case misc--usage-recover-no-out recover "$fx/ntfs.raw"
    run_case misc--usage-scan-no-case scan "$fx/ntfs.raw"
    run_case misc--usage-scan-bad-export scan "$fx/ntfs.raw" --case "$o/bad-export" --export some
    run_case misc--usage-carve-no-type carve --types nosuchtype "$fx/carve-raw.raw" --out "$o/no-type"
    mkdir -p "$o/rules"
    printf -- '- name: broken\n  extensions: [brk]\n  header: [unclosed\n' >"$o/rules/broken.yaml"
    run_case misc--usage-carve-bad-rules carve --rules "$o/rules" "$fx/carve-raw.raw" --out "$o/bad-rules"
    run_case misc--usage-bad-timezone timeline --fs-timezone Nowhere/City "$fx/fat16.raw"
    run_case misc--usage-offset-not-a-number ls --offset abc "$fx/mbr.raw"
    # Missing files (66) and missing cases/indexes.
    for cmd in info verify ls timeline hash; do
        run_case "misc--missing-image-$cmd" "$cmd" "$o/missing/case42.E01"
    done
    run_case misc--missing-image-recover recover "$o/missing/case42.E01" --out "$o/missing-recover"
    run_case misc--missing-image-carve carve "$o/missing/case42.E01" --out "$o/missing-carve"
    run_case misc--missing-image-scan scan "$o/missing/case42.E01" --case "$o/missing-scan"
    run_case misc--missing-case-report report "$o/missing/case"
    run_case misc--missing-case-ls ls --case "$o/missing/case"
    run_case misc--missing-case-timeline timeline --case "$o/missing/case" --format csv
    run_case misc--missing-hashset-index hash --hashset "$o/missing/set.idx" "$fx/ntfs.raw"
    run_case misc--missing-hashset-source hashset import "$o/missing/set.md5" --out "$o/missing-set.idx"
    run_case misc--missing-hashset-info hashset info "$o/missing/set.idx"
    # Output folders that are refused (74), and --force.
    mkdir -p "$o/nonempty" && echo "already here" >"$o/nonempty/note.txt"
    run_case misc--recover-nonempty recover --all "$fx/ntfs.raw" --out "$o/nonempty"
    tree "$o/nonempty" | section misc--recover-nonempty files
    run_case misc--carve-nonempty carve "$fx/carve-raw.raw" --out "$o/nonempty"
    run_case misc--recover-nonempty-force recover --all --force "$fx/ntfs.raw" --out "$o/nonempty"
    manifest_and_files misc--recover-nonempty-force "$o/nonempty"
    mkdir -p "$G_WORK/ev" && cp "$fx/ntfs.raw" "$G_WORK/ev/ntfs.raw"
    run_case misc--recover-into-evidence-folder recover "$G_WORK/ev/ntfs.raw" --out "$G_WORK/ev/out"
    tree "$G_WORK/ev" | section misc--recover-into-evidence-folder "evidence folder"
    # --offset.
    run_case mbr.raw--ls--offset-8192 ls --offset 8192 "$fx/mbr.raw"
    run_case mbr.raw--ls--json--offset-2048 ls --json -o 2048 "$fx/mbr.raw"
    run_case mbr.raw--ls--offset-7 ls --offset 7 "$fx/mbr.raw"
    run_case mbr.raw--timeline--offset-2048 timeline --offset 2048 "$fx/mbr.raw"
    run_case gpt.raw--timeline--csv--offset-8192 timeline --format csv --offset 8192 "$fx/gpt.raw"
    run_case gpt.raw--hash--offset-8192 hash --offset 8192 "$fx/gpt.raw"
    run_case mbr.E01--recover--all--offset-8192 recover --all --offset 8192 "$fx/mbr.E01" --out "$o/offset-recover"
    manifest_and_files mbr.E01--recover--all--offset-8192 "$o/offset-recover"
    # Time windows and the seized machine's time zone.
    run_case ntfs.raw--timeline--from-to timeline --from 2024-01-02T03:04 --to 2024-01-02 "$fx/ntfs.raw"
    run_case ext4.raw--timeline--csv--from timeline --format csv --from 2024-01-02T03:04:05 "$fx/ext4.raw"
    run_case fat16.raw--timeline--json--to-epoch timeline --format json --to 1704164645 "$fx/fat16.raw"
    run_case fat16.raw--timeline--csv--empty-window timeline --format csv --from 1999-01-01 --to 1999-12-31 "$fx/fat16.raw"
    run_case fat16.raw--timeline--csv--tz-new-york timeline --format csv --fs-timezone America/New_York "$fx/fat16.raw"
    run_case fat16.raw--ls--json--tz-tokyo ls --json --fs-timezone Asia/Tokyo "$fx/fat16.raw"
    # verify against given digests.
    run_case fat16.raw--verify--md5-right verify --md5 "$(md5sum <"$fx/fat16.raw" | cut -c1-32)" "$fx/fat16.raw"
    run_case fat16.raw--verify--md5-wrong verify --md5 00000000000000000000000000000000 "$fx/fat16.raw"
    run_case fat16.raw--verify--json--sha1-wrong verify --json --sha1 0000000000000000000000000000000000000000 "$fx/fat16.raw"
    run_case mbr.E01--verify--md5-wrong verify --md5 00000000000000000000000000000000 "$fx/mbr.E01"
    # hash and recover options.
    run_case ntfs.raw--hash--deleted-only hash --deleted-only "$fx/ntfs.raw"
    run_case ntfs.raw--hash--json--no-identify hash --format json --no-identify "$fx/ntfs.raw"
    run_case carve-fat.raw--hash--json--hashset-good-override hash --format json --hashset "$G_WORK/hs/bad.idx:good" "$fx/carve-fat.raw"
    run_case ext4.raw--recover--allocated-only recover --allocated-only "$fx/ext4.raw" --out "$o/allocated-only"
    manifest_and_files ext4.raw--recover--allocated-only "$o/allocated-only"
    run_case carve-fat.raw--recover--all--media-only recover --all --media-only "$fx/carve-fat.raw" --out "$o/media-only"
    manifest_and_files carve-fat.raw--recover--all--media-only "$o/media-only"
    run_case mbr.E01--recover--all--hashset recover --all --hashset "$G_WORK/hs/bad.idx" "$fx/mbr.E01" --out "$o/recover-hashset"
    manifest_and_files mbr.E01--recover--all--hashset "$o/recover-hashset"
    run_case carve-fat.raw--carve--hashset carve --hashset "$G_WORK/hs/good.idx" "$fx/carve-fat.raw" --out "$o/carve-hashset"
    manifest_and_files carve-fat.raw--carve--hashset "$o/carve-hashset"
    # scan options, a case with two images, a rescan, case listing filters.
    local case=$o/two-images
    run_case misc--scan-two-images scan "$fx/mbr.E01" "$fx/ntfs.raw" --case "$case" --no-carve
    run_case misc--scan-two-images--report report "$case"
    run_case misc--scan-two-images--report--json report --json "$case"
    run_case misc--scan-two-images--ls-case--deleted ls --case "$case" --source deleted
    sort_case_listing "$G_OUT/misc--scan-two-images--ls-case--deleted"
    run_case misc--scan-two-images--ls-case--mismatch--json ls --case "$case" --mismatch --json
    sort_case_listing "$G_OUT/misc--scan-two-images--ls-case--mismatch--json"
    run_case misc--scan-two-images--ls-case ls --case "$case"
    sort_case_listing "$G_OUT/misc--scan-two-images--ls-case"
    run_case misc--scan-two-images--timeline-case--csv--from timeline --case "$case" --format csv --from 2024-01-01
    sort_case_timeline_ties "$G_OUT/misc--scan-two-images--timeline-case--csv--from"
    run_case misc--scan-two-images--timeline-case--json timeline --case "$case" --format json
    sort_case_timeline_ties "$G_OUT/misc--scan-two-images--timeline-case--json"
    run_case misc--scan-two-images--rescan scan "$fx/ntfs.raw" --case "$case" --rescan --no-carve
    scan_sections misc--scan-two-images "$case"
    case=$o/carve-options
    run_case carve-ext4.raw--scan--slack-types scan "$fx/carve-ext4.raw" --case "$case" --slack --types jpg,pdf,zip --export media
    run_case carve-ext4.raw--scan--slack-types--ls-case--json ls --case "$case" --json
    sort_case_listing "$G_OUT/carve-ext4.raw--scan--slack-types--ls-case--json"
    scan_sections carve-ext4.raw--scan--slack-types "$case"
    case=$o/all-space
    run_case carve-fat.raw--scan--all-space scan "$fx/carve-fat.raw" --case "$case" --all-space
    scan_sections carve-fat.raw--scan--all-space "$case"
    rm -rf "$o"
}

# The hash-set indexes every job uses are made here, as cases too.
job_hashsets() {
    local hs=$G_WORK/hs
    mkdir -p "$hs"
    cp "$HERE/hashsets/golden-bad.md5" "$HERE/hashsets/golden-good.sha256" "$hs/"
    run_case misc--hashset-import-bad hashset import "$hs/golden-bad.md5" --out "$hs/bad.idx"
    run_case misc--hashset-import-good hashset import "$hs/golden-good.sha256" --out "$hs/good.idx" --known-good --name golden-good
    local name
    for name in bad good; do
        # The index holds its creation time at bytes 24–31 and the header's checksum, which
        # covers it, at bytes 136–143 (IndexLayout.createdAt, .checksumAt): both zeroed here.
        perl -0777 -ne 'substr($_, 24, 8) = "\0" x 8; substr($_, 136, 8) = "\0" x 8; print' "$hs/$name.idx" |
            sha256sum | cut -c1-64 | section "misc--hashset-import-$name" "index sha256 (creation time and header checksum zeroed)"
        run_case "misc--hashset-info-$name" hashset info "$hs/$name.idx"
        run_case "misc--hashset-info-$name--json--verify" hashset info --json --verify "$hs/$name.idx"
    done
}

job() {
    local kind=$1; shift
    case $kind in
        basic) job_basic "$@" ;;
        recover) job_recover "$@" ;;
        carve) job_carve "$@" ;;
        scan) job_scan "$@" ;;
        scan-hits) job_scan_hits "$@" ;;
        scan-all) job_scan_all "$@" ;;
        misc) job_misc ;;  # (its two other arguments are "-")
        *) echo "snapshot.sh: unknown job $kind" >&2; exit 70 ;;
    esac
}

if [[ ${1:-} == --job ]]; then
    shift
    job "$@"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# Main: unpack the images, make the hash sets, run the jobs.

usage() { echo "usage: snapshot.sh [--corpus DIR | --no-corpus] [--jobs N] [--only REGEX] [--keep] BINARY OUTDIR" >&2; exit 64; }
corpus=${EXHUME_CORPUS:-}
[[ -n $corpus ]] || { [[ -f $REPO/../shared/corpus/MANIFEST.md ]] && corpus=$REPO/../shared/corpus; } || true
jobs=2 keep=0 only=
while [[ $# -gt 0 ]]; do
    case $1 in
        --corpus) corpus=$2; shift 2 ;;
        --no-corpus) corpus=; shift ;;
        --jobs) jobs=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --only) only=$2; shift 2 ;;
        -*) usage ;;
        *) break ;;
    esac
done
[[ $# -eq 2 ]] || usage
[[ -x $1 ]] || { echo "snapshot.sh: $1 is not an executable" >&2; exit 66; }
for tool in sqlite3 perl sha256sum gunzip; do
    command -v "$tool" >/dev/null || { echo "snapshot.sh: $tool is needed (apt-get install sqlite3)" >&2; exit 69; }
done
export G_BIN G_OUT G_WORK G_CORPUS
G_BIN=$(realpath "$1")
mkdir -p "$2"
G_OUT=$(realpath "$2")
[[ -z $(ls -A "$G_OUT") ]] || { echo "snapshot.sh: $G_OUT is not empty" >&2; exit 73; }
if [[ -n $corpus ]]; then
    [[ -f $corpus/SHA256SUMS ]] || { echo "snapshot.sh: no corpus at $corpus (SHA256SUMS missing)" >&2; exit 66; }
    G_CORPUS=$(realpath "$corpus")
else
    G_CORPUS=
    echo "snapshot.sh: no corpus: fixture cases only" >&2
fi
G_WORK=$(realpath "$(mktemp -d "${TMPDIR:-/tmp}/exhume-golden.XXXXXXXX")")
if [[ $keep == 1 ]]; then echo "snapshot.sh: work folder $G_WORK kept" >&2
else trap 'rm -rf "$G_WORK"' EXIT; fi
trap 'exit 143' TERM INT
mkdir -p "$G_WORK/fx" "$G_WORK/cz" "$G_WORK/o" "$G_WORK/t"

# Fixtures: the .gz unpacked, the others copied, and bad/missing-segment built from the
# multi-segment set without multi.E02 (as ExhumeTestSupport/Fixtures.swift does).
# Fixtures/cases/ holds case databases, not images (CaseMigrationTests).
(cd "$REPO/Fixtures" && find . -path ./cases -prune -o -type f ! -name '*.md' ! -name '*.sh' ! -name '*.json' -printf '%P\n') |
    while IFS= read -r f; do
        mkdir -p "$(dirname "$G_WORK/fx/$f")"
        if [[ $f == *.gz ]]; then gunzip -c "$REPO/Fixtures/$f" >"$G_WORK/fx/${f%.gz}"
        else cp "$REPO/Fixtures/$f" "$G_WORK/fx/$f"; fi
    done
mkdir -p "$G_WORK/fx/bad/missing-segment"
for s in E01 E03 E04 E05; do cp "$G_WORK/fx/multi.$s" "$G_WORK/fx/bad/missing-segment/multi.$s"; done

# The images: every first segment (later segments are found by exhume). Case ids: the path
# below Fixtures/ (or corpus/, prefixed corpus--) with / as -, without .gz.
images=()  # "id<TAB>path"
while IFS= read -r f; do
    [[ $f =~ \.(E0[2-9]|00[2-9])$ ]] && continue
    images+=("${f//\//-}"$'\t'"$G_WORK/fx/$f")
done < <(cd "$G_WORK/fx" && find . -type f -printf '%P\n' | LC_ALL=C sort)
if [[ -n $G_CORPUS ]]; then
    while IFS= read -r f; do
        [[ $f =~ \.(E0[2-9]|00[1-9])$ ]] && continue  # splitraw.000 and E01 open the rest
        if [[ $f == *.gz ]]; then
            gunzip -c "$G_CORPUS/$f" >"$G_WORK/cz/$(basename "${f%.gz}")"
            path=$G_WORK/cz/$(basename "${f%.gz}")
        else
            path=$G_CORPUS/$f
        fi
        id=${f%.gz}
        images+=("corpus--${id//\//-}"$'\t'"$path")
    done < <(awk '{ sub(/^\*/, "", $2); print $2 }' "$G_CORPUS/SHA256SUMS" | LC_ALL=C sort)
fi

job_hashsets

# One job per image and command family, the largest images first so that the queues end
# together; xargs stops with a non-zero status if a job fails.
started=$(date +%s)
{
    [[ ! misc =~ $only ]] || printf '%s\0' misc - -
    for entry in "${images[@]}"; do
        id=${entry%%$'\t'*} path=${entry#*$'\t'}
        [[ $id =~ $only ]] || continue
        size=$(stat -L -c %s "$path")
        for kind in scan scan-hits scan-all basic recover carve; do
            printf '%s\t%s\t%s\t%s\n' "$size" "$kind" "$id" "$path"
        done
    done | LC_ALL=C sort -t $'\t' -k1,1nr -k3,3 -k2,2 | cut -f2- | tr '\t\n' '\0\0'
} | xargs -0 -n 3 -P "$jobs" bash "$SELF" --job
count=$(find "$G_OUT" -type f | wc -l)
echo "snapshot.sh: $count cases in $(( $(date +%s) - started )) s (${#images[@]} images, $jobs jobs)" >&2
