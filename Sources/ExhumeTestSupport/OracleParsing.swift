import Foundation

/// Parsers for the peer tools' text output.
public enum OracleParsing {
    /// A row of `mmls`: slot number, start, length, description.
    public struct MmlsRow: Hashable, Sendable, CustomStringConvertible {
        public var slot: Int
        public var start: UInt64
        public var length: UInt64
        public var description: String
        public init(slot: Int, start: UInt64, length: UInt64, description: String) {
            self.slot = slot
            self.start = start
            self.length = length
            self.description = description
        }
    }

    /// Rows of `mmls` output (`002:  000:000   0000000128   0000055423   0000055296   NTFS / exFAT (0x07)`).
    public static func mmlsRows(_ text: String) -> [MmlsRow] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, fields[0].hasSuffix(":"), let slot = Int(fields[0].dropLast()),
                  let start = UInt64(fields[2]), let length = UInt64(fields[4]) else { return nil }
            // The description is everything after the length column (the fifth field), spaces included.
            let description = fields[4].endIndex < line.endIndex
                ? line[fields[4].endIndex...].trimmingCharacters(in: .whitespaces) : ""
            return MmlsRow(slot: slot, start: start, length: length, description: description)
        }
    }

    /// The MD5 `ewfverify` calculated (`MD5 hash calculated over data:`).
    public static func ewfverifyMD5(_ text: String) -> String? {
        for line in text.split(separator: "\n") where line.contains("MD5 hash calculated over data:") {
            return line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// Counts of `fls -r -p` lines: all, and deleted (a `*` after the type).
    public static func flsCounts(_ lines: [[UInt8]]) -> (total: Int, deleted: Int) {
        let deleted = lines.filter { line in
            // "r/r * 12:\tname": the star sits after the type and a space.
            line.count > 5 && line[4] == UInt8(ascii: "*")
        }.count
        return (lines.count, deleted)
    }
}
