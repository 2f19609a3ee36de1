import Foundation

/// Runs a peer tool (TSK's `fls`, `tsk_gettimes`, `mmls`, libewf's
/// `ewfverify`…) or our own binary, with `TZ=UTC`, and captures its output.
public struct ToolRun: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String

    /// Standard output split into lines (bytes, newline removed).
    public var lines: [[UInt8]] {
        stdout.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array($0) }
    }

    public var text: String { String(decoding: stdout, as: UTF8.self) }
}

public enum Oracle {
    /// Whether `tool` is on the PATH.
    public static func available(_ tool: String) -> Bool {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs `tool` with `arguments`; `tool` is looked up on the PATH unless it is a path.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 300) throws -> ToolRun {
        let process = Process()
        if tool.contains("/") {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = "UTC"
        environment["LC_ALL"] = "C.UTF-8"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the tool runs so a large output cannot block it.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
        group.wait()
        return ToolRun(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the built `exhume` binary.
    @discardableResult
    public static func exhume(_ arguments: [String], timeout: TimeInterval = 300) throws -> ToolRun {
        try run(Locations.exhumeBinary.path, arguments, timeout: timeout)
    }
}
