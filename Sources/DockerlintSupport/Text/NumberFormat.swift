#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as dockerlint prints them in text, Markdown and HTML (not in JSON, which keeps
/// full precision). Formatting goes through C's `snprintf`, so `fixed(x, 1)` is exactly
/// `String(format: "%.1f", x)`, without Foundation.
///
/// Byte sizes use binary (IEC) units: 1 KiB = 1024 B, as the sizes in this project's
/// documents and benchmarks do (`64 KiB` reads, `MiB` of memory).
public enum NumberFormat {
    /// `printf`'s `%.<places>f`.
    public static func fixed(_ v: Double, _ places: Int) -> String { c("%.\(places)f", v) }

    /// `printf`'s `%g`.
    public static func general(_ v: Double) -> String { c("%g", v) }

    /// A whole number without decimals, anything else as `%g` (`3`, `0.25`).
    public static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : general(v)
    }

    /// A fraction as a percentage: one decimal strictly between 0 % and 1 % (so a small rate
    /// does not read as zero), else none: `0.4%`, `12%`.
    public static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        if p > 0 && p < 1 { return fixed(p, 1) + "%" }
        return fixed(p, 0) + "%"
    }

    /// Seconds for people: `0 s`, `2.5 s` below ten seconds, `42 s` below ten minutes, then
    /// minutes with one decimal (`12.5 min`).
    public static func seconds(_ v: Double) -> String {
        if v == 0 { return "0 s" }
        if v < 10 { return fixed(v, 1) + " s" }
        if v < 600 { return fixed(v, 0) + " s" }
        return fixed(v / 60, 1) + " min"
    }

    /// A byte count in IEC units with one decimal: `512 B`, `1.5 KiB`, `20.0 MiB`, `1.2 GiB`.
    public static func bytes(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1_073_741_824 { return fixed(d / 1_073_741_824, 1) + " GiB" }
        if d >= 1_048_576 { return fixed(d / 1_048_576, 1) + " MiB" }
        if d >= 1024 { return fixed(d / 1024, 1) + " KiB" }
        return "\(n) B"
    }

    private static func c(_ format: String, _ v: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = withVaList([v]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, args) }
        }
        if n >= 64 {
            buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = withVaList([v]) { args in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, args) }
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
