/// A JSON member name as a coding key, for Codable types that read or write their members by
/// name: readers that check member by member and say which one is wrong, writers that must
/// write an absent value as `null` (a schema requires the member).
public struct JSONKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    public init(stringLiteral name: String) { stringValue = name }
}

/// A member that decodes to nil, instead of failing the whole document, when it holds
/// another type: for files people write by hand (package.json, composer.json), where one
/// odd member must not hide the others.
public struct Lenient<T: Decodable>: Decodable {
    public var value: T?
    public init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

extension KeyedDecodingContainer where K == JSONKey {
    /// The member as `T`; nil when it is absent, null or of another type.
    public func lenient<T: Decodable>(_ type: T.Type, _ key: String) -> T? {
        (try? decodeIfPresent(T.self, forKey: JSONKey(key))) ?? nil
    }
}

extension KeyedEncodingContainer where K == JSONKey {
    /// Writes the member; an optional that is nil is written as `null`.
    public mutating func put<T: Encodable>(_ value: T, _ key: String) throws {
        try encode(value, forKey: JSONKey(key))
    }

    /// Writes the member only when it is not nil.
    public mutating func putIfPresent<T: Encodable>(_ value: T?, _ key: String) throws {
        try encodeIfPresent(value, forKey: JSONKey(key))
    }
}
