import Carving
import Hashing
import Synchronization
import Testing
@testable import ExhumeKit

/// Results leave the pipeline in item order, whichever lane finishes an item
/// last: two runs over the same image print the same lines in the same order.
struct ResultOrderTests {
    @Test func resultsComeOutInItemOrderWhateverOrderTheLanesFinish() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let delivered = Mutex<[Int64]>([])
            let joiner = ResultJoiner(hashSets: HashSetLibrary()) { result in
                delivered.withLock { $0.append(result.item.carved!.offset) }
            }
            joiner.identifying = round % 2 == 0
            let count = 40
            for index in 0..<count {
                let extent = CarvedExtent(offset: Int64(index), length: 1, rule: "jpeg", fileExtension: "jpg",
                                          complete: true, region: .unallocated)
                joiner.register(ContentItem(sequence: index, carved: extent, image: "evidence.raw"))
            }
            // Each lane finishes the items in an order of its own.
            for index in (0..<count).shuffled(using: &generator) {
                joiner.md5Done(index, md5: [UInt8](repeating: 0, count: 16), outcome: nil, exported: nil, exportError: nil)
            }
            for index in (0..<count).shuffled(using: &generator) {
                joiner.shaDone(index, sha1: [UInt8](repeating: 0, count: 20), sha256: [UInt8](repeating: 0, count: 32))
            }
            if joiner.identifying {
                for index in (0..<count).shuffled(using: &generator) {
                    joiner.typeDone(index, type: ContentType(mime: "image/jpeg", description: "JPEG image data", extensionMismatch: false))
                }
            }
            joiner.drain()
            #expect(delivered.withLock { $0 } == (0..<Int64(count)).map { $0 }, "round \(round)")
        }
    }
}
