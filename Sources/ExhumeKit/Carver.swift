import Carving
import Evidence

/// Finds files by signature in the regions carving looks at, confirms each
/// candidate with libmagic and walks its structure to find where it ends.
///
/// Regions are read in 4 MiB pages (plus the scanner's margin, so a header
/// across a page boundary is seen once) straight from the evidence, in image
/// order. A candidate inside a file already carved (an EXIF thumbnail in a
/// JPEG, a picture stored in a ZIP) is skipped, as PhotoRec does.
public final class Carver {
    public struct Options: Sendable {
        /// Examine positions that are multiples of this (512: every sector).
        public var alignment = 512
        /// At most this many candidates per region; the rest is reported, not scanned.
        public var maxCandidatesPerRegion = 200_000
        /// Confirm each candidate's MIME type with libmagic before validating it.
        public var confirmWithMagic = true
        public init() {}
    }

    /// Counts for the closing summary and the benchmark.
    public struct Statistics: Sendable {
        public var bytesScanned: Int64 = 0
        public var candidates = 0
        public var rejectedByMagic = 0
        public var rejectedByStructure = 0
        public var complete = 0
        public var partial = 0
    }

    private let exam: Examination
    /// Where the bytes are read: the examination's image, or a second reader of it
    /// (its own libewf handle) so carving can run beside another reader.
    private let source: any ImageSource
    private let rules: CarvingRuleSet
    private let scanner: SignatureScanner
    private let validators: [StructureValidator?]
    private let options: Options
    private let identifier: TypeIdentifier
    private let pageSize = 4 << 20

    public init(exam: Examination, rules: CarvingRuleSet, options: Options = Options(),
                source: (any ImageSource)? = nil) throws(IdentificationError) {
        self.exam = exam
        self.source = source ?? exam.source
        self.rules = rules
        self.scanner = SignatureScanner(ruleSet: rules)
        self.validators = scanner.rules.map { Validators.named($0.validator) }
        self.options = options
        self.identifier = try TypeIdentifier()
    }

    /// Carves `regions`; `progress` gets bytes scanned so far, `found` each
    /// extent as soon as it is validated (in image order within a region).
    ///
    /// The carver promises its source, page by page, not to read before the
    /// page it scans: a ``MediaStream/Cursor`` keeps the page and what follows it.
    public func carve(_ regions: [CarveRegion], progress: ((Int64) -> Void)? = nil,
                      stop: (() -> Bool)? = nil, found report: ((CarvedExtent) -> Void)? = nil)
        -> (extents: [CarvedExtent], issues: [Issue], statistics: Statistics) {
        var found: [CarvedExtent] = []
        var issues: [Issue] = []
        var stats = Statistics()
        let margin = max(scanner.margin, 16)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pageSize + margin, alignment: 4096)
        defer { buffer.deallocate() }
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: TypeIdentifier.headBytes, alignment: 16)
        defer { head.deallocate() }

        for region in regions {
            if stop?() == true { break }
            var page = region.extent.offset
            var skipUntil: Int64 = 0
            var candidatesHere = 0
            while page < region.extent.end, stop?() != true {
                source.willNotRead(before: page)
                let pageLength = Int(min(Int64(pageSize), region.extent.end - page))
                let readLength = Int(min(Int64(pageSize + margin), region.extent.end - page))
                let got = readFully(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<readLength]), at: page)
                if got < readLength {
                    issues.append(Issue(severity: .warning, image: exam.source.path, partition: nil, sectorOffset: nil,
                                        message: "cannot read bytes \(page + Int64(got))…\(page + Int64(readLength)) for carving"))
                }
                let limit = min(pageLength, got)
                let result = scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), baseOffset: page,
                                          alignment: options.alignment, limit: limit,
                                          maxCandidates: max(1, options.maxCandidatesPerRegion - candidatesHere))
                for candidate in result.candidates where candidate.offset >= skipUntil {
                    stats.candidates += 1
                    candidatesHere += 1
                    if let extent = examine(candidate, in: region, head: head, stats: &stats) {
                        found.append(extent)
                        report?(extent)
                        // A whole file hides what it contains; a partial one's end is a guess,
                        // so files that start inside it are still looked at.
                        if extent.complete { skipUntil = extent.offset + extent.length }
                    }
                }
                if result.capped || candidatesHere >= options.maxCandidatesPerRegion {
                    issues.append(Issue(severity: .warning, image: exam.source.path, partition: nil, sectorOffset: nil,
                                        message: "carving stopped in region \(region.extent) after \(candidatesHere) candidates (cap reached): the region is full of headers; the rest of it was not carved"))
                    break
                }
                stats.bytesScanned += Int64(limit)
                progress?(stats.bytesScanned)
                page += Int64(pageLength)
            }
        }
        return (found, issues, stats)
    }

    /// libmagic, then the rule's structural validator.
    private func examine(_ candidate: Candidate, in region: CarveRegion, head: UnsafeMutableRawBufferPointer,
                         stats: inout Statistics) -> CarvedExtent? {
        let rule = scanner.rules[candidate.rule]
        let available = min(rule.maxSize, region.extent.end - candidate.offset)
        guard available >= rule.minSize || available == region.extent.end - candidate.offset else { return nil }
        let input = ImageCarveInput(source: source, start: candidate.offset, length: available)
        let ext = rule.extensions.first ?? rule.name
        if options.confirmWithMagic, !rule.mimeTypes.isEmpty {
            let n = input.read(into: UnsafeMutableRawBufferPointer(rebasing: head[0..<Int(min(Int64(head.count), available))]), at: 0)
            guard rule.accepts(mime: identifier.mime(head: UnsafeRawBufferPointer(rebasing: head[0..<n]))) else {
                stats.rejectedByMagic += 1
                return nil
            }
        }
        let verdict: Verdict
        if let validator = validators[candidate.rule] {
            verdict = validator.validate(input, maxSize: available)
        } else if let footer = rule.footer {
            verdict = FooterSearch.validate(input, footer: footer, maxSize: available)
        } else {
            verdict = .truncated(length: available)
        }
        switch verdict {
        case .complete(let length) where length >= rule.minSize:
            stats.complete += 1
            return CarvedExtent(offset: candidate.offset, length: length, rule: rule.name, fileExtension: ext,
                                complete: true, region: region.kind)
        case .truncated(let length) where length >= rule.minSize && length > 0:
            stats.partial += 1
            return CarvedExtent(offset: candidate.offset, length: length, rule: rule.name, fileExtension: ext,
                                complete: false, region: region.kind)
        default:
            stats.rejectedByStructure += 1
            return nil
        }
    }

    private func readFully(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        var done = 0
        while done < buffer.count {
            guard let n = try? source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                                                at: offset + Int64(done)), n > 0 else { break }
            done += n
        }
        return done
    }
}

/// The bytes of the image from a candidate's first byte, for validators.
struct ImageCarveInput: CarveInput {
    let source: any ImageSource
    let start: Int64
    let length: Int64

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard offset >= 0, offset < length, buffer.count > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), length - offset))
        return (try? source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: start + offset)) ?? 0
    }
}

/// The generic rule of Foremost and Scalpel: the file ends after the first
/// footer within the maximum size.
enum FooterSearch {
    static func validate(_ input: CarveInput, footer: ByteSignature, maxSize: Int64) -> Verdict {
        let window = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window + footer.count, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < maxSize {
            let n = input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(window + footer.count), maxSize - offset))]),
                               at: offset)
            guard n >= footer.count else { break }
            let view = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            for position in 0...(n - footer.count) where footer.matches(view, at: position) {
                return .complete(length: offset + Int64(position + footer.count))
            }
            offset += Int64(window)
        }
        return .truncated(length: min(maxSize, input.length))
    }
}
