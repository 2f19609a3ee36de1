import Foundation
import Synchronization

/// When each step of an image's scan ended, for EXHUME_STREAM_STATS (phases
/// run on several threads: files and carving end while the image is hashed).
final class PhaseClock: @unchecked Sendable {
    private let start = DispatchTime.now()
    private let marks = Mutex<[(String, UInt64)]>([])
    static let enabled = ProcessInfo.processInfo.environment["EXHUME_STREAM_STATS"] != nil

    func mark(_ name: String) {
        guard PhaseClock.enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        marks.withLock { $0.append((name, now)) }
    }

    /// Prints the marks so far on stderr, after how long the process ran before the clock started.
    func report() {
        guard PhaseClock.enabled else { return }
        let line = marks.withLock { $0 }.map { "\($0.0) \($0.1 / 1_000_000) ms" }.joined(separator: ", ")
        let before = PhaseClock.processAge(at: start).map { "image opened \(Int($0 * 1000)) ms after the process started; " } ?? ""
        FileHandle.standardError.write(Data("phases: \(before)\(line)\n".utf8))
    }

    /// Seconds from the process's start to `time` (Linux: /proc/self/stat counts in clock ticks).
    private static func processAge(at time: DispatchTime) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 22 (starttime); `fields` begins at field 3.
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        var boot = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - time.uptimeNanoseconds) / 1e9
        let now = Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9
        return now - elapsed - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
