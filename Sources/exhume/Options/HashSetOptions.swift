import ArgumentParser

/// `--hashset PATH[:good|:bad]`, repeatable.
struct HashSetOptions: ParsableArguments {
    @Option(name: .customLong("hashset"),
            help: ArgumentHelp("A hash-set index made by `exhume hashset import`; `:good` or `:bad` overrides how it is used. Repeatable.",
                               valueName: "PATH[:good|:bad]"))
    var specs: [String] = []
}
