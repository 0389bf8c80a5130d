// Building simulator states from disk: a Dockerfile and a context directory as the CLI would
// send them (ignore file chosen as BuildKit does, excluded files never read).

import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// A one-line input problem (missing file, unreadable context, bad .dockerignore).
public struct SimulationInputError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension BuildState {
    /// Reads `dockerfile` and scans `contextDirectory`, applying `<Dockerfile>.dockerignore`
    /// (next to the Dockerfile) or the context's `.dockerignore`. Records the transfer stamps
    /// so BuildKit's stale-transfer quirk can be modelled (§8).
    public static func load(dockerfile: String, contextDirectory: String, buildArgs: [String: String] = [:],
                            target: String? = nil, label: String) throws(SimulationInputError) -> BuildState {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contextDirectory, isDirectory: &isDir), isDir.boolValue else {
            throw SimulationInputError("\(contextDirectory): error: context directory not found")
        }
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(dockerfile) } catch {
            throw SimulationInputError(error.description)
        }
        let ignore: DockerIgnore
        do { ignore = try DockerIgnore.load(dockerfile: dockerfile, contextDirectory: contextDirectory)?.ignore ?? .empty } catch {
            throw SimulationInputError(error.description)
        }
        let snapshot: ContextSnapshot
        do { snapshot = try ContextSnapshot.scan(directory: contextDirectory, ignore: ignore) } catch {
            throw SimulationInputError("\(contextDirectory): error: cannot read the context (\(error))")
        }
        let options = BuildOptions(buildArgs: BuildArgs(buildArgs), target: target)
        let model = DockerfileModel.build(DockerfileParser.parse(Array(bytes)), options: options)
        return BuildState(label: label, model: model, context: snapshot, ignore: .empty,
                          transfer: ContextTransfer.capture(directory: contextDirectory, snapshot: snapshot),
                          dockerfilePath: dockerfile)
    }

    /// This state with the given context paths edited: files get new content, missing paths
    /// become new files; paths the ignore rules exclude change nothing. Returns the paths
    /// that actually changed the context.
    public mutating func edit(paths: [String], ignore: DockerIgnore) -> [String] {
        var changed: [String] = []
        for raw in paths {
            let p = ContextSnapshot.key(raw)
            guard !p.isEmpty else { continue }
            if let e = context.entry(at: p) {
                if e.kind == .directory {
                    for q in context.allPaths where q.hasPrefix(p + "/") {
                        if var f = context.entries[q], f.kind == .file {
                            f.contentDigest = (f.contentDigest ?? "") + "+edited"
                            f.size += 1
                            context.setEntry(f)
                            changed.append(q)
                        }
                    }
                } else {
                    var f = e
                    f.contentDigest = (f.contentDigest ?? "") + "+edited"
                    f.size += 1
                    context.setEntry(f)
                    changed.append(p)
                }
            } else if (try? ignore.matchesOrParentMatches(p)) != true {
                context.setEntry(ContextEntry(path: p, kind: .file, mode: 0o100644, size: 1, contentDigest: "new:" + p))
                changed.append(p)
            }
        }
        // Edited files are new writes: the transfer sees a new mtime.
        if var t = transfer {
            for p in changed { t.stamps[p]?.mtimeNanoseconds += 1 }
            transfer = t
        }
        return changed
    }
}
