/// Counts of what a run read, for its closing summary.
struct RunTally: Sendable {
    var items = 0
    var bytes: Int64 = 0
    var readErrors = 0
    var mismatches = 0
    var hits = 0
    var exported = 0
    var exportErrors = 0

    mutating func add(_ result: ItemResult) {
        items += 1
        bytes += result.bytesRead
        if result.readError != nil { readErrors += 1 }
        if result.type?.extensionMismatch == true { mismatches += 1 }
        if !result.hits.isEmpty { hits += 1 }
        if result.exported != nil { exported += 1 }
        if result.exportError != nil { exportErrors += 1 }
    }
}

/// An output sink used only from the pipeline's delivery queue.
final class SinkBox: @unchecked Sendable {
    let sink: OutputSink
    init(_ sink: OutputSink) { self.sink = sink }
}
