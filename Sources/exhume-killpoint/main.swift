// A test-only host for crash tests: runs `exhume scan`'s job with an observer
// that ends the process abruptly at a kill point, as `kill -9` would.
//
//   exhume-killpoint --after-batches N | --at-phase PHASE  IMAGE CASE [--batch-size N] [--export POLICY]
//
// The tests then resume the case with the real `exhume scan` and compare.
import ExhumeKit
import ExhumeTestSupport
import Foundation

/// Stops the process after the `afterBatches`th commit, or when `phase` begins.
struct Killer: ScanObserver {
    var afterBatches: Int?
    var phase: ScanPhase?

    func began(_ phase: ScanPhase, image: String) {
        if phase == self.phase { KillPoint.crash() }
    }

    func committed(batch count: Int) {
        if let afterBatches, count >= afterBatches { KillPoint.crash() }
    }
}

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("exhume-killpoint: \(message)\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var killer = Killer()
var options = ScanJob.Options()
var positional: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { usage("\(argument) needs a value") }
        return arguments.removeFirst()
    }
    func parsed<T>(_ make: (String) -> T?) -> T {
        let text = value()
        guard let parsed = make(text) else { usage("\(argument): cannot use '\(text)'") }
        return parsed
    }
    switch argument {
    case "--after-batches": killer.afterBatches = parsed { Int($0) }
    case "--at-phase": killer.phase = parsed { ScanPhase(rawValue: $0) }
    case "--batch-size": options.batchSize = parsed { Int($0) }
    case "--export": options.export = parsed { ScanJob.ExportPolicy(rawValue: $0) }
    default: positional.append(argument)
    }
}
guard positional.count == 2 else { usage("give an image and a case folder") }
do {
    let folder = URL(fileURLWithPath: positional[1])
    let lock = try ScanJob.lock(caseFolder: folder)
    let job = try ScanJob(caseFolder: folder, options: options, observer: killer)
    _ = try job.run(images: [positional[0]], toolVersion: "killpoint", commandLine: CommandLine.arguments.joined(separator: " "))
    withExtendedLifetime(lock) {}
} catch {
    usage("\(error)")
}
