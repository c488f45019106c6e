/// Byte-level parsers for the canonical CSV's typed fields (no String per field on the hot path).
enum FieldParsing {
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// The bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var s = 0, e = bytes.count
        while s < e, isSpace(bytes[s]) { s += 1 }
        while e > s, isSpace(bytes[e - 1]) { e -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[s..<e])
    }

    @inline(__always)
    static func digit(_ b: UInt8) -> Int? {
        let d = Int(b) &- 48
        return d >= 0 && d <= 9 ? d : nil
    }

    /// Exactly `YYYY-MM-DD`, a real calendar date.
    static func isoDate(_ u: UnsafeBufferPointer<UInt8>) -> ContractDate? {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = number(u, 0, 4), let m = number(u, 5, 7), let d = number(u, 8, 10)
        else { return nil }
        return ContractDate(year: y, month: m, day: d)
    }

    @inline(__always)
    static func number(_ u: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        var n = 0
        for i in from..<to {
            guard let d = digit(u[i]) else { return nil }
            n = n * 10 + d
        }
        return n
    }

    /// A plain non-negative decimal: digits, optionally `.` and more digits (`1250000`, `32283.50`).
    static func plainDecimal(_ u: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !u.isEmpty else { return nil }
        var whole = 0
        var i = 0
        var digits = 0
        while i < u.count, let d = digit(u[i]) {
            if digits < 18 { whole = whole * 10 + d }
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        if i == u.count, digits <= 15 { return Double(whole) }
        if i < u.count {
            guard u[i] == UInt8(ascii: "."), i + 1 < u.count else { return nil }
            i += 1
            while i < u.count {
                guard digit(u[i]) != nil else { return nil }
                i += 1
            }
        }
        return Double(String(decoding: u, as: UTF8.self))
    }

    /// A score 1...5.
    static func score(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        guard u.count == 1, let d = digit(u[0]), (1...5).contains(d) else { return nil }
        return d
    }

    /// The value as it appears in a message: quoted, shortened if long.
    static func quoted(_ u: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: u, as: UTF8.self)
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"\(shown)\""
    }
}
