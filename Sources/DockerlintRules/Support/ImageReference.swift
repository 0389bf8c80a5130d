/// A Docker image reference split the way the distribution reference grammar does:
/// `[registry/]path[:tag][@digest]`. The first component is a registry when it contains
/// `.` or `:` or is `localhost`; otherwise the image is on Docker Hub.
struct ImageReference: Equatable {
    /// The registry as written, nil for Docker Hub short names.
    var registry: String?
    /// The repository path (`library/alpine` is not added for short names).
    var path: String
    var tag: String?
    var digest: String?
    /// Byte offset of `:tag` (the colon) in the text, when there is a tag.
    var tagOffset: Int?

    init(_ text: String) {
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/")
        let nameStart = lastSlash.map { rest.index(after: $0) } ?? rest.startIndex
        if let colon = rest[nameStart...].lastIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            tagOffset = text.utf8.distance(from: text.startIndex, to: colon)
            rest = rest[..<colon]
        }
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
            }
        }
        path = String(rest)
    }

    /// The registry host for trust checks: Docker Hub when none is written.
    var effectiveRegistry: String { registry ?? "docker.io" }
}

