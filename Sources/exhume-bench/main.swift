// exhume-bench: times Exhume's commands against the peer tools on the same
// inputs and prints MB/s and ratios. Not a test: speed is never asserted.
//
//   exhume-bench [--evidence DIR] [--runs N] [--files N] [--exhume PATH] [--only SECTION[,SECTION]]
//                [--skip-many-files] [--skip-lookups]
//
// Sections: verify, timeline, hash, recover, lookups, scan (ScanBench.swift);
// all of them run unless --only names some.
// DIR is the standard evidence of ../shared/bench/make-evidence.sh (built
// there with SIZE 1024 when missing). The many-files images are generated
// under .build/bench-many-files.
import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// The parts of the benchmark that `--only` selects.
enum Section: String, CaseIterable {
    case verify, timeline, hash, recover, lookups, scan
}

struct Options {
    var evidence: String?
    var runs = 3
    var files = 30_000
    var exhume: String?
    var manyFiles = true
    var sizeMiB = 1024
    var lookups = true
    var sections = Set(Section.allCases)

    init(_ arguments: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("missing value for \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--evidence": evidence = value()
            case "--runs": runs = max(1, Int(value()) ?? 3)
            case "--files": files = max(100, Int(value()) ?? 30_000)
            case "--exhume": exhume = value()
            case "--size": sizeMiB = max(64, Int(value()) ?? 1024)
            case "--skip-many-files": manyFiles = false
            case "--skip-lookups": lookups = false
            case "--only":
                sections = []
                for name in value().split(separator: ",") {
                    guard let section = Section(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                        fail("unknown section \(name) for --only (sections: \(Section.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    sections.insert(section)
                }
            case "-h", "--help":
                print("""
                    usage: exhume-bench [--evidence DIR] [--runs N] [--files N] [--size MIB] [--exhume PATH]
                                        [--only SECTION[,SECTION]] [--skip-many-files] [--skip-lookups]
                    sections: \(Section.allCases.map(\.rawValue).joined(separator: ", ")) (default: all)
                    """)
                exit(0)
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
        if !lookups { sections.remove(.lookups) }
    }

    func wants(_ section: Section) -> Bool { sections.contains(section) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("exhume-bench: \(message)\n".utf8))
    exit(1)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Wall time and peak RSS of one child process, output discarded.
struct Measurement {
    var seconds: Double
    var maxRSSKiB: Int
    var status: Int32
}

/// Runs `argv` with stdout/stderr to /dev/null, TZ=UTC; measures wall time and rusage.
func measure(_ argv: [String]) -> Measurement {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var env = ProcessInfo.processInfo.environment
    env["TZ"] = "UTC"
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    let cArgs = argv.map { strdup($0) } + [nil]
    defer {
        cEnv.forEach { free($0) }
        cArgs.forEach { free($0) }
    }
    var pid: pid_t = 0
    let start = now()
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv)
    guard rc == 0 else { fail("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    _ = valueOrErrno { wait4(pid, &status, 0, &usage) }
    let elapsed = now() - start
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Measurement(seconds: elapsed, maxRSSKiB: Int(usage.ru_maxrss), status: exitStatus)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Median of `runs` measurements after one warm-up run (page cache warm for both tools).
func timed(_ argv: [String], runs: Int) -> Measurement {
    _ = measure(argv)
    var results: [Measurement] = []
    for _ in 0..<runs { results.append(measure(argv)) }
    results.sort { $0.seconds < $1.seconds }
    var median = results[results.count / 2]
    median.maxRSSKiB = results.map(\.maxRSSKiB).max() ?? 0
    return median
}

func fileSize(_ path: String) -> Int64 {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
}

/// Media size of an image (for E01: what libewf reports), for MB/s.
func mediaSize(_ path: String) -> Int64 {
    guard path.hasSuffix(".E01") else { return fileSize(path) }
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["ewfinfo", path]
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try? process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.contains("Media size:") {
        if let open = line.firstIndex(of: "("), let bytes = Int64(line[line.index(after: open)...].prefix { $0.isNumber }) {
            return bytes
        }
    }
    return fileSize(path)
}

struct Row {
    var task: String
    var input: String
    var bytes: Int64
    var ours: Measurement
    var peerName: String
    var peer: Measurement

    var oursMBs: Double { Double(bytes) / ours.seconds / 1e6 }
    var peerMBs: Double { Double(bytes) / peer.seconds / 1e6 }
    var ratio: Double { peer.seconds / ours.seconds }
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

func printTable(_ rows: [Row]) {
    let header = [pad("task", 22), pad("input", 24), lpad("MB", 8), lpad("exhume s", 9), lpad("peer", 14), lpad("peer s", 8),
                  lpad("exhume MB/s", 12), lpad("peer MB/s", 10), lpad("ratio", 7), lpad("RSS MiB", 8)].joined(separator: " ")
    print(header)
    print(String(repeating: "-", count: header.count))
    for r in rows {
        print([pad(r.task, 22), pad(r.input, 24), lpad(format(Double(r.bytes) / 1e6, 0), 8), lpad(format(r.ours.seconds, 3), 9),
               lpad(r.peerName, 14), lpad(format(r.peer.seconds, 3), 8), lpad(format(r.oursMBs), 12), lpad(format(r.peerMBs), 10),
               lpad(format(r.ratio, 2) + "x", 7), lpad(format(Double(r.ours.maxRSSKiB) / 1024, 0), 8)].joined(separator: " "))
    }
    print("ratio = peer time / exhume time (>= 1.0: exhume is at least as fast). Medians of the runs after a warm-up run; page cache warm.")
}

/// Whether `tool` is on the PATH.
func installed(_ tool: String) -> Bool {
    measure(["/usr/bin/which", tool]).status == 0
}

/// The Debian package that provides a peer tool, for install hints.
func debianPackage(of tool: String) -> String {
    switch tool {
    case "ewfverify", "ewfinfo", "ewfexport": "ewf-tools"
    case "tsk_gettimes", "tsk_recover": "sleuthkit"
    case "photorec": "testdisk"
    default: tool
    }
}

/// Runs a shell script, failing loudly.
func shell(_ script: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-euo", "pipefail", "-c", script]
    do { try process.run() } catch { fail("cannot run bash: \(error)") }
    process.waitUntilExit()
    if process.terminationStatus != 0 { fail("setup step failed: \(script.prefix(200))") }
}

/// Images with tens of thousands of small files (ext4 via mke2fs -d, FAT32 via mtools), some deleted.
func manyFilesImages(count: Int, root: String) -> [String] {
    let stamp = "\(root)/.done-\(count)"
    if FileManager.default.fileExists(atPath: stamp) { return ["\(root)/many-ext4.raw", "\(root)/many-fat32.raw"] }
    log("building images with \(count) files in \(root) …")
    shell("""
        export MTOOLS_SKIP_CHECK=1
        rm -rf '\(root)'; mkdir -p '\(root)/tree'
        cd '\(root)/tree'
        python3 - <<'PY'
        import os
        n = \(count)
        for i in range(n):
            d = "d%03d/s%02d" % (i // 500, (i // 50) % 10)
            os.makedirs(d, exist_ok=True)
            with open("%s/file-%06d.txt" % (d, i), "w") as f:
                f.write("file %d\\n" % i * (1 + i % 7))
        PY
        cd '\(root)'
        mke2fs -q -t ext4 -b 4096 -N \(count + 2000) -d tree -L many many-ext4.raw 512M
        # delete every 10th file of the first directory tree
        for i in $(seq 0 10 490); do printf 'rm /d000/s%02d/file-%06d.txt\\n' $(( (i/50)%10 )) $i; done > rm.cmds
        debugfs -w -f rm.cmds many-ext4.raw > /dev/null 2>&1
        truncate -s 512M many-fat32.raw
        mkfs.vfat -F 32 -n MANY many-fat32.raw > /dev/null
        mcopy -s -i many-fat32.raw tree/* ::/
        for i in $(seq 0 10 490); do mdel -i many-fat32.raw "$(printf '::/d000/s%02d/file-%06d.txt' $(( (i/50)%10 )) $i)"; done
        touch '\(stamp)'
        """)
    return ["\(root)/many-ext4.raw", "\(root)/many-fat32.raw"]
}

let options = Options(CommandLine.arguments)
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let exhume = options.exhume ?? "\(packageRoot)/.build/release/exhume"
guard FileManager.default.isExecutableFile(atPath: exhume) else {
    fail("no exhume binary at \(exhume): run `swift build -c release` first (make bench does)")
}
// The peers the table sections cannot do without; the scan section checks its own and skips what is missing.
var required: [String] = ["ewfinfo"]
if options.wants(.verify) { required.append("ewfverify") }
if options.wants(.timeline) { required.append("tsk_gettimes") }
if options.wants(.hash) || options.wants(.recover) { required += ["tsk_recover", "hashdeep"] }
for tool in required where !installed(tool) {
    fail("\(tool) is not installed (apt-get install \(debianPackage(of: tool)))")
}

let evidence = options.evidence ?? ProcessInfo.processInfo.environment["EXHUME_BENCH_EVIDENCE"]
    ?? "\(packageRoot)/.build/bench-evidence"
if !FileManager.default.fileExists(atPath: "\(evidence)/fat32.E01") {
    let script = "\(packageRoot)/../shared/bench/make-evidence.sh"
    guard FileManager.default.fileExists(atPath: script) else {
        fail("no standard evidence in \(evidence) and no \(script) to build it")
    }
    log("building the standard evidence (\(options.sizeMiB) MiB) in \(evidence) …")
    shell("bash '\(script)' \(options.sizeMiB) '\(evidence)' >&2")
}

var rows: [Row] = []
let runs = options.runs

if options.wants(.verify) {
    log("verify vs ewfverify …")
    for name in ["fat32.E01", "ext4.E01", "fat32-none.E01"] {
        let path = "\(evidence)/\(name)"
        guard FileManager.default.fileExists(atPath: path) else { continue }
        let bytes = mediaSize(path)
        let ours = timed([exhume, "verify", path], runs: runs)
        let peer = timed(["ewfverify", "-q", path], runs: runs)
        rows.append(Row(task: "verify", input: name, bytes: bytes, ours: ours, peerName: "ewfverify", peer: peer))
    }
}

if options.wants(.timeline) {
    log("timeline --format bodyfile vs tsk_gettimes …")
    var timelineInputs = ["fat32.raw", "ext4.raw", "fat32.E01", "ext4.E01"].map { "\(evidence)/\($0)" }
    if options.manyFiles {
        timelineInputs += manyFilesImages(count: options.files, root: "\(packageRoot)/.build/bench-many-files")
    }
    for path in timelineInputs where FileManager.default.fileExists(atPath: path) {
        let bytes = mediaSize(path)
        let ours = timed([exhume, "timeline", path], runs: runs)
        let peer = timed(["tsk_gettimes", path], runs: runs)
        rows.append(Row(task: "timeline bodyfile", input: URL(fileURLWithPath: path).lastPathComponent, bytes: bytes,
                        ours: ours, peerName: "tsk_gettimes", peer: peer))
    }
}

if options.wants(.hash) || options.wants(.recover) {
    log("hash and recover --all vs tsk_recover -e + hashdeep …")
    let scratch = "\(packageRoot)/.build/bench-scratch"
    for name in ["fat32.raw", "ext4.raw", "fat32.E01"] {
        let path = "\(evidence)/\(name)"
        guard FileManager.default.fileExists(atPath: path) else { continue }
        let bytes = mediaSize(path)
        // The peer chain: recover every file, then hash the copies (what an analyst does without Exhume).
        let chain = ["/bin/bash", "-c", "rm -rf '\(scratch)/peer' && mkdir -p '\(scratch)/peer' && tsk_recover -e '\(path)' '\(scratch)/peer' >/dev/null && hashdeep -c md5,sha1,sha256 -r '\(scratch)/peer' >/dev/null"]
        let peer = timed(chain, runs: runs)
        if options.wants(.hash) {
            let hash = timed([exhume, "hash", path], runs: runs)
            rows.append(Row(task: "hash", input: name, bytes: bytes, ours: hash, peerName: "recover+hashdeep", peer: peer))
        }
        if options.wants(.recover) {
            let recover = timed(["/bin/bash", "-c", "rm -rf '\(scratch)/own' && '\(exhume)' recover --all '\(path)' --out '\(scratch)/own'"], runs: runs)
            rows.append(Row(task: "recover --all", input: name, bytes: bytes, ours: recover, peerName: "recover+hashdeep", peer: peer))
        }
    }
    try? FileManager.default.removeItem(atPath: scratch)
}

print("exhume-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(runs) runs each, evidence \(evidence)")
if !rows.isEmpty {
    printTable(rows)
}

if options.wants(.lookups) {
    log("hash-set index: 10 million entries …")
    let dir = URL(fileURLWithPath: "\(packageRoot)/.build/bench-hashset")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    do {
        let result = try HashSetIndex.benchmark(entries: 10_000_000, lookups: 2_000_000, directory: dir)
        print("hash-set index: 10,000,000 MD5 entries built in \(format(result.buildSeconds, 2)) s, \(result.indexBytes / 1_000_000) MB; \(format(result.lookupsPerSecond / 1e6, 2)) M lookups/s on one thread")
    } catch {
        print("hash-set index benchmark failed: \(error)")
    }
    try? FileManager.default.removeItem(at: dir)
}
if rows.contains(where: { $0.ours.status != 0 && $0.ours.status != 2 }) {
    print("note: some exhume runs exited with an error status; their times are not comparable")
}

if options.wants(.scan) {
    let scanRows = scanBench(exhume: exhume, evidence: evidence, scratch: "\(packageRoot)/.build/bench-scan", runs: runs)
    printScanTable(scanRows)
}
