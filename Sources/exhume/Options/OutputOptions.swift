import ArgumentParser

/// `--json` of the commands that print one JSON object.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print one JSON object.")
    var json = false
}

/// `--out DIR` of the commands that write files under an output folder (`recover`, `carve`).
struct OutputFolderOption: ParsableArguments {
    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (created; must be empty and outside the evidence folder unless --force).", valueName: "DIR"))
    var out: String
}

/// `--force` of the same commands; a group of its own because it comes last in their help.
struct ForceOption: ParsableArguments {
    @Flag(help: "Accept an output folder that is not empty or lies in the evidence folder.")
    var force = false
}
