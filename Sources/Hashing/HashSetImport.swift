/// `exhume hashset import`: one call from a source file to an index file.
public enum HashSetImport {
    /// Reads `source` (format detected from its content unless `format` is
    /// given) and writes the index to `output`. The set is named `name`, or
    /// after the source file. Fails on the first malformed entry with an error
    /// naming the file and the line.
    @discardableResult
    public static func run(source: String, format: HashSetFormat? = nil, output: String,
                           name: String? = nil, kind: HashSetKind) throws -> HashSetIndexSummary {
        let reader = try HashSetFormat.reader(path: source, format: format)
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        let writer = HashSetIndexWriter(name: name ?? fileName, kind: kind, sourceName: fileName)
        try writer.add(contentsOf: reader)
        return try writer.write(to: output)
    }
}
