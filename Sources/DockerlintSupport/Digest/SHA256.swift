import Crypto

/// SHA-256 (swift-crypto) in the forms dockerlint uses: lowercase hex of bytes, and the
/// digest of a list of strings each followed by a NUL byte (so `["ab", "c"]` and
/// `["a", "bc"]` differ), which the cache model uses for its keys.
public enum SHA256Hex {
    /// The lowercase hex digest of `bytes`; `digits` keeps only the first digits (32 = the
    /// first 128 bits, as fingerprints use).
    public static func of<Bytes: Sequence>(_ bytes: Bytes, digits: Int = 64) -> String where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(data: Array(bytes))
        let full = hex(digest: h.finalize())
        return digits >= 64 ? full : String(full.prefix(digits))
    }

    /// The lowercase hex digest of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> String { of(Array(text.utf8)) }

    /// The digest of each part's UTF-8 bytes followed by a NUL byte.
    public static func of(parts: [String]) -> String {
        // One buffer, one update: the parts are short and many.
        var count = 0
        for part in parts { count += part.utf8.count + 1 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for part in parts {
            bytes.append(contentsOf: part.utf8)
            bytes.append(0)
        }
        var h = SHA256()
        bytes.withUnsafeBytes { h.update(bufferPointer: $0) }
        return hex(digest: h.finalize())
    }

    /// A streaming hasher for data that arrives in pieces (file contents).
    public struct Hasher {
        private var h = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { h.update(bufferPointer: bytes) }
        public mutating func update(_ bytes: [UInt8]) { h.update(data: bytes) }
        public func finalize() -> String { hex(digest: h.finalize()) }
    }

    /// Lowercase hex of bytes.
    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigit(b >> 4))
            out.append(hexDigit(b & 0xF))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase hex of a digest, written straight into the string's storage (keys and
    /// digests are hashed by the hundred thousand in a replay).
    static func hex(digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                var i = 0
                for b in raw {
                    out[i] = hexDigit(b >> 4)
                    out[i + 1] = hexDigit(b & 0xF)
                    i += 2
                }
                return i
            }
        }
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
