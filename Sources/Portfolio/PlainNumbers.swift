/// Numbers as people read them in reports and reasons, the same in every module and locale.
extension String {
    /// One decimal place: 12.25 → "12.3", -0.04 → "-0.0" is avoided ("0.0").
    public init(oneDecimal d: Double) {
        let tenths = Int64((abs(d) * 10).rounded())
        self = (d < 0 && tenths > 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }

    /// Scores and points: at most one decimal, no trailing ".0" (89.79 → "89.8", 48.0 → "48").
    public init(points d: Double) {
        let rounded = (d * 10).rounded() / 10
        self = rounded == rounded.rounded() ? String(Int64(rounded)) : String(oneDecimal: rounded)
    }
}
