import Foundation

/// How contracts are written as canonical CSV (DESIGN.md): the canonical columns, then the
/// extras; money as plain decimals, dates ISO, blanks for unknown values; quotes only where
/// RFC 4180 needs them. Appends bytes to a buffer so a million rows cost no per-field Strings
/// beyond the contract's own.
public enum CanonicalCSVFormat {
    public static func header(extraColumns: [String]) -> [String] {
        CanonicalField.columns + extraColumns
    }

    /// A plain decimal: `109320`, `32283.5`, `1250000.75` (shortest text that reads back equal).
    public static func amount(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = "\(value)"
        return text.utf8.contains(UInt8(ascii: "e")) ? String(format: "%.2f", value) : text
    }

    public static func appendHeader(extraColumns: [String], to buffer: inout [UInt8]) {
        appendRecord(header(extraColumns: extraColumns), to: &buffer)
    }

    public static func appendRow(_ c: Contract, to buffer: inout [UInt8]) {
        for (i, field) in CanonicalField.all.enumerated() {
            if i > 0 { comma(&buffer) }
            appendValue(field.value(in: c), to: &buffer)
        }
        for extra in c.extras {
            comma(&buffer); appendText(extra, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// One field's value as canonical CSV spells its kind; nothing when unknown.
    @inline(__always)
    static func appendValue(_ value: FieldValue, to buffer: inout [UInt8]) {
        switch value {
        case .text(let text): appendText(text, to: &buffer)
        case .money(let amount): appendAmount(amount, to: &buffer)
        case .date(let date): appendDate(date, to: &buffer)
        case .level(let level): appendLevel(level, to: &buffer)
        }
    }

    static func appendRecord(_ fields: [String], to buffer: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { comma(&buffer) }
            appendText(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    static func comma(_ buffer: inout [UInt8]) { buffer.append(UInt8(ascii: ",")) }

    /// A text field, quoted when it holds a comma, quote or line break (`CSVQuoting`).
    @inline(__always)
    public static func appendText(_ text: String?, to buffer: inout [UInt8]) {
        guard let text else { return }
        CSVQuoting.append(text, to: &buffer)
    }

    /// YYYY-MM-DD without building a String.
    @inline(__always)
    public static func appendDate(_ date: ContractDate?, to buffer: inout [UInt8]) {
        date?.withISOBytes { buffer.append(contentsOf: $0) }
    }

    /// `amount(value)` without building a String for whole pounds.
    @inline(__always)
    static func appendAmount(_ value: Double?, to buffer: inout [UInt8]) {
        guard let value else { return }
        guard value == value.rounded(), value >= 0, value < 1e15 else {
            buffer.append(contentsOf: amount(value).utf8)
            return
        }
        var n = Int64(value)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            } while n > 0
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    @inline(__always)
    static func appendLevel(_ level: Int?, to buffer: inout [UInt8]) {
        guard let level else { return }
        buffer.append(contentsOf: String(level).utf8)
    }
}
