/// The ids seen so far and the line each was first seen on, for duplicate detection over
/// millions of rows. A Dictionary<String, Int> spent a quarter of the load time hashing,
/// retaining and resizing; this keeps each id's bytes (after a 4-byte length) in one arena
/// and an open-addressing table of 16-byte (hash, line, arena offset) entries, compared
/// byte-for-byte on a hash match.
struct IdIndex {
    private struct Entry {
        var hash: UInt32 = 0      // 0 = empty slot
        var line: Int32 = 0
        var offset = 0
    }

    private var table: [Entry]
    private var arena: [UInt8] = []
    private var count = 0

    init() {
        table = [Entry](repeating: Entry(), count: 1 << 13)
    }

    /// Records `id` first seen on `line`; returns the earlier line if it was already there.
    mutating func insert(_ id: String, line: Int) -> Int? {
        var id = id
        return id.withUTF8 { insert($0, line: line) }
    }

    private mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        let hash = IdIndex.hash(bytes)
        let mask = table.count - 1
        // Find the id, or the empty slot where it goes.
        let (slot, found) = table.withUnsafeBufferPointer { table -> (Int, Int?) in
            var slot = Int(hash) & mask
            while table[slot].hash != 0 {
                let entry = table[slot]
                if entry.hash == hash, sameBytes(at: entry.offset, bytes) { return (slot, Int(entry.line)) }
                slot = (slot + 1) & mask
            }
            return (slot, nil)
        }
        if found != nil { return found }
        table[slot] = Entry(hash: hash, line: Int32(truncatingIfNeeded: line), offset: arena.count)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: bytes)
        count += 1
        if count * 2 > table.count { grow() }
        return nil
    }

    private func sameBytes(at offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            let length = Int(arena[offset]) | Int(arena[offset + 1]) << 8 | Int(arena[offset + 2]) << 16 | Int(arena[offset + 3]) << 24
            guard length == bytes.count else { return false }
            for i in 0..<length where arena[offset + 4 + i] != bytes[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let old = table
        table = [Entry](repeating: Entry(), count: old.count * 2)
        let mask = table.count - 1
        table.withUnsafeMutableBufferPointer { table in
            for entry in old where entry.hash != 0 {
                var slot = Int(entry.hash) & mask
                while table[slot].hash != 0 { slot = (slot + 1) & mask }
                table[slot] = entry
            }
        }
    }

    /// FNV-1a with a final mix, folded to 32 bits; never 0 (0 marks an empty slot).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        let folded = UInt32(truncatingIfNeeded: h)
        return folded == 0 ? 1 : folded
    }
}
