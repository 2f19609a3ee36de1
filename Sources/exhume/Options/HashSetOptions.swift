import ArgumentParser
import ExhumeKit
import Hashing

/// `--hashset PATH[:good|:bad]`, repeatable.
struct HashSetOptions: ParsableArguments {
    @Option(name: .customLong("hashset"),
            help: ArgumentHelp("A hash-set index made by `exhume hashset import`; `:good` or `:bad` overrides how it is used. Repeatable.",
                               valueName: "PATH[:good|:bad]"))
    var specs: [String] = []

    func library() throws -> HashSetLibrary {
        do {
            return try HashSetLibrary(specs: specs)
        } catch {
            throw Diagnostics.fail(ExhumeError(.badInput, error.description))
        }
    }
}
