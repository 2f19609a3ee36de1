// Transitional forms that take the stored words as strings, for the scan job
// (ExhumeKit's ScanJob.swift and ScanRecords.swift) until it passes the enums of
// Statuses.swift; each forwards to the typed form. Remove them once nothing calls them.

extension CaseDatabase {
    @available(*, deprecated, message: "pass a ScanStatus")
    public func finishScan(_ id: Int64, status: String) throws {
        try finishScan(id, status: Self.stored(ScanStatus.self, status))
    }

    @available(*, deprecated, message: "pass an ImageStatus and a VerificationVerdict")
    public func setImageStatus(_ id: Int64, status: String, computedMD5: String?, computedSHA1: String?,
                               verification: String? = nil) throws {
        try setImageStatus(id, status: Self.stored(ImageStatus.self, status), computedMD5: computedMD5,
                           computedSHA1: computedSHA1, verification: verification.map { Self.stored(VerificationVerdict.self, $0) })
    }

    /// The case of `type` stored as `word`; any other word is a programming error.
    static func stored<T: RawRepresentable>(_ type: T.Type, _ word: String) -> T where T.RawValue == String {
        guard let value = T(rawValue: word) else { preconditionFailure("'\(word)' is not a \(T.self)") }
        return value
    }
}

extension ImageRecord {
    @available(*, deprecated, message: "pass an ImageStatus")
    public init(path: String, format: String, size: Int64, sectorSize: Int,
                caseNumber: String? = nil, evidenceNumber: String? = nil, examiner: String? = nil,
                description: String? = nil, notes: String? = nil, acquired: String? = nil,
                software: String? = nil, storedMD5: String? = nil, storedSHA1: String? = nil, status: String) {
        self.init(path: path, format: format, size: size, sectorSize: sectorSize, caseNumber: caseNumber,
                  evidenceNumber: evidenceNumber, examiner: examiner, description: description, notes: notes,
                  acquired: acquired, software: software, storedMD5: storedMD5, storedSHA1: storedSHA1,
                  status: CaseDatabase.stored(ImageStatus.self, status))
    }
}

extension HitRecord {
    @available(*, deprecated, message: "pass a HitKind")
    public init(setName: String, kind: String, category: String? = nil, matched: String) {
        self.init(setName: setName, kind: CaseDatabase.stored(HitKind.self, kind), category: category, matched: matched)
    }
}
