/// Numbers as people read them in reports and reasons, the same in every module and locale.
extension String {
    /// One decimal place: 12.25 → "12.3", -0.04 → "-0.0" is avoided ("0.0").
    /// Beyond 1e15 (where a double no longer holds every tenth) the number is written in
    /// Swift's shortest form, "1e+17", never converted to an integer type (which would trap).
    public init(oneDecimal d: Double) {
        guard abs(d) < String.largestPlain else {
            self = String(d)
            return
        }
        let tenths = Int64((abs(d) * 10).rounded())
        self = (d < 0 && tenths > 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }

    /// Scores and points: at most one decimal, no trailing ".0" (89.79 → "89.8", 48.0 → "48").
    public init(points d: Double) {
        let rounded = (d * 10).rounded() / 10
        guard abs(rounded) < String.largestPlain else {
            self = String(rounded.isFinite ? rounded : d)
            return
        }
        self = rounded == rounded.rounded() ? String(Int64(rounded)) : String(oneDecimal: rounded)
    }

    /// Numbers at least this large (and NaN, infinities) are written in Swift's own form.
    public static let largestPlain = 1e15
}
