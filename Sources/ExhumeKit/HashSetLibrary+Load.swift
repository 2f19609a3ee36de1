import Hashing

extension HashSetLibrary {
    /// Opens the `--hashset PATH[:good|:bad]` indexes of a command.
    static func load(specs: [String]) throws(ExhumeError) -> HashSetLibrary {
        do {
            return try HashSetLibrary(specs: specs)
        } catch {
            throw ExhumeError(error, during: .loadingHashSets)
        }
    }
}
