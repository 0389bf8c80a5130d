#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex (no Foundation; `Synchronization.Mutex` needs macOS 15). The mutex lives in
/// memory of its own: a `pthread_mutex_t` must not move, which a stored property of a class
/// does not promise.
public final class PosixMutex: @unchecked Sendable {
    @usableFromInline let m: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        m = .allocate(capacity: 1)
        m.initialize(to: pthread_mutex_t())
        pthread_mutex_init(m, nil)
    }

    deinit {
        pthread_mutex_destroy(m)
        m.deinitialize(count: 1)
        m.deallocate()
    }

    /// Runs `body` holding the lock. Inlinable: specialised where it is called (a generic
    /// call instantiates the metadata of what `body` returns, at every first use).
    @inlinable
    public func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}

/// A value behind its own lock, shared by the threads of a run (a memo).
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = PosixMutex()

    public init(_ value: Value) { self.value = value }

    /// Runs `body` on the value, holding the lock.
    public func locked<T>(_ body: (inout Value) -> T) -> T {
        lock.locked { body(&value) }
    }
}

/// A memo that threads share: each value computed once per key (outside the lock; two threads
/// may both compute a value the first time, the same value), all of them forgotten at once
/// when more than `limit` are kept, so that a long run's memory stays bounded.
public final class BoundedMemo<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = PosixMutex()
    private let limit: Int

    public init(limit: Int = 4096) { self.limit = limit }

    /// The value of `key`, made by `make` when it is not known.
    public func value(_ key: Key, _ make: () -> Value) -> Value {
        if let known = lock.locked({ values[key] }) { return known }
        let made = make()
        lock.locked {
            if values.count > limit { values.removeAll() }
            values[key] = made
        }
        return made
    }
}
