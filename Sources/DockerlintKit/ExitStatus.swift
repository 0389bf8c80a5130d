import DockerlintSupport
import Foundation

/// The documented exit codes (README "Exit codes").
public enum ExitStatus: Int32, Sendable {
    /// No findings at or above the failure threshold.
    case clean = 0
    /// Findings at or above the failure threshold, or a failed gate.
    case findings = 1
    /// Usage, input (unreadable or malformed Dockerfile) or configuration error.
    case usage = 2
    /// A builder or the environment failed (no engine reachable, git missing, ...).
    case environment = 3
}

/// An error that ends a command with a one-line message and an exit status.
public struct CommandError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var status: ExitStatus

    public init(_ message: String, status: ExitStatus = .usage) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

extension CommandError {
    /// `git args` in `repository` as text, trimmed; a failure is one line: an environment
    /// error when git cannot run, else the command and git's own message.
    static func git(_ args: [String], in repository: String) throws(CommandError) -> String {
        do { return try Git.text(repository: repository, args).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
            switch error {
            case .notInstalled: throw CommandError("git is not installed", status: .environment)
            case .cannotRun(let e): throw CommandError("git could not be started: \(e)", status: .environment)
            case .failed(let a, _, let stderr):
                throw CommandError("git \(a.prefix(3).joined(separator: " ")) failed in \(repository): \(OneLine.clip(stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
            case .malformedOutput: throw CommandError("\(error)")
            }
        }
    }
}
