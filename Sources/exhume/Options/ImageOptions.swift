import ArgumentParser
import ExhumeKit

/// The image argument and the options every command that reads an image shares.
struct ImageOptions: ParsableArguments {
    @Argument(help: "The image: an .E01 (other segments are found), a raw/dd file, or the first file of a split raw image (.001, .000, .aa).")
    var image: String

    @OptionGroup var timeZone: TimeZoneOption

    /// Sets the time zone and opens the image.
    func examine(sectorOffset: UInt64? = nil, requireFileSystem: Bool = true) throws(ExhumeError) -> Examination {
        timeZone.apply()
        return try Examination(path: image, sectorOffset: sectorOffset, requireFileSystem: requireFileSystem)
    }
}

/// `--fs-timezone ZONE`.
struct TimeZoneOption: ParsableArguments {
    @Option(name: .customLong("fs-timezone"),
            help: ArgumentHelp("Time zone of the seized machine, for file systems that store local time (FAT). Output is always UTC.",
                               valueName: "ZONE"))
    var fsTimezone: String = "UTC"

    func apply() {
        FileSystemTimeZone.use(fsTimezone)
    }
}

struct OffsetOption: ParsableArguments {
    @Option(name: [.customShort("o"), .long],
            help: ArgumentHelp("Only the file system that starts at this sector offset (TSK's -o).", valueName: "SECTORS"))
    var offset: UInt64?
}

/// The image argument, or `--case DIR` to read what a scan recorded instead
/// (`ls` and `timeline`).
struct ImageOrCaseOptions: ParsableArguments {
    @Argument(help: "The image: an .E01 (other segments are found), a raw/dd file, or the first file of a split raw image (.001, .000, .aa).")
    var imagePath: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Read the items a scan recorded in this case folder instead of an image.", valueName: "DIR"))
    var caseFolder: String?

    @OptionGroup var timeZone: TimeZoneOption

    func validate() throws {
        if (imagePath == nil) == (caseFolder == nil) { throw ValidationError("give either an image or --case DIR") }
    }

    /// Sets the time zone and opens the image.
    func examine(sectorOffset: UInt64? = nil) throws(ExhumeError) -> Examination {
        timeZone.apply()
        return try Examination(path: imagePath ?? "", sectorOffset: sectorOffset)
    }
}
