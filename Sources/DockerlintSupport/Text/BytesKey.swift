/// Bytes (a Dockerfile's text) as a dictionary key, hashed in one call: `[UInt8]`'s own
/// `hash(into:)` feeds the hasher one byte at a time, which made the replays' lookups of a
/// text by its bytes (once per commit and variant) cost more than a thousand calls each.
/// Equal when the bytes are (`==` reads nothing when both share a buffer).
public struct BytesKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public static func == (a: BytesKey, b: BytesKey) -> Bool { a.bytes == b.bytes }
}
