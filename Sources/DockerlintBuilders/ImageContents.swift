// What an image is, for comparing two builds of it: its filesystem (read from a container's
// export, a flattened tar) and the parts of its config that change how it runs.

import DockerlintSupport
import Foundation

/// One filesystem entry of an image (modification times are not kept).
public struct ImageFileEntry: Sendable, Equatable {
    public enum Kind: String, Sendable { case file, directory, symlink, hardlink, other }
    public var path: String
    public var kind: Kind
    /// Permission bits with setuid/setgid/sticky.
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var size: Int
    /// SHA-256 of a regular file's content.
    public var digest: String?
    /// Symlink or hardlink target.
    public var linkTarget: String?
}

/// The config fields that decide how a container runs.
public struct ImageRunConfig: Sendable, Equatable {
    public var env: [String]
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var user: String
    public var workingDir: String
    public var exposedPorts: [String]
    public var labels: [String: String]
    public var volumes: [String]

    /// The first field that differs, as `name: a ≠ b`.
    public func firstDifference(from o: ImageRunConfig) -> String? {
        func list(_ l: [String]?) -> String { l.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? "(none)" }
        if env != o.env { return "config Env: \(list(env)) ≠ \(list(o.env))" }
        if cmd != o.cmd { return "config Cmd: \(list(cmd)) ≠ \(list(o.cmd))" }
        if entrypoint != o.entrypoint { return "config Entrypoint: \(list(entrypoint)) ≠ \(list(o.entrypoint))" }
        if user != o.user { return "config User: \"\(user)\" ≠ \"\(o.user)\"" }
        if workingDir != o.workingDir { return "config WorkingDir: \"\(workingDir)\" ≠ \"\(o.workingDir)\"" }
        if exposedPorts != o.exposedPorts { return "config ExposedPorts: \(list(exposedPorts)) ≠ \(list(o.exposedPorts))" }
        if labels != o.labels {
            let keys = Set(labels.keys).union(o.labels.keys).sorted()
            let k = keys.first { labels[$0] != o.labels[$0] }!
            return "config Labels[\(k)]: \(labels[k].map { "\"\($0)\"" } ?? "(unset)") ≠ \(o.labels[k].map { "\"\($0)\"" } ?? "(unset)")"
        }
        if volumes != o.volumes { return "config Volumes: \(list(volumes)) ≠ \(list(o.volumes))" }
        return nil
    }
}

extension EngineClient {
    /// `GET /images/{id}/json`: the run config.
    public func runConfig(image: String) throws -> ImageRunConfig {
        let (_, body) = try call("GET", "/images/\(queryEscape(image))/json")
        guard let o = WireJSON.decode(WireJSON.ImageInspect.self, body) else {
            throw BuilderError.protocolError("/images/json: not an object")
        }
        let c = o.Config
        return ImageRunConfig(env: c?.Env ?? [], cmd: c?.Cmd, entrypoint: c?.Entrypoint, user: c?.User ?? "",
                              workingDir: c?.WorkingDir ?? "", exposedPorts: (c?.ExposedPorts ?? [:]).keys.sorted(),
                              labels: c?.Labels ?? [:], volumes: (c?.Volumes ?? [:]).keys.sorted())
    }

    /// `POST /containers/create` (never started), labelled so `cleanup(runID:)` removes it.
    public func createContainer(image: String, labels: [String: String]) throws -> String {
        let spec = WireJSON.ContainerSpec(Image: image, Cmd: ["/nonexistent"], Entrypoint: [], Labels: labels, NetworkDisabled: true)
        let (_, body) = try call("POST", "/containers/create", headers: [("Content-Type", "application/json")],
                                 body: .bytes(try WireJSON.encode(spec)))
        guard let id = WireJSON.decode(WireJSON.Created.self, body)?.Id else {
            throw BuilderError.protocolError("/containers/create: no Id")
        }
        return id
    }

    /// The image's filesystem: a container created from it and exported (`GET
    /// /containers/{id}/export`, a flattened tar), read entry by entry; the container is removed.
    public func filesystem(image: String, labels: [String: String]) throws -> [ImageFileEntry] {
        let id = try createContainer(image: image, labels: labels)
        defer { try? removeContainer(id) }
        var reader = TarReader()
        try call("GET", "/containers/\(queryEscape(id))/export", timeout: 600) { chunk in try reader.feed(chunk) }
        try reader.finish()
        return reader.entries
    }
}

/// A streaming tar reader (ustar, pax `x`/`g` headers, GNU long names): every member with its
/// metadata and a SHA-256 of its content.
public struct TarReader {
    public private(set) var entries: [ImageFileEntry] = []
    var buffer: [UInt8] = []
    var pending: (header: ImageFileEntry, remaining: Int, padded: Int)?
    var hasher = SHA256Hex.Hasher()
    var paxPath: String?
    var paxLink: String?
    var longName: String?
    var longLink: String?
    var collecting: (kind: UInt8, data: [UInt8], remaining: Int, padded: Int)?
    var ended = false

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) throws {
        buffer += bytes
        var offset = 0
        defer { if offset > 0 { buffer.removeFirst(offset) } }
        while !ended {
            if var c = collecting {
                let take = min(c.remaining + c.padded, buffer.count - offset)
                guard take > 0 else { return }
                let useful = min(take, c.remaining)
                c.data += buffer[offset..<(offset + useful)]
                c.remaining -= useful
                c.padded -= take - useful
                offset += take
                if c.remaining == 0 && c.padded == 0 { collecting = nil; apply(c.kind, c.data) } else { collecting = c; return }
                continue
            }
            if var p = pending {
                let take = min(p.remaining + p.padded, buffer.count - offset)
                guard take > 0 || (p.remaining == 0 && p.padded == 0) else { return }
                let useful = min(take, p.remaining)
                if useful > 0 { buffer[offset..<(offset + useful)].withUnsafeBytes { hasher.update($0) } }
                p.remaining -= useful
                p.padded -= take - useful
                offset += take
                if p.remaining == 0 && p.padded == 0 {
                    var e = p.header
                    if e.kind == .file { e.digest = hasher.finalize() }
                    hasher = SHA256Hex.Hasher()
                    entries.append(e)
                    pending = nil
                } else { pending = p; return }
                continue
            }
            guard buffer.count - offset >= 512 else { return }
            let h = Array(buffer[offset..<(offset + 512)])
            offset += 512
            if h.allSatisfy({ $0 == 0 }) { ended = true; return }
            func field(_ a: Int, _ n: Int) -> String {
                String(decoding: h[a..<(a + n)].prefix { $0 != 0 }, as: UTF8.self)
            }
            func octal(_ a: Int, _ n: Int) -> Int {
                if h[a] & 0x80 != 0 {
                    var v = 0
                    for b in h[(a + 1)..<(a + n)] { v = v << 8 | Int(b) }
                    return v
                }
                return Int(field(a, n).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
            }
            let size = octal(124, 12)
            let type = h[156]
            let padded = (512 - size % 512) % 512
            if type == UInt8(ascii: "x") || type == UInt8(ascii: "g") || type == UInt8(ascii: "L") || type == UInt8(ascii: "K") {
                collecting = (type, [], size, padded)
                continue
            }
            var name = field(0, 100)
            let prefix = field(345, 155)
            if !prefix.isEmpty && h[257..<262].elementsEqual(Array("ustar".utf8)) { name = prefix + "/" + name }
            if let p = paxPath ?? longName { name = p }
            var link = field(157, 100)
            if let l = paxLink ?? longLink { link = l }
            paxPath = nil; paxLink = nil; longName = nil; longLink = nil
            let kind: ImageFileEntry.Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "1"): kind = .hardlink
            default: kind = .other
            }
            while name.hasPrefix("./") { name.removeFirst(2) }
            while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
            let e = ImageFileEntry(path: "/" + name, kind: kind, mode: UInt32(octal(100, 8) & 0o7777), uid: octal(108, 8), gid: octal(116, 8),
                                   size: kind == .file ? size : 0, digest: nil,
                                   linkTarget: kind == .symlink || kind == .hardlink ? link : nil)
            pending = (e, kind == .file ? size : size, padded)
            if size == 0 { entries.append(kind == .file ? { var x = e; x.digest = hasher.finalize(); hasher = SHA256Hex.Hasher(); return x }() : e); pending = nil }
        }
    }

    mutating func apply(_ kind: UInt8, _ data: [UInt8]) {
        switch kind {
        case UInt8(ascii: "L"): longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        case UInt8(ascii: "K"): longLink = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        case UInt8(ascii: "x"):
            // Records: "<len> key=value\n".
            var i = 0
            while i < data.count {
                guard let sp = data[i...].firstIndex(of: 0x20), let len = Int(String(decoding: data[i..<sp], as: UTF8.self)), len > 0 else { break }
                let rec = data[(sp + 1)..<min(i + len, data.count)]
                if let eq = rec.firstIndex(of: UInt8(ascii: "=")) {
                    let key = String(decoding: rec[rec.startIndex..<eq], as: UTF8.self)
                    var value = String(decoding: rec[(eq + 1)...], as: UTF8.self)
                    if value.hasSuffix("\n") { value.removeLast() }
                    if key == "path" { paxPath = value }
                    if key == "linkpath" { paxLink = value }
                }
                i += len
            }
        default: break
        }
    }

    /// Fails when the stream ended inside a member.
    public mutating func finish() throws {
        if pending != nil || collecting != nil { throw BuilderError.protocolError("tar stream ended inside a member") }
    }
}
