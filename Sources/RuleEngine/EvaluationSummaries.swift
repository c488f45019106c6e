/// What ranking and the table, CSV and Markdown outputs need of evaluations, kept compact for
/// national registers: per contract its score, its tier and one run of bytes holding the id,
/// the title and the top-factors text ("risk 32, expiry 31, value 30"). A million contracts
/// take about 100 MB this way; as `Evaluation`s with their full trails they took gigabytes.
/// The full trail (factor texts, rule locations, reasons) is kept only by the outputs that
/// show it (JSON, explain).
public struct EvaluationSummaries: Sendable {
    struct Entry: Sendable {
        var score: Double
        var start: UInt32
        var idLength: UInt32
        var titleLength: UInt32
        var topLength: UInt32
        var tier: Tier
    }

    var entries: [Entry] = []
    var bytes: [UInt8] = []

    public init() {}

    public var count: Int { entries.count }

    public func score(_ i: Int) -> Double { entries[i].score }
    public func tier(_ i: Int) -> Tier { entries[i].tier }

    /// The contract id's UTF-8 bytes.
    public func withID<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let e = entries[i]
        return try withBytes(Int(e.start), Int(e.idLength), body)
    }

    public func withTitle<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let e = entries[i]
        return try withBytes(Int(e.start + e.idLength), Int(e.titleLength), body)
    }

    /// The top factors as the outputs show them: "name points" for up to three factors with
    /// the largest points (by size, then name), joined with ", ".
    public func withTopFactors<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let e = entries[i]
        return try withBytes(Int(e.start + e.idLength + e.titleLength), Int(e.topLength), body)
    }

    /// The id, title and top-factors bytes of contract `i` at once (the renderers' hot path).
    @inline(__always)
    public func withFields<R>(_ i: Int, _ body: (_ id: UnsafeBufferPointer<UInt8>, _ title: UnsafeBufferPointer<UInt8>,
                                                 _ topFactors: UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let e = entries[i]
        return try bytes.withUnsafeBufferPointer { all in
            let base = all.baseAddress! + Int(e.start)
            let titleStart = base + Int(e.idLength)
            let topStart = titleStart + Int(e.titleLength)
            return try body(UnsafeBufferPointer(start: base, count: Int(e.idLength)),
                            UnsafeBufferPointer(start: titleStart, count: Int(e.titleLength)),
                            UnsafeBufferPointer(start: topStart, count: Int(e.topLength)))
        }
    }

    /// The first 8 bytes of the id, big-endian and zero-padded: ids with different prefixes
    /// compare (bytewise) as their prefixes do, so sorting rarely needs the whole id.
    public func idPrefix(_ i: Int) -> UInt64 {
        withID(i) { id in
            var key: UInt64 = 0
            for k in 0..<8 { key = key << 8 | UInt64(k < id.count ? id[k] : 0) }
            return key
        }
    }

    public func id(_ i: Int) -> String { withID(i) { String(decoding: $0, as: UTF8.self) } }
    public func title(_ i: Int) -> String { withTitle(i) { String(decoding: $0, as: UTF8.self) } }
    public func topFactors(_ i: Int) -> String { withTopFactors(i) { String(decoding: $0, as: UTF8.self) } }

    private func withBytes<R>(_ start: Int, _ count: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[start..<(start + count)]))
        }
    }

    mutating func reserve(_ contracts: Int, bytesEach: Int) {
        entries.reserveCapacity(contracts)
        bytes.reserveCapacity(contracts * bytesEach)
    }

    /// Drops spare capacity (a batch is complete): keeps a million contracts' worth small.
    mutating func trim() {
        if bytes.capacity > bytes.count + bytes.count / 8 + 64 { bytes = Array(bytes) }
        if entries.capacity > entries.count + entries.count / 8 + 8 { entries = Array(entries) }
    }

    mutating func append(id: String, title: String, tier: Tier, score: Double, topFactors: Factors) {
        let start = bytes.count
        var id = id, title = title
        let idLength = id.withUTF8 { bytes.append(contentsOf: $0); return $0.count }
        let titleLength = title.withUTF8 { bytes.append(contentsOf: $0); return $0.count }
        let topStart = bytes.count
        topFactors.appendText(to: &bytes)
        entries.append(Entry(score: score, start: UInt32(start), idLength: UInt32(idLength),
                             titleLength: UInt32(titleLength), topLength: UInt32(bytes.count - topStart), tier: tier))
    }
}

extension EvaluationSummaries {
    /// The three factors with the largest points of one evaluation, picked as
    /// `Evaluation.topFactors` sorts them (size of points descending, then name; factors with
    /// no points left out; equal ones in call order), from names still in Lua's memory.
    struct Factors {
        typealias Slot = (name: UnsafeRawBufferPointer, points: Double)
        private var slots: (Slot, Slot, Slot) = ((UnsafeRawBufferPointer(start: nil, count: 0), 0),
                                                 (UnsafeRawBufferPointer(start: nil, count: 0), 0),
                                                 (UnsafeRawBufferPointer(start: nil, count: 0), 0))
        private(set) var count = 0
        /// Copies of names longer than the sandbox lets out, cut as a host function sees them.
        private var owned: [UnsafeMutableRawBufferPointer] = []

        mutating func reset() {
            count = 0
            for name in owned { name.deallocate() }
            owned.removeAll(keepingCapacity: true)
        }

        /// A name to offer: the bytes as they are, or (when longer than `maxBytes`) a copy cut
        /// the way `LuaScalar` cuts strings, valid until `reset`.
        mutating func name(_ bytes: UnsafeRawBufferPointer, cutTo scalar: @autoclosure () -> String?, maxBytes: Int)
            -> UnsafeRawBufferPointer {
            guard bytes.count > maxBytes, let cut = scalar() else { return bytes }
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: cut.utf8.count, alignment: 1)
            copy.copyBytes(from: cut.utf8)
            owned.append(copy)
            return UnsafeRawBufferPointer(copy)
        }

        subscript(_ i: Int) -> Slot {
            get {
                switch i {
                case 0: slots.0
                case 1: slots.1
                default: slots.2
                }
            }
            set {
                switch i {
                case 0: slots.0 = newValue
                case 1: slots.1 = newValue
                default: slots.2 = newValue
                }
            }
        }

        /// Offers one factor; keeps it if it is among the top three so far.
        mutating func offer(name: UnsafeRawBufferPointer, points: Double) {
            guard points != 0 else { return }
            // Position after every kept factor that goes before it or ties with it (stable).
            var at = count
            while at > 0, Self.precedes((name, points), self[at - 1]) { at -= 1 }
            guard at < 3 else { return }
            var i = min(count, 2)
            while i > at {
                self[i] = self[i - 1]
                i -= 1
            }
            self[at] = (name, points)
            count = min(count + 1, 3)
        }

        static func precedes(_ a: Slot, _ b: Slot) -> Bool {
            let x = abs(a.points), y = abs(b.points)
            if x != y { return x > y }
            return nameLess(a.name, b.name)
        }

        /// Swift's String `<`, which is byte order for ASCII names.
        static func nameLess(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
            if isASCII(a) && isASCII(b) { return a.lexicographicallyPrecedes(b) }
            return String(decoding: a, as: UTF8.self) < String(decoding: b, as: UTF8.self)
        }

        static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
            for b in bytes where b >= 0x80 { return false }
            return true
        }

        /// "name points, name points, name points".
        func appendText(to out: inout [UInt8]) {
            for i in 0..<count {
                if i > 0 {
                    out.append(UInt8(ascii: ","))
                    out.append(UInt8(ascii: " "))
                }
                let slot = self[i]
                if Self.isASCII(slot.name) || String(validating: slot.name, as: UTF8.self) != nil {
                    out.append(contentsOf: slot.name)
                } else {
                    // As a Swift String would hold it: invalid sequences replaced.
                    out.append(contentsOf: String(decoding: slot.name, as: UTF8.self).utf8)
                }
                out.append(UInt8(ascii: " "))
                PointsFormat.append(slot.points, to: &out)
            }
        }
    }
}
