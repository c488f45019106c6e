/// What ranking and the table, CSV and Markdown outputs need of evaluations, kept compact for
/// national registers: per contract its score, its tier and one run of bytes holding the id,
/// the title and the top-factors text ("risk 32, expiry 31, value 30"). A million contracts
/// take about 100 MB this way; as `Evaluation`s with their full trails they took gigabytes.
/// The full trail (factor texts, rule locations, reasons) is kept only by the outputs that
/// show it (JSON, explain). Summaries are written once (by one worker) and then only read;
/// copies share their storage.
public struct EvaluationSummaries: Sendable {
    struct Entry: Sendable {
        var score: Double
        var start: Int
        var idLength: UInt32
        var titleLength: UInt32
        var topLength: UInt32
        /// The flags' summaries joined with "; " (empty for none), after the top factors.
        var flagsLength: UInt32
        var tier: Tier
    }

    /// Entries and bytes in memory of their own, so renderers can read a million rows through
    /// plain pointers (`Fields`). Written by one worker, then only read.
    final class Storage: @unchecked Sendable {
        var entries: UnsafeMutablePointer<Entry>
        var count = 0
        var entryCapacity: Int
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCount = 0
        var byteCapacity: Int

        init(entries: Int = 16, bytes: Int = 1024) {
            entryCapacity = max(entries, 1)
            byteCapacity = max(bytes, 1)
            self.entries = .allocate(capacity: entryCapacity)
            self.bytes = .allocate(capacity: byteCapacity)
        }

        deinit {
            entries.deinitialize(count: count)
            entries.deallocate()
            bytes.deallocate()
        }

        func reserveBytes(_ extra: Int) {
            guard byteCount + extra > byteCapacity else { return }
            var capacity = byteCapacity * 2
            while capacity < byteCount + extra { capacity *= 2 }
            resizeBytes(capacity)
        }

        func resizeBytes(_ capacity: Int) {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, 1))
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = max(capacity, 1)
        }

        func resizeEntries(_ capacity: Int) {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: max(capacity, 1))
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            entryCapacity = max(capacity, 1)
        }

        func append(_ b: UnsafeRawBufferPointer) {
            reserveBytes(b.count)
            if let base = b.baseAddress { (bytes + byteCount).initialize(from: base.assumingMemoryBound(to: UInt8.self), count: b.count) }
            byteCount += b.count
        }

        func append(_ entry: Entry) {
            if count == entryCapacity { resizeEntries(entryCapacity * 2) }
            (entries + count).initialize(to: entry)
            count += 1
        }
    }

    let storage: Storage

    public init() { storage = Storage() }

    init(reserving contracts: Int, bytesEach: Int) {
        storage = Storage(entries: contracts, bytes: contracts * bytesEach)
    }

    public var count: Int { storage.count }

    /// Reading without retaining anything per row (the renderers' hot path). Valid while this
    /// value (or a copy of it) is alive.
    public var fields: Fields { Fields(entries: storage.entries, bytes: storage.bytes, count: storage.count) }

    public struct Fields: @unchecked Sendable {
        let entries: UnsafePointer<Entry>
        let bytes: UnsafePointer<UInt8>
        public let count: Int

        @inline(__always) func entry(_ i: Int) -> Entry {
            precondition(i >= 0 && i < count, "summary index out of range")
            return entries[i]
        }

        @inline(__always) public func score(_ i: Int) -> Double { entry(i).score }
        @inline(__always) public func tier(_ i: Int) -> Tier { entry(i).tier }

        /// The contract id's UTF-8 bytes.
        @inline(__always) public func id(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let e = entry(i)
            return UnsafeBufferPointer(start: bytes + e.start, count: Int(e.idLength))
        }

        @inline(__always) public func title(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let e = entry(i)
            return UnsafeBufferPointer(start: bytes + e.start + Int(e.idLength), count: Int(e.titleLength))
        }

        /// The top factors as the outputs show them: "name points" for up to three factors with
        /// the largest points (by size, then name), joined with ", ".
        @inline(__always) public func topFactors(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let e = entry(i)
            return UnsafeBufferPointer(start: bytes + e.start + Int(e.idLength) + Int(e.titleLength), count: Int(e.topLength))
        }

        /// The flags as the outputs show them: each `RuleFlag.summary`, joined with "; ".
        @inline(__always) public func flags(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let e = entry(i)
            return UnsafeBufferPointer(start: bytes + e.start + Int(e.idLength) + Int(e.titleLength) + Int(e.topLength),
                                       count: Int(e.flagsLength))
        }

        /// The first 8 bytes of the id, big-endian and zero-padded: ids with different prefixes
        /// compare (bytewise) as their prefixes do, so sorting rarely needs the whole id.
        public func idPrefix(_ i: Int) -> UInt64 {
            let id = self.id(i)
            var key: UInt64 = 0
            for k in 0..<8 { key = key << 8 | UInt64(k < id.count ? id[k] : 0) }
            return key
        }
    }

    public func score(_ i: Int) -> Double { fields.score(i) }
    public func tier(_ i: Int) -> Tier { fields.tier(i) }
    public func id(_ i: Int) -> String { withExtendedLifetime(storage) { String(decoding: fields.id(i), as: UTF8.self) } }
    public func title(_ i: Int) -> String { withExtendedLifetime(storage) { String(decoding: fields.title(i), as: UTF8.self) } }
    public func topFactors(_ i: Int) -> String {
        withExtendedLifetime(storage) { String(decoding: fields.topFactors(i), as: UTF8.self) }
    }
    public func flags(_ i: Int) -> String { withExtendedLifetime(storage) { String(decoding: fields.flags(i), as: UTF8.self) } }

    /// Drops spare capacity (a batch is complete): keeps a million contracts' worth small.
    func trim() {
        if storage.byteCapacity > storage.byteCount + storage.byteCount / 8 + 64 { storage.resizeBytes(storage.byteCount) }
        if storage.entryCapacity > storage.count + storage.count / 8 + 8 { storage.resizeEntries(storage.count) }
    }

    func append(id: String, title: String, tier: Tier, score: Double, topFactors: Factors, flags: String = "") {
        let start = storage.byteCount
        var id = id, title = title, flags = flags
        let idLength = id.withUTF8 { storage.append(UnsafeRawBufferPointer($0)); return $0.count }
        let titleLength = title.withUTF8 { storage.append(UnsafeRawBufferPointer($0)); return $0.count }
        let topStart = storage.byteCount
        topFactors.appendText(to: storage)
        let topLength = storage.byteCount - topStart
        let flagsLength = flags.withUTF8 { storage.append(UnsafeRawBufferPointer($0)); return $0.count }
        storage.append(Entry(score: score, start: start, idLength: UInt32(idLength), titleLength: UInt32(titleLength),
                             topLength: UInt32(topLength), flagsLength: UInt32(flagsLength), tier: tier))
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
        func appendText(to out: EvaluationSummaries.Storage) {
            var text: [UInt8] = []
            text.reserveCapacity(64)
            for i in 0..<count {
                if i > 0 {
                    text.append(UInt8(ascii: ","))
                    text.append(UInt8(ascii: " "))
                }
                let slot = self[i]
                if Self.isASCII(slot.name) || String(validating: slot.name, as: UTF8.self) != nil {
                    text.append(contentsOf: slot.name)
                } else {
                    // As a Swift String would hold it: invalid sequences replaced.
                    text.append(contentsOf: String(decoding: slot.name, as: UTF8.self).utf8)
                }
                text.append(UInt8(ascii: " "))
                PointsFormat.append(slot.points, to: &text)
            }
            text.withUnsafeBytes { out.append($0) }
        }
    }
}
