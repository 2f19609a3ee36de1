#!/usr/bin/env bash
# Regenerates every test image of Exhume's Fixtures folder from scratch, plus
# manifest.json (ground truth, partly filled in from Sleuth Kit / libewf oracles).
#
#   bash Fixtures/make-fixtures.sh
#
# Debian packages needed: dosfstools mtools e2fsprogs ntfs-3g gdisk fdisk
# sleuthkit ewf-tools python3 coreutils (optional: faketime, for frozen clocks).
# Must run as root (ntfs-3g FUSE mount).  No network access is used.
set -euo pipefail

export TZ=UTC
export LC_ALL=C.UTF-8 LANG=C.UTF-8
export MTOOLS_SKIP_CHECK=1
export MTOOLS_NO_VFAT=0
# fixed clock for e2fsprogs (superblock times etc.)
FIXED_EPOCH=1704164645                    # 2024-01-02 03:04:05 UTC
FIXED_DATE="2024-01-02 03:04:05"
export E2FSPROGS_FAKE_TIME=$FIXED_EPOCH

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d /tmp/exhume-fixtures.XXXXXX)"
MNT="$WORK/mnt"
mkdir -p "$MNT"
cleanup() {
    mountpoint -q "$MNT" 2>/dev/null && umount "$MNT" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Run a command with a frozen clock if faketime is installed (determinism only).
ft() {
    if command -v faketime >/dev/null 2>&1; then
        # NO_FAKE_STAT: keep real st_mtime of the source files (mcopy -m, mke2fs -d read them)
        NO_FAKE_STAT=1 faketime "$FIXED_DATE" "$@"
    else
        "$@"
    fi
}

for tool in mkfs.fat mcopy mmd mdel mdeltree mke2fs debugfs mkntfs ntfs-3g ntfslabel \
            sfdisk sgdisk ewfacquire ewfverify ewfinfo mmls fsstat fls python3; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

# ---------------------------------------------------------------- clean old output
cd "$OUT"
rm -f ./*.raw ./*.E0[0-9] ./split.[0-9][0-9][0-9] ./*.gz manifest.json
rm -rf ./bad
mkdir -p bad

FILES_TSV="$WORK/files.tsv"   # image \t fs_offset_sectors \t path \t source_file \t deleted
: > "$FILES_TSV"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$FILES_TSV"; }

# Deterministic pseudo-random bytes: rnd SEED SIZE > file
rnd() { python3 -c 'import random,sys; r=random.Random(sys.argv[1]); sys.stdout.buffer.write(r.randbytes(int(sys.argv[2])))' "$1" "$2"; }

# Text file with known content and fixed mtime: txt FILE CONTENT
txt() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" > "$1"; touch -d "$FIXED_DATE" "$1"; }

# ======================================================================= FAT
# build_fat IMAGE OFFSET_SECTORS FATBITS SIZE_KIB LABEL VOLID TAG
# Builds a FAT file system into IMAGE (a plain file) with files + deleted files.
build_fat() {
    local img=$1 off=$2 bits=$3 kib=$4 label=$5 volid=$6 tag=$7 rec=$8
    local src="$WORK/src-$tag"
    rm -rf "$src" "$img"; mkdir -p "$src"
    mkfs.fat -C --invariant -F "$bits" -s 1 -S 512 -i "$volid" -n "$label" -h "$off" "$img" "$kib" >/dev/null
    local m="-i $img"

    txt "$src/README.TXT"                               "Hello from $tag. Marker: EXHUME-$tag-README"
    txt "$src/A rather long file name with spaces.txt"  "long file name content ($tag)"
    txt "$src/café-ñandú.txt"                           "non-ascii latin name ($tag)"
    txt "$src/日本語.txt"                                "non-ascii CJK name ($tag)"
    txt "$src/docs/report.txt"                          "quarterly report ($tag)"
    txt "$src/docs/2023/summary.txt"                    "summary 2023 ($tag)"
    txt "$src/docs/2023/q1/notes.txt"                   "deepest level notes ($tag)"
    rnd "fat-big-$tag" 20000 > "$src/docs/big.bin"; touch -d "$FIXED_DATE" "$src/docs/big.bin"
    # to be deleted
    txt "$src/deleted-root.txt"                         "deleted in root ($tag)"
    txt "$src/Deleted long name file.txt"               "deleted long name ($tag)"
    txt "$src/docs/deleted-in-subdir.txt"               "deleted in docs ($tag)"
    txt "$src/docs/2023/q1/deep-deleted.txt"            "deleted three levels down ($tag)"
    txt "$src/olddir/inside.txt"                        "file inside deleted dir ($tag)"
    txt "$src/olddir/second.txt"                        "second file inside deleted dir ($tag)"

    ft mmd $m ::/docs ::/docs/2023 ::/docs/2023/q1 ::/olddir
    local f
    for f in "README.TXT" "A rather long file name with spaces.txt" "café-ñandú.txt" "日本語.txt" \
             "docs/report.txt" "docs/2023/summary.txt" "docs/2023/q1/notes.txt" "docs/big.bin" \
             "deleted-root.txt" "Deleted long name file.txt" "docs/deleted-in-subdir.txt" \
             "docs/2023/q1/deep-deleted.txt" "olddir/inside.txt" "olddir/second.txt"; do
        ft mcopy -m $m "$src/$f" "::/$f"
    done
    ft mdel $m "::/deleted-root.txt" "::/Deleted long name file.txt" "::/docs/deleted-in-subdir.txt" \
               "::/docs/2023/q1/deep-deleted.txt"
    ft mdeltree $m "::/olddir"

    for f in "README.TXT" "A rather long file name with spaces.txt" "café-ñandú.txt" "日本語.txt" \
             "docs/report.txt" "docs/2023/summary.txt" "docs/2023/q1/notes.txt" "docs/big.bin"; do
        record "$rec" "$off" "$f" "$src/$f" false
    done
    for f in "deleted-root.txt" "Deleted long name file.txt" "docs/deleted-in-subdir.txt" \
             "docs/2023/q1/deep-deleted.txt" "olddir/inside.txt" "olddir/second.txt"; do
        record "$rec" "$off" "$f" "$src/$f" true
    done
    record "$rec" "$off" "olddir/" "-" true
}

# ======================================================================= ext4
# build_ext4 IMAGE SIZE_KIB LABEL UUID TAG OFFSET_SECTORS RECORD_IMAGE
build_ext4() {
    local img=$1 kib=$2 label=$3 uuid=$4 tag=$5 off=$6 rec=$7
    local src="$WORK/src-$tag"
    rm -rf "$src" "$img"; mkdir -p "$src"
    txt "$src/hello.txt"                                "Hello from $tag. Marker: EXHUME-$tag-HELLO"
    txt "$src/A rather long file name with spaces and more than sixty-four characters in it.txt" "long name ($tag)"
    txt "$src/café-ñandú.txt"                           "non-ascii latin ($tag)"
    txt "$src/日本語のファイル.txt"                        "non-ascii CJK ($tag)"
    txt "$src/dir1/file1.txt"                           "dir1/file1 ($tag)"
    txt "$src/dir1/dir2/file2.txt"                      "dir1/dir2/file2 ($tag)"
    txt "$src/dir1/dir2/dir3/file3.txt"                 "dir1/dir2/dir3/file3 ($tag)"
    rnd "ext4-big-$tag" 300000 > "$src/dir1/big.bin"; touch -d "$FIXED_DATE" "$src/dir1/big.bin"
    ln -s dir1/dir2/file2.txt "$src/link-to-file2"
    touch -h -d "$FIXED_DATE" "$src/link-to-file2"
    # to be deleted
    txt "$src/deleted.txt"                              "deleted in root ($tag)"
    txt "$src/dir1/deleted-in-subdir.txt"               "deleted in dir1 ($tag)"
    txt "$src/dir1/dir2/dir3/deep-deleted.txt"          "deleted three levels down ($tag)"
    txt "$src/olddir/inside.txt"                        "file inside deleted dir ($tag)"
    find "$src" -type d -exec touch -d "$FIXED_DATE" {} +

    ft mke2fs -q -F -t ext4 -b 1024 -J size=1 -N 128 -L "$label" -U "$uuid" \
        -E hash_seed="$uuid",root_owner=0:0,lazy_itable_init=0 -d "$src" "$img" "$kib"
    # mke2fs -d copies the (real, unfakeable) ctime of the source files: pin it
    local n ino
    n=$(find "$src" -mindepth 1 | wc -l)
    for ino in 2 $(seq 11 $((11 + n))); do
        printf 'sif <%d> ctime 20240102030405\nsif <%d> ctime_extra 0\n' "$ino" "$ino"
    done | ft debugfs -w -f - "$img" >/dev/null 2>&1
    ft debugfs -w -f - "$img" >/dev/null 2>&1 <<EOF
rm /deleted.txt
rm /dir1/deleted-in-subdir.txt
rm /dir1/dir2/dir3/deep-deleted.txt
rm /olddir/inside.txt
rmdir /olddir
EOF
    local f
    for f in "hello.txt" "A rather long file name with spaces and more than sixty-four characters in it.txt" \
             "café-ñandú.txt" "日本語のファイル.txt" "dir1/file1.txt" "dir1/dir2/file2.txt" \
             "dir1/dir2/dir3/file3.txt" "dir1/big.bin"; do
        record "$rec" "$off" "$f" "$src/$f" false
    done
    record "$rec" "$off" "link-to-file2" "symlink:dir1/dir2/file2.txt" false
    for f in "deleted.txt" "dir1/deleted-in-subdir.txt" "dir1/dir2/dir3/deep-deleted.txt" "olddir/inside.txt"; do
        record "$rec" "$off" "$f" "$src/$f" true
    done
    record "$rec" "$off" "olddir/" "-" true
}

# ======================================================================= NTFS
# build_ntfs IMAGE SIZE_KIB LABEL SERIAL TAG OFFSET_SECTORS RECORD_IMAGE
build_ntfs() {
    local img=$1 kib=$2 label=$3 serial=$4 tag=$5 off=$6 rec=$7
    local src="$WORK/src-$tag"
    rm -rf "$src" "$img"; mkdir -p "$src"
    truncate -s "${kib}K" "$img"
    ft mkntfs -F -f -q -s 512 -c 4096 -p "$off" -H 255 -S 63 -L "$label" "$img" >/dev/null 2>&1
    ntfslabel --new-serial="$serial" "$img" "$label" >/dev/null 2>&1 || true

    txt "$src/hello.txt"                                "Hello from $tag. Marker: EXHUME-$tag-HELLO"
    txt "$src/A rather long file name with spaces.txt"  "long name ($tag)"
    txt "$src/café-ñandú.txt"                           "non-ascii latin ($tag)"
    txt "$src/日本語.txt"                                "non-ascii CJK ($tag)"
    txt "$src/dir1/file1.txt"                           "dir1/file1 ($tag)"
    txt "$src/dir1/dir2/file2.txt"                      "dir1/dir2/file2 ($tag)"
    txt "$src/dir1/dir2/dir3/file3.txt"                 "dir1/dir2/dir3/file3 ($tag)"
    rnd "ntfs-big-$tag" 200000 > "$src/dir1/big.bin"; touch -d "$FIXED_DATE" "$src/dir1/big.bin"
    txt "$src/ads-host.txt"                             "main stream of ads-host ($tag)"
    txt "$src/ads-host.txt:secret"                      "hidden in ADS secret ($tag)"
    txt "$src/dir1/report.doc"                          "main stream of report.doc ($tag)"
    txt "$src/dir1/report.doc:Zone.Identifier"          $'[ZoneTransfer]\r\nZoneId=3'
    txt "$src/dir1/report.doc:second"                   "another ADS ($tag)"
    txt "$src/small-resident.txt"                       "tiny"
    # to be deleted
    txt "$src/deleted.txt"                              "deleted in root ($tag)"
    txt "$src/dir1/deleted-in-subdir.txt"               "deleted in dir1 ($tag)"
    rnd "ntfs-delbig-$tag" 40000 > "$src/dir1/deleted-big.bin"; touch -d "$FIXED_DATE" "$src/dir1/deleted-big.bin"
    txt "$src/olddir/inside.txt"                        "file inside deleted dir ($tag)"

    # no_detach + background: under faketime a daemonising ntfs-3g never returns
    ft ntfs-3g -o streams_interface=windows,no_detach "$img" "$MNT" >/dev/null 2>&1 &
    local ntfs_pid=$! i
    for i in $(seq 100); do mountpoint -q "$MNT" && break; sleep 0.1; done
    mountpoint -q "$MNT" || { echo "ntfs-3g mount of $img failed" >&2; exit 1; }
    local f
    mkdir -p "$MNT/dir1/dir2/dir3" "$MNT/olddir"
    for f in "hello.txt" "A rather long file name with spaces.txt" "café-ñandú.txt" "日本語.txt" \
             "dir1/file1.txt" "dir1/dir2/file2.txt" "dir1/dir2/dir3/file3.txt" "dir1/big.bin" \
             "ads-host.txt" "ads-host.txt:secret" "dir1/report.doc" "dir1/report.doc:Zone.Identifier" \
             "dir1/report.doc:second" "small-resident.txt" \
             "deleted.txt" "dir1/deleted-in-subdir.txt" "dir1/deleted-big.bin" "olddir/inside.txt"; do
        cat "$src/$f" > "$MNT/$f"
    done
    sync
    rm "$MNT/deleted.txt" "$MNT/dir1/deleted-in-subdir.txt" "$MNT/dir1/deleted-big.bin" "$MNT/olddir/inside.txt"
    rmdir "$MNT/olddir"
    # fixed timestamps where FUSE allows (mtime/atime)
    find "$MNT" -mindepth 1 -exec touch -h -d "$FIXED_DATE" {} + 2>/dev/null || true
    sync
    umount "$MNT"
    wait "$ntfs_pid" || true

    for f in "hello.txt" "A rather long file name with spaces.txt" "café-ñandú.txt" "日本語.txt" \
             "dir1/file1.txt" "dir1/dir2/file2.txt" "dir1/dir2/dir3/file3.txt" "dir1/big.bin" \
             "ads-host.txt" "ads-host.txt:secret" "dir1/report.doc" "dir1/report.doc:Zone.Identifier" \
             "dir1/report.doc:second" "small-resident.txt"; do
        record "$rec" "$off" "$f" "$src/$f" false
    done
    for f in "deleted.txt" "dir1/deleted-in-subdir.txt" "dir1/deleted-big.bin" "olddir/inside.txt"; do
        record "$rec" "$off" "$f" "$src/$f" true
    done
    record "$rec" "$off" "olddir/" "-" true
}

echo "== bare file systems"
build_fat  "$OUT/fat16.raw" 0 16 3072 "EXHUMEFAT16" 1234ABCD fat16 fat16.raw
build_ext4 "$OUT/ext4.raw" 4096 "exhume-ext4" 0b5e55ed-0000-4000-8000-000000000001 ext4 0 ext4.raw
build_ntfs "$OUT/ntfs.raw" 4096 "ExhumeNTFS" 0123456789ABCDEF ntfs 0 ntfs.raw

# ======================================================================= hostile names
# hostile.raw: 2.5 MiB ext4 (the smallest that holds mke2fs's minimum 1 MiB journal) whose
# names are dangerous as output paths. Directory blocks are linear and unchecksummed
# (^dir_index, ^metadata_csum), so after mke2fs -d writes same-length placeholder names,
# hostile.py overwrites the name bytes in place (name_len unchanged). See Fixtures/README.md.
echo "== hostile.raw"
cat > "$WORK/hostile.py" <<'HOSTILEPY'
# Hostile-names fixture helper for make-fixtures.sh.
#   python3 hostile.py tree SRC            writes the source tree (placeholder names) for mke2fs -d
#   python3 hostile.py patch IMAGE JSON    overwrites placeholder names in the image's directory
#                                          entries with the hostile bytes; writes the spec + inodes
import hashlib, json, os, struct, sys

# (parent, final name bytes, placeholder or None, content or symlink target, kind, deleted)
# A placeholder has the final name's length, so name_len and rec_len stay valid.
SPEC = [
    ("", b"readme.txt", None, b"Hostile-names fixture: the other names here are dangerous as output paths.\n", "file", False),
    ("", b"../../etc/passwd", b"AAAAAAAAAAAAAAAA", b"not /etc/passwd: a regular file whose name is ../../etc/passwd\n", "file", False),
    ("", b"ctl\x01\x1b[31mred.txt", b"ctlQQQQQQred.txt", b"name with SOH and an ANSI colour escape\n", "file", False),
    ("", b"\xff\xfe.txt", b"ZZ.txt", b"name with invalid UTF-8 bytes ff fe\n", "file", False),
    ("", b"L" * 251 + b".txt", None, b"255-byte ASCII name (ext4 maximum)\n", "file", False),
    ("", "%é".encode() * 85, None, b"255-byte name of '%' and U+00E9: longer than 255 bytes once '%' is escaped\n", "file", False),
    ("", b"same.txt", None, b"first of two entries named same.txt\n", "file", False),
    ("", b"same.txt", b"samX.txt", b"second of two entries named same.txt (same directory)\n", "file", False),
    ("", b"same~2.txt", None, b"a real name that equals the first collision suffix\n", "file", False),
    ("", b"pair\x01.txt", b"pairP.txt", b"pair with 0x01: fls shows pair^.txt\n", "file", False),
    ("", b"pair\x02.txt", b"pairQ.txt", b"pair with 0x02: fls also shows pair^.txt\n", "file", False),
    ("", b"link-out", None, b"../../../../etc/passwd", "symlink", False),
    ("sub", b"normal.txt", None, b"an ordinary file in sub\n", "file", False),
    ("sub", b"..", b"zz", b"a regular file named .. inside sub\n", "file", False),
    ("sub", b"../../evil\x07.txt", b"EEEEEEEEEEEEEEE", b"deleted file named ../../evil<BEL>.txt\n", "file", True),
]
FTYPE = {"file": 1, "dir": 2, "symlink": 7}

def placeholder(e):
    return e[2] if e[2] is not None else e[1]

def tree(src):
    for parent, name, ph, content, kind, deleted in SPEC:
        d = os.path.join(os.fsencode(src), parent.encode()) if parent else os.fsencode(src)
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, placeholder((parent, name, ph)))
        if kind == "symlink":
            os.symlink(content, p)
        else:
            with open(p, "wb") as f:
                f.write(content)

def patch(img, out_json):
    data = bytearray(open(img, "rb").read())
    found = []
    for parent, name, ph, content, kind, deleted in SPEC:
        old = ph if ph is not None else name
        needle = bytes([len(old), FTYPE[kind]]) + old
        hits, i = [], data.find(needle)
        while i >= 0:
            hits.append(i)
            i = data.find(needle, i + 1)
        # the unpatched "same.txt" is found once *before* its twin is patched
        assert len(hits) == 1, f"{old!r}: {len(hits)} directory entries found"
        found.append(hits[0])
    entries = []
    for (parent, name, ph, content, kind, deleted), pos in zip(SPEC, found):
        inode, = struct.unpack_from("<I", data, pos - 6)
        if ph is not None:
            assert len(ph) == len(name)
            data[pos + 2: pos + 2 + len(name)] = name
        path = (parent.encode() + b"/" if parent else b"") + name
        e = {"path": path.decode("utf-8", "backslashreplace"), "path_hex": path.hex(), "name_hex": name.hex(),
             "placeholder": ph.decode() if ph else None, "inode": inode, "deleted": deleted, "type": kind,
             "size": len(content), "md5": hashlib.md5(content).hexdigest(),
             "sha1": hashlib.sha1(content).hexdigest(), "sha256": hashlib.sha256(content).hexdigest()}
        if kind == "symlink":
            e["target"] = content.decode()
        else:
            e["content"] = content.decode("utf-8", "backslashreplace")
        entries.append(e)
    open(img, "wb").write(data)
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=1, ensure_ascii=False)

if __name__ == "__main__":
    {"tree": lambda: tree(sys.argv[2]), "patch": lambda: patch(sys.argv[2], sys.argv[3])}[sys.argv[1]]()
HOSTILEPY
build_hostile() {
    local img=$1 uuid=0b5e55ed-0000-4000-8000-000000000003
    local src="$WORK/src-hostile"
    rm -rf "$src" "$img"; mkdir -p "$src"
    python3 "$WORK/hostile.py" tree "$src"
    find "$src" -exec touch -h -d "$FIXED_DATE" {} +
    ft mke2fs -q -F -t ext4 -O ^metadata_csum,^dir_index -b 1024 -J size=1 -N 64 -L "exhume-hostile" \
        -U "$uuid" -E hash_seed="$uuid",root_owner=0:0,lazy_itable_init=0 -d "$src" "$img" 2560
    local n ino
    n=$(find "$src" -mindepth 1 | wc -l)
    for ino in 2 $(seq 11 $((11 + n))); do
        printf 'sif <%d> ctime 20240102030405\nsif <%d> ctime_extra 0\n' "$ino" "$ino"
    done | ft debugfs -w -f - "$img" >/dev/null 2>&1
    # delete while the name is still a placeholder (debugfs cannot name it afterwards)
    ft debugfs -w -R "rm /sub/EEEEEEEEEEEEEEE" "$img" >/dev/null 2>&1
    python3 "$WORK/hostile.py" patch "$img" "$WORK/hostile.json"
}
build_hostile "$OUT/hostile.raw"

# ======================================================================= carving evaluation
# carve-fat.raw, carve-ext4.raw, carve-raw.raw: media from Tests/CarvingTests/Samples planted
# where only carving can find them (deleted files whose metadata is then wiped, raw writes
# into never-allocated space at 4 KiB and 512-byte-but-not-4-KiB offsets, files back to back,
# a fragmented JPEG, a truncated PNG) plus decoys (random bytes, text holding header bytes).
# carve.py writes the ground truth (image byte offsets, sha256, expected verdict of
# `exhume carve IMAGE --out DIR`) to $WORK/carving-*.json; it becomes manifest.json "carving".
echo "== carving evaluation images"
SAMPLES="$(cd "$OUT/../Tests/CarvingTests/Samples" && pwd)"
cat > "$WORK/carve.py" <<'CARVEPY'
# Carving-fixture helper for make-fixtures.sh.
#   python3 carve.py fat  IMAGE SAMPLES OUT_JSON TARGETS_JSON   wipe deleted FAT entries, plant, write truth
#   python3 carve.py ext4 IMAGE SAMPLES OUT_JSON TARGETS_JSON   plant into ext4 free blocks, write truth
#   python3 carve.py raw  IMAGE SAMPLES OUT_JSON                random image with planted media
# TARGETS_JSON: [{"name": file name as written, "sample": sample file}] of the deleted files.
import hashlib, json, os, random, re, struct, subprocess, sys

RULE = {"baseline.jpg": ("jpeg", "jpg"), "progressive.jpg": ("jpeg", "jpg"), "exif-thumb.jpg": ("jpeg", "jpg"),
        "image.png": ("png", "png"), "animated.gif": ("gif", "gif"), "image.bmp": ("bmp", "bmp"),
        "multipage.tif": ("tiff-le", "tif"), "image.webp": ("webp", "webp"), "video.mp4": ("mp4", "mp4"),
        "video.mov": ("mov", "mov"), "clip.avi": ("avi", "avi"), "doc.pdf": ("pdf", "pdf"),
        "incremental.pdf": ("pdf", "pdf"), "linearized.pdf": ("pdf", "pdf"), "archive.zip": ("zip", "zip"),
        "streamed.zip": ("zip", "zip"), "document.docx": ("zip", "docx")}

def sha(b):
    return hashlib.sha256(b).hexdigest()

def up(x, a):
    return (x + a - 1) // a * a

class Planter:
    def __init__(self, img, samples):
        self.img, self.samples = img, samples
        self.data = bytearray(open(img, "rb").read())
        self.items, self.decoys = [], []
        self.used = []          # (start, end) of every write into free space, to check overlaps

    def sample(self, s):
        return open(os.path.join(self.samples, s), "rb").read()

    def write(self, off, b, lo, hi):
        assert lo <= off and off + len(b) <= hi, f"write {off}+{len(b)} outside free range {lo}..{hi}"
        for a, e in self.used:
            assert off + len(b) <= a or off >= e, f"overlap at {off}"
        self.used.append((off, off + len(b)))
        self.data[off:off + len(b)] = b

    def item(self, name, s, off, planted, verdict, b=None, **kw):
        whole = self.sample(s)
        b = whole if b is None else b
        rule, ext = RULE[s]
        e = {"name": name, "sample": s, "rule": rule, "type": ext, "offset": off, "length": len(b),
             "sha256": sha(b), "planted": planted, "verdict": verdict,
             "alignment": "4096" if off % 4096 == 0 else "512" if off % 512 == 0 else "unaligned"}
        e.update(kw)
        self.items.append(e)
        return e

    def plant(self, name, s, off, planted, verdict, lo, hi, b=None, **kw):
        b = self.sample(s) if b is None else b
        self.write(off, b, lo, hi)
        return self.item(name, s, off, planted, verdict, b, **kw)

    def decoy(self, off, b, what, lo, hi):
        self.write(off, b, lo, hi)
        self.decoys.append({"offset": off, "length": len(b), "sha256": sha(b), "what": what})

    def save(self):
        open(self.img, "wb").write(self.data)

    def find_once(self, b):
        i = self.data.find(b)
        assert i >= 0 and self.data.find(b, i + 1) < 0, "deleted file's bytes not found exactly once"
        return i

# A text file that holds header bytes by chance: a JPEG SOI+APP0 and "%PDF-1.4" each at the
# start of a sector (where the scanner looks) and again in the middle of a line (where it does not).
def header_text(seed):
    r = random.Random(seed)
    words = "the of evidence report image scan disk header byte sector signature carve".split()
    def prose(n):
        s = b""
        while len(s) < n:
            s += r.choice(words).encode() + (b"\n" if r.random() < 0.1 else b" ")
        return s[:n]
    t = prose(512) + b"\xFF\xD8\xFF\xE0 looks like a JPEG but is a note about JPEG headers. " + prose(300)
    t = t + prose(up(len(t), 512) - len(t)) + b"%PDF-1.4 is how every PDF starts; this is plain text. " + prose(400)
    t += b" inline: \xFF\xD8\xFF\xE0 and %PDF-1.4 mid-line. " + prose(200)
    return t

# 3 decoys + the standard set of raw plants in free range [lo, hi) starting at start (4 KiB aligned).
def raw_plants(p, start, lo, hi, rnd_seed, set_):
    off = start
    def nxt(end, extra=0):
        return up(end + 4096, 4096) + extra
    for name, s, extra in set_:
        b = p.sample(s)
        e = p.plant(name, s, off, "raw-4k" if off % 4096 == 0 else "raw-512", "complete", lo, hi)
        off = nxt(off + len(b), extra)
    return off

# ------------------------------------------------------------------------ FAT
def fat(img, samples, out_json, targets_json):
    p = Planter(img, samples)
    d = p.data
    bps, = struct.unpack_from("<H", d, 11); spc = d[13]; rsv, = struct.unpack_from("<H", d, 14)
    nfats = d[16]; rootents, = struct.unpack_from("<H", d, 17); fatsz, = struct.unpack_from("<H", d, 22)
    total, = struct.unpack_from("<H", d, 19)
    total = total or struct.unpack_from("<I", d, 32)[0]
    cs = bps * spc
    fat0 = rsv * bps
    root = (rsv + nfats * fatsz) * bps
    data0 = root + rootents * 32
    nclus = (total * bps - data0) // cs
    def entry(n): return struct.unpack_from("<H", d, fat0 + 2 * n)[0]
    def coff(n): return data0 + (n - 2) * cs
    # directory slots: root + every allocated directory's chain
    def chain(n):
        out = []
        while 2 <= n < 0xFFF8:
            out.append(n); n = entry(n)
        return out
    regions = [(root, rootents * 32)]
    def walk(start, length):
        for k in range(start, start + length, 32):
            e = d[k:k + 32]
            if e[0] in (0, 0xE5) or e[11] == 0x0F or e[0] == 0x2E:
                continue
            if e[11] & 0x10:
                c = struct.unpack_from("<H", e, 26)[0]
                for n in chain(c):
                    regions.append((coff(n), cs)); walk(coff(n), cs)
    walk(root, rootents * 32)
    targets = json.load(open(targets_json))
    want = {t["name"].rsplit("/", 1)[-1]: t for t in targets}
    wiped = {}
    for start, length in regions:
        lfn = []
        for k in range(start, start + length, 32):
            e = d[k:k + 32]
            if e[0] == 0xE5 and e[11] == 0x0F:
                lfn.append(k); continue
            if e[0] == 0xE5 and e[11] != 0x0F:
                if lfn:
                    name = b"".join(d[j + 1:j + 11] + d[j + 14:j + 26] + d[j + 28:j + 32] for j in reversed(lfn))
                    name = name.decode("utf-16-le").split("\x00")[0]
                else:
                    base, ext = e[1:8].decode().rstrip(), e[8:11].decode().rstrip()
                    name = "?" + base + ("." + ext if ext else "")
                hit = next((n for n in want if n == name or (name.startswith("?") and n.upper()[1:] == name[1:])), None)
                assert hit, f"unexpected deleted entry {name!r}"
                for j in lfn + [k]:
                    d[j:j + 32] = bytes(32)
                wiped[hit] = [j for j in lfn + [k]]
            lfn = []
    assert set(wiped) == set(want), f"entries not found: {set(want) - set(wiped)}"
    for n, t in want.items():
        b = p.sample(t["sample"])
        off = p.find_once(b)
        p.item(t["name"], t["sample"], off, "deleted-wiped", "complete",
               directory_entries_zeroed=[{"offset": j, "length": 32} for j in wiped[n]])
    last = max(n for n in range(2, nclus + 2) if entry(n) != 0)
    lo, hi = coff(last + 1), coff(nclus + 2)
    lo = max(lo, up(max(e["offset"] + e["length"] for e in p.items), cs))   # past the deleted files too
    # never-allocated space after the last used cluster
    off = up(lo, 4096)
    off = raw_plants(p, off, lo, hi, "fat", [("raw video.mov", "video.mov", 0),
                                            ("raw document.docx", "document.docx", 1536),
                                            ("raw image.webp", "image.webp", 0)])
    off = plant_specials(p, off, lo, hi, "carve-fat", ("image.bmp", "video.mp4"), ("doc.pdf", "animated.gif"))
    finish(p, out_json, {"image": os.path.basename(img), "filesystem": "FAT16", "cluster_size": cs,
                         "free_never_allocated": {"offset": lo, "length": hi - lo}})

# back-to-back pairs, fragmented JPEG, truncated PNG, decoys
def plant_specials(p, off, lo, hi, seed, pair_sector, pair_byte):
    r = random.Random(seed)
    # 1) two files in consecutive sectors: the second starts at the first sector after the
    #    first ends; the slack between them is random bytes (no zero gap to stop at)
    a = p.sample(pair_sector[0]); b = p.sample(pair_sector[1])
    p.plant("adjacent " + pair_sector[0], pair_sector[0], off, "adjacent", "complete", lo, hi,
            note="followed in the next sector by " + pair_sector[1] + "; the slack between is random bytes")
    slack = up(off + len(a), 512) - (off + len(a))
    if slack:
        p.decoy(off + len(a), r.randbytes(slack), "random slack between two adjacent files", lo, hi)
    off2 = up(off + len(a), 512)
    p.plant("adjacent " + pair_sector[1], pair_sector[1], off2, "adjacent", "complete", lo, hi,
            note="starts in the sector right after " + pair_sector[0] + " ends")
    off = up(off2 + len(b) + 4096, 4096)
    # 2) two files byte-adjacent: the second starts at the first's last byte + 1, not on a
    #    sector, so the default (sector) scan cannot see it; --every-byte finds it
    a = p.sample(pair_byte[0]); b = p.sample(pair_byte[1])
    p.plant("adjacent " + pair_byte[0], pair_byte[0], off, "adjacent", "complete", lo, hi,
            note="followed byte-adjacent (no gap at all) by " + pair_byte[1])
    assert (off + len(a)) % 512, "byte-adjacent second file would be sector aligned"
    p.plant("byte-adjacent " + pair_byte[1], pair_byte[1], off + len(a), "adjacent", "none", lo, hi,
            verdict_every_byte="complete",
            note="starts right after the last byte of " + pair_byte[0] + " (not on a sector): found only with --every-byte")
    off = up(off + len(a) + len(b) + 4096, 4096)
    # 3) fragmented JPEG: the first 1024 bytes here, followed by never-written zeros; the rest
    #    in a later run (no header there). Expected: partial at the first piece, never complete.
    j = p.sample("progressive.jpg")
    frag1 = off
    p.write(frag1, j[:1024], lo, hi)
    off = up(frag1 + 1024 + 4096, 4096)
    # 4) truncated PNG: only the first half, followed by zeros: the IDAT chunk's CRC fails
    png = p.sample("image.png")
    p.plant("truncated image.png", "image.png", off, "truncated", "partial", lo, hi, b=png[:len(png) // 2],
            note="first half of image.png only (cut inside IDAT), then never-written zeros")
    off = up(off + len(png) // 2 + 4096, 4096)
    # 5) decoys
    p.decoy(off, random.Random(seed + "-random").randbytes(16384), "16 KiB of pseudo-random bytes", lo, hi)
    off = up(off + 16384 + 4096, 4096)
    t = header_text(seed + "-text")
    p.decoy(off, t, "text holding \\xFF\\xD8\\xFF\\xE0 at sector +512, %PDF-1.4 at a later sector start, both again mid-line", lo, hi)
    off = up(off + len(t) + 4096, 4096) + 512
    # second fragment of the JPEG, 512-aligned but far from the first
    frag2 = off
    p.write(frag2, j[1024:], lo, hi)
    p.item("fragmented progressive.jpg", "progressive.jpg", frag1, "fragmented", "partial", b=j,
           pieces=[{"offset": frag1, "length": 1024}, {"offset": frag2, "length": len(j) - 1024}],
           note="first 1024 bytes at offset (cut inside the last scan's entropy-coded data), then never-written "
                "zeros; the rest at pieces[1]; sha256/length are of the whole file. Must never be complete; "
                "expected: partial at the first piece (valid structure up to the cut, then zeros)")
    return up(frag2 + len(j) - 1024 + 4096, 4096)

def finish(p, out_json, head):
    p.save()
    p.items.sort(key=lambda e: e["offset"]); p.decoys.sort(key=lambda e: e["offset"])
    head.update(items=p.items, decoys=p.decoys)
    json.dump(head, open(out_json, "w"), indent=1)

# ------------------------------------------------------------------------ ext4
def free_ranges(img):
    o = subprocess.run(["dumpe2fs", img], capture_output=True, text=True).stdout
    bs = int(re.search(r"^Block size:\s+(\d+)", o, re.M).group(1))
    rng = []
    for m in re.finditer(r"^\s+Free blocks: (.*)$", o, re.M):
        for part in filter(None, (x.strip() for x in m.group(1).split(","))):
            a, _, b = part.partition("-")
            rng.append((int(a), int(b or a)))
    return bs, rng

def ext4(img, samples, out_json, targets_json):
    p = Planter(img, samples)
    for t in json.load(open(targets_json)):
        b = p.sample(t["sample"])
        p.item(t["name"], t["sample"], p.find_once(b), "deleted-wiped", "complete", inode=t["inode"])
    bs, rng = free_ranges(img)
    a, b = max(rng, key=lambda x: x[1] - x[0])   # the big never-used tail
    lo, hi = a * bs, (b + 1) * bs
    # keep clear of the deleted files' freed blocks: start after the last deleted item
    last_deleted = max(e["offset"] + e["length"] for e in p.items)
    assert last_deleted <= lo, "deleted data inside the never-used range"
    off = up(lo, 4096)
    off = raw_plants(p, off, lo, hi, "ext4", [("raw video.mov", "video.mov", 1536),
                                             ("raw multipage.tif", "multipage.tif", 2560),
                                             ("raw exif-thumb.jpg", "exif-thumb.jpg", 0),
                                             ("raw archive.zip", "archive.zip", 512)])
    off = plant_specials(p, off, lo, hi, "carve-ext4", ("image.webp", "incremental.pdf"), ("linearized.pdf", "animated.gif"))
    finish(p, out_json, {"image": os.path.basename(img), "filesystem": "ext4", "block_size": bs,
                         "free_never_allocated": {"offset": lo, "length": hi - lo}})

# ------------------------------------------------------------------------ raw
def raw(img, samples, out_json):
    size = 160 * 1024
    open(img, "wb").write(random.Random("carve-raw").randbytes(size))
    p = Planter(img, samples)
    off = 8192
    off = raw_plants(p, off, 0, size, "raw", [("baseline.jpg", "baseline.jpg", 512), ("clip.avi", "clip.avi", 0),
                                             ("linearized.pdf", "linearized.pdf", 3584), ("streamed.zip", "streamed.zip", 1024),
                                             ("image.png", "image.png", 0), ("video.mp4", "video.mp4", 2048),
                                             ("animated.gif", "animated.gif", 0), ("image.bmp", "image.bmp", 512),
                                             ("multipage.tif", "multipage.tif", 0), ("doc.pdf", "doc.pdf", 1536),
                                             ("document.docx", "document.docx", 0)])
    t = header_text("carve-raw-text")
    p.decoy(off, t, "text holding \\xFF\\xD8\\xFF\\xE0 at sector +512, %PDF-1.4 at a later sector start, both again mid-line", 0, size)
    finish(p, out_json, {"image": os.path.basename(img), "filesystem": None,
                         "background": "pseudo-random bytes (Python random.Random('carve-raw'))"})

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "fat": fat(*sys.argv[2:6])
    elif cmd == "ext4": ext4(*sys.argv[2:6])
    elif cmd == "raw": raw(*sys.argv[2:5])
CARVEPY

build_carve_fat() {
    local img=$1 src="$WORK/src-carvefat"
    rm -rf "$src" "$img"; mkdir -p "$src/DCIM"
    mkfs.fat -C --invariant -F 16 -s 1 -S 512 -i C0FFEE16 -n "CARVEFAT16" "$img" 4096 >/dev/null
    txt "$src/README.TXT" "Carving fixture: the media here were deleted and their directory entries wiped."
    cp "$SAMPLES/baseline.jpg" "$src/Holiday photo.jpg"
    cp "$SAMPLES/clip.avi" "$src/kept.avi"
    cp "$SAMPLES/multipage.tif" "$src/scan.tif"
    cp "$SAMPLES/exif-thumb.jpg" "$src/DCIM/IMG_0001.JPG"
    cp "$SAMPLES/incremental.pdf" "$src/Report final.pdf"
    txt "$src/notes.txt" "allocated notes between deleted media"
    cp "$SAMPLES/archive.zip" "$src/backup.zip"
    find "$src" -exec touch -d "$FIXED_DATE" {} +
    local m="-i $img" f
    ft mmd $m ::/DCIM
    # allocated files (README, kept.avi, notes) sit between the deleted ones
    for f in "README.TXT" "Holiday photo.jpg" "kept.avi" "scan.tif" "DCIM/IMG_0001.JPG" \
             "Report final.pdf" "notes.txt" "backup.zip"; do
        ft mcopy -m $m "$src/$f" "::/$f"
    done
    ft mdel $m "::/Holiday photo.jpg" "::/scan.tif" "::/DCIM/IMG_0001.JPG" "::/Report final.pdf" "::/backup.zip"
    cat > "$WORK/carve-fat-targets.json" <<EOF
[{"name": "Holiday photo.jpg", "sample": "baseline.jpg"}, {"name": "scan.tif", "sample": "multipage.tif"},
 {"name": "DCIM/IMG_0001.JPG", "sample": "exif-thumb.jpg"}, {"name": "Report final.pdf", "sample": "incremental.pdf"},
 {"name": "backup.zip", "sample": "archive.zip"}]
EOF
    python3 "$WORK/carve.py" fat "$img" "$SAMPLES" "$WORK/carving-fat.json" "$WORK/carve-fat-targets.json"
    # the wiped names must be gone for TSK too
    if fls -r -p "$img" | grep -E -i 'holiday|scan\.tif|IMG_0001|report|backup'; then
        echo "carve-fat.raw: deleted entries still visible" >&2; exit 1
    fi
}

build_carve_ext4() {
    local img=$1 src="$WORK/src-carveext4" uuid=0b5e55ed-0000-4000-8000-000000000004
    rm -rf "$src" "$img"; mkdir -p "$src/photos" "$src/docs"
    txt "$src/hello.txt" "Carving fixture (ext4): deleted media with cleared inodes."
    cp "$SAMPLES/baseline.jpg" "$src/photos/holiday.jpg"
    cp "$SAMPLES/animated.gif" "$src/photos/kept.gif"
    cp "$SAMPLES/video.mp4" "$src/clip.mp4"
    cp "$SAMPLES/doc.pdf" "$src/docs/paper.pdf"
    txt "$src/docs/notes.txt" "allocated notes"
    cp "$SAMPLES/document.docx" "$src/docs/letter.docx"
    cp "$SAMPLES/image.bmp" "$src/photos/pic.bmp"
    find "$src" -exec touch -d "$FIXED_DATE" {} +
    # 4 KiB blocks (so 512-byte-but-not-block offsets exist), no journal (keeps it at 4 MiB)
    ft mke2fs -q -F -t ext4 -O ^has_journal -b 4096 -N 64 -L "carve-ext4" -U "$uuid" \
        -E hash_seed="$uuid",root_owner=0:0,lazy_itable_init=0 -d "$src" "$img" 4M
    local n ino
    n=$(find "$src" -mindepth 1 | wc -l)
    for ino in 2 $(seq 11 $((11 + n))); do
        printf 'sif <%d> ctime 20240102030405\nsif <%d> ctime_extra 0\n' "$ino" "$ino"
    done | ft debugfs -w -f - "$img" >/dev/null 2>&1
    local targets="" path sample sep=""
    for path in photos/holiday.jpg:baseline.jpg clip.mp4:video.mp4 docs/paper.pdf:doc.pdf \
                docs/letter.docx:document.docx photos/pic.bmp:image.bmp; do
        sample=${path#*:}; path=${path%%:*}
        ino=$(debugfs -R "stat /$path" "$img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
        [ -n "$ino" ] || { echo "no inode for /$path" >&2; exit 1; }
        ft debugfs -w -R "rm /$path" "$img" >/dev/null 2>&1
        ft debugfs -w -R "clri <$ino>" "$img" >/dev/null 2>&1
        targets+="$sep{\"name\": \"$path\", \"sample\": \"$sample\", \"inode\": $ino}"; sep=", "
    done
    echo "[$targets]" > "$WORK/carve-ext4-targets.json"
    python3 "$WORK/carve.py" ext4 "$img" "$SAMPLES" "$WORK/carving-ext4.json" "$WORK/carve-ext4-targets.json"
}

build_carve_fat  "$OUT/carve-fat.raw"
build_carve_ext4 "$OUT/carve-ext4.raw"
python3 "$WORK/carve.py" raw "$OUT/carve-raw.raw" "$SAMPLES" "$WORK/carving-raw.json"

# ======================================================================= MBR disk
echo "== mbr.raw"
# 8 MiB disk: p1 FAT12 @2048 (4096 sectors), gap 6144..8191, p2 ext4 @8192 (6144 sectors),
# unpartitioned tail 14336..16383.
build_fat  "$WORK/mbr-p1.img" 2048 12 2048 "MBRFAT12" 4D425231 mbrfat mbr.raw
build_ext4 "$WORK/mbr-p2.img" 3072 "mbr-ext4" 0b5e55ed-0000-4000-8000-000000000002 mbrext4 8192 mbr.raw
rm -f "$OUT/mbr.raw"; truncate -s 8M "$OUT/mbr.raw"
sfdisk -q "$OUT/mbr.raw" <<EOF
label: dos
label-id: 0x45584855
unit: sectors

start=2048, size=4096, type=1
start=8192, size=6144, type=83
EOF
dd if="$WORK/mbr-p1.img" of="$OUT/mbr.raw" bs=512 seek=2048 conv=notrunc status=none
dd if="$WORK/mbr-p2.img" of="$OUT/mbr.raw" bs=512 seek=8192 conv=notrunc status=none
# a recognisable pattern inside the unpartitioned gap (slack/unallocated carving target)
printf 'EXHUME-GAP-MARKER\n' | dd of="$OUT/mbr.raw" bs=512 seek=6144 conv=notrunc status=none

# ======================================================================= GPT disk
echo "== gpt.raw"
# 8 MiB disk: p1 FAT16 "EFI-ish data" @2048 (5120 sectors), p2 NTFS @8192 (6144 sectors)
build_fat  "$WORK/gpt-p1.img" 2048 16 2560 "GPTFAT16" 47505431 gptfat gpt.raw
build_ntfs "$WORK/gpt-p2.img" 3072 "GptNTFS" FEDCBA9876543210 gptntfs 8192 gpt.raw
rm -f "$OUT/gpt.raw"; truncate -s 8M "$OUT/gpt.raw"
sgdisk -o -U 11111111-2222-4333-8444-555555555555 \
    -n 1:2048:7167  -t 1:0700 -c 1:"Exhume FAT" -u 1:AAAAAAAA-0000-4000-8000-000000000001 \
    -n 2:8192:14335 -t 2:0700 -c 2:"Exhume NTFS" -u 2:AAAAAAAA-0000-4000-8000-000000000002 \
    "$OUT/gpt.raw" >/dev/null
dd if="$WORK/gpt-p1.img" of="$OUT/gpt.raw" bs=512 seek=2048 conv=notrunc status=none
dd if="$WORK/gpt-p2.img" of="$OUT/gpt.raw" bs=512 seek=8192 conv=notrunc status=none

# ======================================================================= EWF
echo "== E01 images"
EWF_META=(-C "EXH-2024-001" -D "Exhume test MBR disk" -E "EV-0001" -e "Test Examiner" -N "Generated by make-fixtures.sh")
ft ewfacquire -u -q -t "$OUT/mbr" -f encase6 -c deflate:best -d sha1 -m fixed -M physical \
    "${EWF_META[@]}" "$OUT/mbr.raw" > "$WORK/ewfacquire-mbr.log" 2>&1

# multi-segment: ext4.raw (4 MiB) stored uncompressed in 1 MiB segments
ft ewfacquire -u -q -t "$OUT/multi" -f encase6 -c none -S 1048576 -d sha1 \
    -C "EXH-2024-002" -D "Exhume multi-segment ext4" -E "EV-0002" -e "Test Examiner" -N "ext4.raw, -c none, 1 MiB segments" \
    "$OUT/ext4.raw" > "$WORK/ewfacquire-multi.log" 2>&1

# ======================================================================= split raw
echo "== split raw"
split -b 1048576 -d -a 3 --numeric-suffixes=1 "$OUT/fat16.raw" "$OUT/split."

# ======================================================================= bad inputs
echo "== bad inputs"
: > bad/empty.raw
rnd "exhume-random" 65536 > bad/random.bin
MBR_E01_SIZE=$(stat -c %s mbr.E01)
head -c $((MBR_E01_SIZE / 2)) mbr.E01 > bad/truncated.E01
mkdir -p bad/missing-segment
cp multi.E* bad/missing-segment/
rm bad/missing-segment/multi.E02

# corrupt chunk: uncompressed-chunk E01 of mbr.raw (empty chunks compressed), flip bytes
ft ewfacquire -u -q -t "$OUT/bad/corrupt-chunk" -f encase6 -c deflate:empty-block -d sha1 \
    -C "EXH-2024-003" -D "corrupt chunk" -E "EV-0003" -e "Test Examiner" -N "one chunk has flipped bytes" \
    "$OUT/mbr.raw" > "$WORK/ewfacquire-corrupt.log" 2>&1
# Flip 8 bytes in the middle of the uncompressed chunk data holding mbr.raw's ext4 /dir1/big.bin
# (pure file data: partition table and both file systems' metadata stay readable).
python3 - "$OUT/bad/corrupt-chunk.E01" <<'EOF'
import random, sys
p = sys.argv[1]
data = bytearray(open(p, 'rb').read())
big = random.Random("ext4-big-mbrext4").randbytes(300000)
needle = big[150000:150064]
i = data.find(needle)
assert i >= 0 and data.find(needle, i + 1) < 0, "needle not found exactly once"
for k in range(i + 16, i + 24):
    data[k] ^= 0xFF
open(p, 'wb').write(data)
print(f"corrupt-chunk.E01: flipped 8 bytes at file offset {i + 16} (big.bin offset 150016..150023)")
EOF

# damaged file systems
cp ext4.raw bad/damaged-fs.raw
dd if=/dev/zero of=bad/damaged-fs.raw bs=1024 seek=1 count=1 conv=notrunc status=none   # primary superblock
cp fat16.raw bad/damaged-fat.raw
python3 - bad/damaged-fat.raw <<'EOF'
import sys, struct, random
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
bps, = struct.unpack_from('<H', d, 11); rsv, = struct.unpack_from('<H', d, 14)
nfats = d[16]; fatsz, = struct.unpack_from('<H', d, 22)
r = random.Random("damaged-fat")
# overwrite the first 2 sectors of BOTH FAT copies with garbage (breaks cluster chains)
for n in range(nfats):
    off = (rsv + n * fatsz) * bps
    d[off + 4: off + 2 * bps] = r.randbytes(2 * bps - 4)
open(p, 'wb').write(d)
EOF

# ======================================================================= oracles + manifest
echo "== oracles + manifest"
python3 - "$OUT" "$FILES_TSV" <<'PYEOF'
import hashlib, json, os, re, subprocess, sys
out, files_tsv = sys.argv[1], sys.argv[2]
os.chdir(out)

def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr

def digest(paths, algo):
    h = hashlib.new(algo)
    for pth in paths:
        with open(pth, "rb") as f:
            for b in iter(lambda: f.read(1 << 20), b""):
                h.update(b)
    return h.hexdigest()

def file_entry(pth):
    return {"name": pth, "size": os.path.getsize(pth), "sha256": digest([pth], "sha256")}

def version(cmd):
    rc, o, e = run(*cmd)
    return (o + e).strip().splitlines()[0] if (o + e).strip() else "?"

# ---------------------------------------------------------------- ground-truth files
truth = {}
for line in open(files_tsv, encoding="utf-8"):
    img, off, path, src, deleted = line.rstrip("\n").split("\t")
    e = {"path": "/" + path, "deleted": deleted == "true"}
    if src == "-":
        e.update(type="dir")
    elif src.startswith("symlink:"):
        t = src[len("symlink:"):].encode()
        e.update(type="symlink", target=t.decode(), size=len(t), md5=hashlib.md5(t).hexdigest())
    else:
        e.update(type="file", size=os.path.getsize(src), md5=digest([src], "md5"),
                 sha1=digest([src], "sha1"))
        if ":" in path:
            e.update(type="ads", stream=path.split(":", 1)[1], host="/" + path.split(":", 1)[0])
    truth.setdefault(img, {}).setdefault(int(off), []).append(e)

# ---------------------------------------------------------------- oracles
def mmls(target):
    rc, o, e = run("mmls", target)
    if rc != 0:
        return None, (o + e).strip()
    parts = []
    for l in o.splitlines():
        m = re.match(r"^(\d+):\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$", l)
        if m:
            parts.append({"slot": m.group(2), "start": int(m.group(3)), "end": int(m.group(4)),
                          "length": int(m.group(5)), "description": m.group(6).strip()})
    vtype = next((l.strip() for l in o.splitlines() if l.strip() and not l.startswith(("Offset", "Units", "Slot", "   "))), "")
    return {"volume_system": vtype, "partitions": parts}, o

FS_KEYS = ["File System Type", "Volume Name", "Volume Label (Boot Sector)", "Volume Label (Root Directory)",
           "Volume ID", "Volume Serial Number", "OEM Name", "Sector Size", "Cluster Size", "Block Size",
           "Block Count", "Total Cluster Range", "Total Sector Range"]

def fsstat(target, off):
    rc, o, e = run("fsstat", "-o", str(off), target)
    if rc != 0:
        return {"error": (o + e).strip()}
    info = {}
    for l in o.splitlines():
        if ":" in l:
            k, v = l.split(":", 1)
            k = k.strip()
            if k in FS_KEYS and k not in info:
                info[k] = v.strip()
    return info

def fls(target, off):
    rc, o, e = run("fls", "-r", "-p", "-o", str(off), target)
    lines = o.splitlines()
    dele = [l for l in lines if re.match(r"^\S+ \* ", l)]
    res = {"exit_code": rc, "entries": len(lines), "allocated": len(lines) - len(dele),
           "deleted": len(dele), "lines": lines}
    if e.strip():
        res["stderr"] = e.strip()
    return res

def filesystems(target, img_key, offsets):
    fss = []
    for off in offsets:
        st = fsstat(target, off)
        fss.append({"offset_sectors": off,
                    "type": st.get("File System Type"),
                    "label": st.get("Volume Name") or st.get("Volume Label (Boot Sector)"),
                    "fsstat": st,
                    "files": truth.get(img_key, {}).get(off, []),
                    "fls": fls(target, off)})
    return fss

def ewf_info(first):
    rc, o, e = run("ewfinfo", first)
    meta = {}
    for l in o.splitlines():
        if ":" in l and l.startswith("\t"):
            k, v = l.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta, o

def ewf_verify(first):
    rc, o, e = run("ewfverify", "-q", "-d", "sha1", first)
    keep = [l for l in (o + e).splitlines()
            if l.strip() and not re.search(r"(Verify started|Verify completed) at|bytes/second|ewfverify \d", l)]
    keep = [l.replace(os.getcwd() + "/", "") for l in keep]
    return {"exit_code": rc, "output": keep}

images = []
def raw_image(name, offsets, partitioned):
    ent = {"name": name, "format": "raw", "files": [file_entry(name)],
           "media_size": os.path.getsize(name), "media_md5": digest([name], "md5"),
           "media_sha1": digest([name], "sha1")}
    if partitioned:
        ent["volume_system"], _ = mmls(name)
    ent["filesystems"] = filesystems(name, name, offsets)
    return ent

def fs_offsets_from_mmls(name):
    vs, _ = mmls(name)
    return [p["start"] for p in vs["partitions"] if re.fullmatch(r"[\d:]+", p["slot"])]

images.append(raw_image("fat16.raw", [0], False))
images.append(raw_image("ext4.raw", [0], False))
images.append(raw_image("ntfs.raw", [0], False))
images.append(raw_image("mbr.raw", fs_offsets_from_mmls("mbr.raw"), True))
images[-1]["markers"] = [{"offset_bytes": 6144 * 512, "where": "unpartitioned gap (sector 6144)",
                          "content": "EXHUME-GAP-MARKER\n"}]
images.append(raw_image("gpt.raw", fs_offsets_from_mmls("gpt.raw"), True))

def ewf_image(first, source, partitioned, offsets):
    base = first[:-4]
    segs = sorted(f for f in os.listdir(".") if re.fullmatch(re.escape(base) + r"\.E\d\d", f))
    meta, _ = ewf_info(first)
    ent = {"name": first, "format": "ewf", "segments": segs, "files": [file_entry(s) for s in segs],
           "source_image": source, "media_size": os.path.getsize(source),
           "media_md5": digest([source], "md5"), "media_sha1": digest([source], "sha1"),
           "ewf_metadata": meta, "ewfverify": ewf_verify(first)}
    if partitioned:
        ent["volume_system"], _ = mmls(first)
    ent["filesystems"] = filesystems(first, source, offsets)
    return ent

images.append(ewf_image("mbr.E01", "mbr.raw", True, fs_offsets_from_mmls("mbr.raw")))
images.append(ewf_image("multi.E01", "ext4.raw", False, [0]))

segs = sorted(f for f in os.listdir(".") if re.fullmatch(r"split\.\d{3}", f))
sp = {"name": "split.001", "format": "split", "segments": segs, "files": [file_entry(s) for s in segs],
      "source_image": "fat16.raw", "media_size": sum(os.path.getsize(s) for s in segs),
      "media_md5": digest(segs, "md5"), "media_sha1": digest(segs, "sha1")}
assert sp["media_md5"] == digest(["fat16.raw"], "md5")
rc, o, e = run("img_stat", "split.001")    # TSK finds split.002.. by itself from split.001
sp["tsk_img_stat_split001"] = [l.strip() for l in o.splitlines() if re.match(r"\s*(Image Type|Size in bytes|split\.\d+)", l)]
sp["filesystems"] = filesystems("fat16.raw", "fat16.raw", [0])
sp["filesystems_note"] = "same bytes as fat16.raw; fsstat/fls run on fat16.raw"
images.append(sp)

# ---------------------------------------------------------------- bad inputs
bad = []
def bad_entry(name, problem, **kw):
    ent = {"name": name, "problem": problem}
    if os.path.isfile(name):
        ent["files"] = [file_entry(name)]
    ent.update(kw)
    return ent

def tsk(name, off=0):
    rc1, o1, e1 = run("fsstat", "-o", str(off), name)
    f = fls(name, off)
    return {"fsstat_exit_code": rc1, "fsstat_first_lines": (o1 + e1).strip().splitlines()[:6],
            "fls_exit_code": f["exit_code"], "fls_entries": f["entries"], "fls_allocated": f["allocated"],
            "fls_deleted": f["deleted"], "fls_stderr": f.get("stderr", ""), "fls_lines": f["lines"]}

rc, o, e = run("mmls", "bad/empty.raw")
bad.append(bad_entry("bad/empty.raw", "zero-length file", mmls={"exit_code": rc, "output": (o + e).strip()},
                     **{"tsk": tsk("bad/empty.raw")}))
rc, o, e = run("mmls", "bad/random.bin")
bad.append(bad_entry("bad/random.bin", "64 KiB of deterministic pseudo-random bytes (Python random.Random('exhume-random').randbytes); no partition table or file system",
                     mmls={"exit_code": rc, "output": (o + e).strip()}, tsk=tsk("bad/random.bin")))
meta, _ = ewf_info("bad/truncated.E01")
bad.append(bad_entry("bad/truncated.E01", "first half of mbr.E01 (cut mid-file: sectors/table/hash/done sections missing)",
                     ewfverify=ewf_verify("bad/truncated.E01"), ewfinfo_metadata=meta,
                     tsk_mmls_exit_code=run("mmls", "bad/truncated.E01")[0]))
ms = sorted(os.listdir("bad/missing-segment"))
bad.append({"name": "bad/missing-segment/multi.E01", "problem": "copy of the multi.E01 set with multi.E02 removed",
            "segments_present": ms, "files": [file_entry("bad/missing-segment/" + s) for s in ms],
            "ewfverify": ewf_verify("bad/missing-segment/multi.E01"),
            "tsk_fsstat_exit_code": run("fsstat", "bad/missing-segment/multi.E01")[0],
            "tsk_fls": {k: v for k, v in fls("bad/missing-segment/multi.E01", 0).items() if k != "lines"}})
meta, _ = ewf_info("bad/corrupt-chunk.E01")
cc = bad_entry("bad/corrupt-chunk.E01",
               "E01 of mbr.raw (deflate:empty-block, so non-empty chunks stored uncompressed with Adler-32); "
               "bytes 150016..150023 of the ext4 partition's /dir1/big.bin (inside one stored chunk) are XOR 0xFF; "
               "metadata of both file systems is intact, only that file's content is affected",
               media_md5_of_source=digest(["mbr.raw"], "md5"), source_image="mbr.raw",
               ewf_metadata=meta, ewfverify=ewf_verify("bad/corrupt-chunk.E01"))
cc["tsk_mmls"] = mmls("bad/corrupt-chunk.E01")[0]
cc["tsk_fls_counts"] = {str(off): {k: v for k, v in fls("bad/corrupt-chunk.E01", off).items() if k != "lines"}
                        for off in fs_offsets_from_mmls("mbr.raw")}
inode = next(l.split()[1].rstrip(":") for l in fls("mbr.raw", 8192)["lines"] if l.endswith("\tdir1/big.bin"))
p1 = subprocess.run(["icat", "-o", "8192", "bad/corrupt-chunk.E01", inode], capture_output=True)
truth_big = next(f for f in truth["mbr.raw"][8192] if f["path"] == "/dir1/big.bin")
cc["affected_file"] = {"fs_offset_sectors": 8192, "path": "/dir1/big.bin", "inode": int(inode),
                       "true_md5": truth_big["md5"], "true_size": truth_big["size"],
                       "icat_exit_code": p1.returncode, "icat_size": len(p1.stdout),
                       "icat_md5": hashlib.md5(p1.stdout).hexdigest(),
                       "icat_stderr": p1.stderr.decode(errors="replace").strip()}
bad.append(cc)
bad.append(bad_entry("bad/damaged-fs.raw", "copy of ext4.raw with the primary superblock (bytes 1024..2047) zeroed; backup superblocks at block 8193 intact",
                     source_image="ext4.raw", tsk=tsk("bad/damaged-fs.raw")))
bad.append(bad_entry("bad/damaged-fat.raw", "copy of fat16.raw with sectors 0-1 of both FAT copies (except the first 4 bytes) overwritten with pseudo-random bytes: cluster chains broken, boot sector and directories intact",
                     source_image="fat16.raw", tsk=tsk("bad/damaged-fat.raw")))


# ---------------------------------------------------------------- hostile names (hostile.raw)
# Kept out of "images" (the conformance suites iterate those): the ground truth of each
# hostile entry (raw name bytes as hex, content digests, inode) plus the line `fls -r -p`
# prints for it, and what `tsk_recover -e` did with the names (run in a nested scratch
# folder whose grandparent holds an etc/passwd it may overwrite).
def hostile_entry():
    import shutil
    spec = json.load(open(os.path.join(os.path.dirname(files_tsv), "hostile.json"), encoding="utf-8"))
    ent = raw_image("hostile.raw", [0], False)
    raw = subprocess.run(["fls", "-r", "-p", "hostile.raw"], capture_output=True).stdout
    by_inode = {}
    for line in raw.split(b"\n"):
        m = re.match(rb"^\S+ (?:\* )?(\d+)(?:\(realloc\))?:\t(.*)$", line, re.S)
        if m:
            by_inode.setdefault(int(m.group(1)), []).append((line, m.group(2)))
    for e in spec:
        hits = by_inode.get(e["inode"], [])
        e["fls_line"] = hits[0][0].decode("utf-8", "backslashreplace") if hits else None
        e["fls_path_hex"] = hits[0][1].hex() if hits else None
    ent["filesystems"][0]["files"] = spec
    scratch = os.path.join(os.path.dirname(files_tsv), "tsk-recover")
    os.makedirs(os.path.join(scratch, "l1", "l2"))
    os.makedirs(os.path.join(scratch, "l1", "etc"))
    with open(os.path.join(scratch, "l1", "etc", "passwd"), "w") as f:
        f.write("planted\n")
    p = subprocess.run(["tsk_recover", "-e", os.path.abspath("hostile.raw"), "out"],
                       cwd=os.path.join(scratch, "l1", "l2"), capture_output=True)
    written = []
    for d, _, fs in os.walk(os.path.join(scratch, "l1").encode()):
        for f in fs:
            full = os.path.join(d, f)
            rel = os.path.relpath(full, os.path.join(scratch, "l1", "l2", "out").encode())
            written.append({"path_from_out": rel.decode("utf-8", "backslashreplace"),
                            "outside_out": rel.startswith(b".."),
                            "md5": digest([full], "md5")})
    shutil.rmtree(scratch)
    ent["tsk_recover_e"] = {
        "run": "cd l1/l2 && tsk_recover -e hostile.raw out   (l1/etc/passwd planted beforehand)",
        "exit_code": p.returncode,
        "output": p.stdout.decode("utf-8", "backslashreplace").strip().splitlines()
                  + p.stderr.decode("utf-8", "backslashreplace").strip().splitlines(),
        "files": sorted(written, key=lambda w: w["path_from_out"]),
    }
    return ent

hostile = [hostile_entry()]

# ---------------------------------------------------------------- carving evaluation images
# Ground truth written by carve.py: planted items (image byte offset, length, sha256, how
# planted, expected `exhume carve` verdict) and decoys; plus the image's digests.
carving = []
for part in ("fat", "ext4", "raw"):
    c = json.load(open(os.path.join(os.path.dirname(files_tsv), f"carving-{part}.json"), encoding="utf-8"))
    name = c["image"]
    c = {"image": name, "files": [file_entry(name)], "media_size": os.path.getsize(name),
         "media_md5": digest([name], "md5"), **{k: v for k, v in c.items() if k != "image"}}
    carving.append(c)

manifest = {
    "generator": "Fixtures/make-fixtures.sh",
    "timezone": "UTC",
    "sector_size": 512,
    "tool_versions": {
        "sleuthkit": version(["fls", "-V"]), "ewfacquire": version(["ewfacquire", "-V"]),
        "mkfs.fat": version(["mkfs.fat", "--help"]), "mke2fs": version(["mke2fs", "-V"]),
        "mkntfs": version(["mkntfs", "--version"]), "mtools": version(["mtools", "--version"]),
    },
    "notes": [
        "files[].path is the path as written by the generator (UTF-8); deleted=true entries were removed after being written",
        "fls.lines is the verbatim output of `fls -r -p -o OFFSET IMAGE`; allocated/deleted count its lines without/with '*' (includes TSK virtual entries such as $MBR, $FAT1, $OrphanFiles)",
        "offsets are in 512-byte sectors",
        "except in carving[]: there offset/length are image byte offsets; verdict is what `exhume carve IMAGE --out DIR` must report (complete: byte-exact, partial: flagged partial at that offset, none: no output)",
    ],
    "images": images,
    "bad": bad,
    "hostile": hostile,
    "carving": carving,
}
with open("manifest.json", "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=1, ensure_ascii=False)
    f.write("\n")
PYEOF

# ======================================================================= compress
# Raw images are mostly zeros: they are committed gzipped (gzip -n: no name or
# time in the header, so the .gz is as reproducible as the image) to keep the
# folder small. The test suite unpacks them into a temporary folder; the
# manifest describes the unpacked files. mbr.E01 stays as it is (the README's
# demo opens it directly). bad/missing-segment is the multi set without E02:
# the tests build it from the unpacked multi.E0x instead of storing it twice.
echo "== compress"
rm -rf bad/missing-segment
for f in ./*.raw ./multi.E0[0-9] ./split.[0-9][0-9][0-9] bad/damaged-*.raw; do
    gzip -n -9 -f "$f"
done

echo "== done"
du -sh "$OUT"
