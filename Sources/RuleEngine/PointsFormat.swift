import Portfolio

/// The bytes of `String(points:)` (scores and points as people read them: one decimal at
/// most, no trailing ".0"), written straight into a buffer: workers format the top factors of
/// a national register with it, without a String per number.
public enum PointsFormat {
    public static func append(_ d: Double, to out: inout [UInt8]) {
        let rounded = (d * 10).rounded() / 10
        guard abs(rounded) < String.largestPlain else {
            out += Array(String(points: d).utf8) // huge, NaN or infinite: as String(points:) writes it
            return
        }
        if rounded == rounded.rounded() {
            appendInteger(Int64(rounded), to: &out)
            return
        }
        let tenths = Int64((abs(rounded) * 10).rounded())
        if rounded < 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(tenths / 10, to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(tenths % 10))
    }

    /// Decimal digits of `n`, as `String(n)` writes them.
    public static func appendInteger(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // room for 20 digits, as bytes
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
