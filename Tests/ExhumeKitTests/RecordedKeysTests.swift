import Testing
@testable import ExhumeKit

/// The resume set answers exactly for the keys put in, and for no others.
struct RecordedKeysTests {
    @Test func containsWhatWasInsertedAndNothingElse() {
        var keys = RecordedKeys()
        #expect(keys.isEmpty)
        #expect(!keys.contains(""))
        let stored = (0..<10_000).map { "fs@2048/\($0)/2f6469722f\(String($0, radix: 16))" } + ["", "carved@0", "fs@63/5-128-1/default/2f"]
        for key in stored { keys.insert(key) }
        keys.insert("carved@0")   // again: a set
        #expect(keys.count == stored.count)
        for key in stored { #expect(keys.contains(key), "\(key)") }
        // Near misses: one character more, less or changed, other case.
        for key in ["carved@00", "carved@", "Carved@0", "fs@2048/1/2f6469722f2", "fs@63/5-128-1/default/2F", " "] {
            #expect(!keys.contains(key), "\(key)")
        }
    }
}
