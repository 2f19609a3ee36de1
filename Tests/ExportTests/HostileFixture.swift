import Export

/// The names written into `Fixtures/hostile.raw` by `make-fixtures.sh` (its `hostile.py`
/// spec), byte for byte, as test vectors: the exporter must not depend on SleuthKit, so the
/// end-to-end run through `exhume recover` lives in the CLI tests. `HostileFixtureTests`
/// checks these vectors against `manifest.json`'s `hostile[]` section.
enum HostileFixture {
    struct Entry: Sendable, CustomStringConvertible {
        /// Path components as the file system stores them (parent directories, then the name).
        var components: [[UInt8]]
        /// The file's content (for the symlink: its target, which is what gets exported).
        var content: [UInt8]
        var deleted: Bool
        var isSymlink = false
        /// The output path `SafeExporter` gives it when the vectors are exported in this order.
        var expectedOutput: String?
        var description: String { SafeExporter.manifestPath(components: components) }
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let entries: [Entry] = [
        Entry(components: [bytes("readme.txt")],
              content: bytes("Hostile-names fixture: the other names here are dangerous as output paths.\n"),
              deleted: false, expectedOutput: "readme.txt"),
        Entry(components: [bytes("../../etc/passwd")],
              content: bytes("not /etc/passwd: a regular file whose name is ../../etc/passwd\n"),
              deleted: false, expectedOutput: "..%2F..%2Fetc%2Fpasswd"),
        Entry(components: [bytes("ctl") + [0x01, 0x1B] + bytes("[31mred.txt")],
              content: bytes("name with SOH and an ANSI colour escape\n"),
              deleted: false, expectedOutput: "ctl%01%1B[31mred.txt"),
        Entry(components: [[0xFF, 0xFE] + bytes(".txt")],
              content: bytes("name with invalid UTF-8 bytes ff fe\n"),
              deleted: false, expectedOutput: "%FF%FE.txt"),
        Entry(components: [bytes(String(repeating: "L", count: 251) + ".txt")],
              content: bytes("255-byte ASCII name (ext4 maximum)\n"),
              deleted: false, expectedOutput: String(repeating: "L", count: 251) + ".txt"),
        Entry(components: [bytes(String(repeating: "%é", count: 85))],
              content: bytes("255-byte name of '%' and U+00E9: longer than 255 bytes once '%' is escaped\n"),
              deleted: false, expectedOutput: nil),   // cut + hashed: checked by property
        Entry(components: [bytes("same.txt")], content: bytes("first of two entries named same.txt\n"),
              deleted: false, expectedOutput: "same.txt"),
        Entry(components: [bytes("same.txt")], content: bytes("second of two entries named same.txt (same directory)\n"),
              deleted: false, expectedOutput: "same~2.txt"),
        Entry(components: [bytes("same~2.txt")], content: bytes("a real name that equals the first collision suffix\n"),
              deleted: false, expectedOutput: "same~2~2.txt"),
        Entry(components: [bytes("pair") + [0x01] + bytes(".txt")], content: bytes("pair with 0x01: fls shows pair^.txt\n"),
              deleted: false, expectedOutput: "pair%01.txt"),
        Entry(components: [bytes("pair") + [0x02] + bytes(".txt")], content: bytes("pair with 0x02: fls also shows pair^.txt\n"),
              deleted: false, expectedOutput: "pair%02.txt"),
        Entry(components: [bytes("link-out")], content: bytes("../../../../etc/passwd"),
              deleted: false, isSymlink: true, expectedOutput: "link-out"),
        Entry(components: [bytes("sub"), bytes("normal.txt")], content: bytes("an ordinary file in sub\n"),
              deleted: false, expectedOutput: "sub/normal.txt"),
        Entry(components: [bytes("sub"), bytes("..")], content: bytes("a regular file named .. inside sub\n"),
              deleted: false, expectedOutput: "sub/%2E%2E"),
        Entry(components: [bytes("sub"), bytes("../../evil") + [0x07] + bytes(".txt")],
              content: bytes("deleted file named ../../evil<BEL>.txt\n"),
              deleted: true, expectedOutput: "sub/..%2F..%2Fevil%07.txt"),
    ]
}
