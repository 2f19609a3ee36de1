// The "scan" section: `exhume scan` (default options: carving on, export none)
// on the standard E01s, against ewfverify (reading and checking the same E01
// is the floor) and against the chain of peer tools an analyst runs to get the
// same result without Exhume: ewfexport to raw, tsk_recover -e, hashdeep,
// PhotoRec on the whole space.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One step of the peer chain and how long it took.
struct ChainStep {
    var name: String
    var measurement: Measurement
}

/// One input of the scan section.
struct ScanRow {
    var input: String
    var bytes: Int64
    var scan: Measurement
    /// `ewfverify -q`, nil when ewfverify is missing.
    var verify: Measurement?
    /// The chain run with the median total, nil when it was skipped or failed (see `chainNote`).
    var chain: [ChainStep]?
    var chainNote: String?

    var scanMBs: Double { Double(bytes) / scan.seconds / 1e6 }
    var chainSeconds: Double? { chain.map { $0.reduce(0) { $0 + $1.measurement.seconds } } }
}

/// The chain's tools in the order they run.
let chainTools = ["ewfexport", "tsk_recover", "hashdeep", "photorec"]

/// The carving types of the carve bench (run-peers.sh): PhotoRec's `mov` family also finds mp4.
let photoRecSelection = "fileopt,everything,disable,jpg,enable,png,enable,gif,enable,pdf,enable,mov,enable"

/// Times the scan section on fat32.E01 and ext4.E01 of `evidence`, with scratch space under `scratch`.
func scanBench(exhume: String, evidence: String, scratch: String, runs: Int) -> [ScanRow] {
    log("scan vs ewfverify and the chain ewfexport + tsk_recover -e + hashdeep + PhotoRec …")
    let hasVerify = installed("ewfverify")
    if !hasVerify { log("  ewfverify is not installed (apt-get install ewf-tools): the ewfverify column is skipped") }
    let missing = chainTools.filter { !installed($0) }
    let missingNote = missing.isEmpty ? nil : "not installed: \(missing.joined(separator: ", ")) (apt-get install "
        + Set(missing.map(debianPackage(of:))).sorted().joined(separator: " ") + ")"
    if let missingNote { log("  the peer chain is skipped: \(missingNote)") }

    var rows: [ScanRow] = []
    for name in ["fat32.E01", "ext4.E01"] {
        let image = "\(evidence)/\(name)"
        guard FileManager.default.fileExists(atPath: image) else {
            log("  \(image) does not exist: skipped")
            continue
        }
        let bytes = mediaSize(image)
        resetDirectory(scratch)
        // The case database holds one row per item; the chain holds the raw image, every
        // recovered file and every carved file at once: up to three times the media.
        let free = freeBytes(scratch)
        let scanNeed: Int64 = 512 << 20
        let chainNeed = 3 * bytes + (512 << 20)
        log("  \(name): \(format(Double(bytes) / 1e6, 0)) MB of media; \(format(Double(free) / 1e9, 1)) GB free in \(scratch)")
        guard free >= scanNeed else {
            log("  \(name): skipped: not enough free disk space in \(scratch) for a case (\(format(Double(free) / 1e9, 1)) GB free, want \(format(Double(scanNeed) / 1e9, 1)) GB)")
            continue
        }

        log("  \(name): exhume scan …")
        let caseFolder = "\(scratch)/case"
        let scan = timed([exhume, "scan", image, "--case", caseFolder], runs: runs) { resetDirectory(caseFolder) }
        try? FileManager.default.removeItem(atPath: caseFolder)

        var verify: Measurement?
        if hasVerify {
            log("  \(name): ewfverify …")
            verify = timed(["ewfverify", "-q", image], runs: runs)
        }

        var row = ScanRow(input: name, bytes: bytes, scan: scan, verify: verify)
        if let missingNote {
            row.chainNote = "skipped: \(missingNote)"
        } else if free < chainNeed {
            let note = "skipped: not enough free disk space in \(scratch): \(format(Double(free) / 1e9, 1)) GB free, the chain needs about \(format(Double(chainNeed) / 1e9, 1)) GB"
            log("  \(name): peer chain \(note)")
            row.chainNote = note
        } else {
            var results: [[ChainStep]] = []
            var failures: [String] = []
            for run in 1...runs {
                switch peerChain(image: image, ext: name.hasPrefix("ext"), directory: "\(scratch)/chain") {
                case .success(let steps):
                    log("  \(name): peer chain run \(run)/\(runs): "
                        + steps.map { "\($0.name) \(format($0.measurement.seconds, 1)) s" }.joined(separator: ", "))
                    results.append(steps)
                case .failure(let note):
                    log("  \(name): peer chain run \(run)/\(runs) failed: \(note.message)")
                    failures.append(note.message)
                }
            }
            try? FileManager.default.removeItem(atPath: "\(scratch)/chain")
            if !results.isEmpty {
                results.sort { total($0) < total($1) }
                row.chain = results[results.count / 2]
            }
            if let first = failures.first {
                row.chainNote = "\(failures.count) of \(runs) runs failed, the first: \(first)"
            }
        }
        rows.append(row)
    }
    try? FileManager.default.removeItem(atPath: scratch)
    return rows
}

private func total(_ steps: [ChainStep]) -> Double {
    steps.reduce(0) { $0 + $1.measurement.seconds }
}

/// Why a chain run stopped.
struct ChainFailure: Error {
    var message: String
}

/// One run of the peer chain in a fresh `directory`; every step is timed on its own.
/// The image is read once first so the page cache is as warm as for `exhume scan`.
func peerChain(image: String, ext: Bool, directory: String) -> Result<[ChainStep], ChainFailure> {
    resetDirectory(directory)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    _ = measure(["cat", image])
    let raw = "\(directory)/exp.raw"
    let recovered = "\(directory)/rec"
    let carved = "\(directory)/photorec"
    try? FileManager.default.createDirectory(atPath: recovered, withIntermediateDirectories: true)
    try? FileManager.default.createDirectory(atPath: carved, withIntermediateDirectories: true)
    // PhotoRec writes photorec.log into its working directory, hence the cd.
    let photoRecOptions = "partition_none,options,\(ext ? "mode_ext2," : "")paranoid,keep_corrupted_file_no,\(photoRecSelection),wholespace,search"
    let steps: [(String, [String])] = [
        ("ewfexport", ["ewfexport", "-q", "-u", "-f", "raw", "-t", "\(directory)/exp", image]),
        ("tsk_recover", ["tsk_recover", "-e", raw, recovered]),
        ("hashdeep", ["hashdeep", "-c", "md5,sha1,sha256", "-r", recovered]),
        ("photorec", ["/bin/bash", "-c", "cd '\(carved)' && exec photorec /log /d '\(carved)/recup' /cmd '\(raw)' \(photoRecOptions)"]),
    ]
    var done: [ChainStep] = []
    for (name, argv) in steps {
        let measurement = measure(argv)
        guard measurement.status == 0 else {
            return .failure(ChainFailure(message: "\(name) exited with status \(measurement.status): \(argv.joined(separator: " "))"))
        }
        if name == "ewfexport" && !FileManager.default.fileExists(atPath: raw) {
            return .failure(ChainFailure(message: "ewfexport did not write \(raw)"))
        }
        done.append(ChainStep(name: name, measurement: measurement))
    }
    return .success(done)
}

/// Like `timed(_:runs:)`, with `prepare` (not timed) before every run, the warm-up included.
func timed(_ argv: [String], runs: Int, prepare: () -> Void) -> Measurement {
    prepare()
    _ = measure(argv)
    var results: [Measurement] = []
    for _ in 0..<runs {
        prepare()
        results.append(measure(argv))
    }
    results.sort { $0.seconds < $1.seconds }
    var median = results[results.count / 2]
    median.maxRSSKiB = results.map(\.maxRSSKiB).max() ?? 0
    return median
}

/// Removes `path` and creates it again, empty.
func resetDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        fail("cannot create \(path): \(error)")
    }
}

/// Bytes available to this user on the file system holding `path` (statvfs, what df reports as Avail).
func freeBytes(_ path: String) -> Int64 {
    var stats = statvfs()
    guard statvfs(path, &stats) == 0 else { return 0 }
    return Int64(stats.f_bavail) * Int64(stats.f_frsize)
}

func printScanTable(_ rows: [ScanRow]) {
    guard !rows.isEmpty else {
        print("scan: nothing measured (no fat32.E01 or ext4.E01 in the evidence folder, or no disk space)")
        return
    }
    print("")
    print("scan: exhume scan IMG --case NEW (carving on, export none) against ewfverify -q and the peer chain")
    let header = [pad("input", 10), lpad("MB", 6), lpad("scan s", 8), lpad("scan MB/s", 10), lpad("RSS MiB", 8),
                  lpad("ewfverify MB/s", 15), lpad("ratio", 7), lpad("chain s", 8), lpad("ewfexport", 10),
                  lpad("tsk_recover", 12), lpad("hashdeep", 9), lpad("photorec", 9), lpad("ratio", 7)].joined(separator: " ")
    print(header)
    print(String(repeating: "-", count: header.count))
    for r in rows {
        var cells = [pad(r.input, 10), lpad(format(Double(r.bytes) / 1e6, 0), 6), lpad(format(r.scan.seconds, 2), 8),
                     lpad(format(r.scanMBs), 10), lpad(format(Double(r.scan.maxRSSKiB) / 1024, 0), 8)]
        if let verify = r.verify {
            cells += [lpad(format(Double(r.bytes) / verify.seconds / 1e6), 15), lpad(format(verify.seconds / r.scan.seconds, 2) + "x", 7)]
        } else {
            cells += [lpad("-", 15), lpad("-", 7)]
        }
        if let chain = r.chain, let seconds = r.chainSeconds {
            cells.append(lpad(format(seconds, 1), 8))
            for (step, width) in zip(chain, [10, 12, 9, 9]) {
                cells.append(lpad(format(step.measurement.seconds, 1), width))
            }
            cells.append(lpad(format(seconds / r.scan.seconds, 1) + "x", 7))
        } else {
            cells += [lpad("-", 8), lpad("-", 10), lpad("-", 12), lpad("-", 9), lpad("-", 9), lpad("-", 7)]
        }
        print(cells.joined(separator: " "))
    }
    print("""
        MB = media bytes / 10^6; MB/s = media bytes / wall time; RSS = peak resident set of exhume scan.
        ratio (ewfverify) = ewfverify time / scan time, scan throughput over ewfverify's (goal >= 0.9x).
        chain = ewfexport -u -f raw, then tsk_recover -e, hashdeep -c md5,sha1,sha256 -r, PhotoRec wholespace
          jpg,png,gif,pdf,mov/mp4 on the exported raw, one after the other (seconds per step);
          ratio (chain) = chain time / scan time (goal >= 8x).
        scan and ewfverify: medians of the runs after a warm-up run, a fresh case for every scan.
        chain: the run with the median total, no warm-up run (the E01 is read once before each run).
        """)
    for r in rows {
        if let note = r.chainNote { print("note: \(r.input): peer chain \(note)") }
        if r.scan.status != 0 && r.scan.status != 2 {
            print("note: \(r.input): exhume scan exited with status \(r.scan.status); its time is not comparable")
        }
    }
}
