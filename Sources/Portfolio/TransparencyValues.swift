/// Parsers for values as councils publish them: "£1,250,000.00", "1.2m", "31/03/2027",
/// "1 April 2024", "01-Apr-24", "Yes"/"N".
enum TransparencyValues {
    /// Cells that mean "not known" in published registers.
    static let blanks: Set<String> = ["n/a", "na", "-", "--", "tbc", "tba", "tbd", "unknown", "not known",
                                      "not applicable", "none", "nil", "ongoing", "rolling", "open ended", "various"]

    static func isBlank(_ text: String) -> Bool {
        text.isEmpty || blanks.contains(text.lowercased())
    }

    /// Pounds: optional "£" or "GBP", thousands separators, optional pence, optional k/m suffix.
    static func money(_ raw: String) -> Double? {
        var text = raw.lowercased().replacingOccurrences(of: " ", with: "")
        for prefix in ["£", "gbp"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if text.hasSuffix("gbp") { text.removeLast(3) }
        var multiplier = 1.0
        for (suffix, factor) in [("million", 1e6), ("m", 1e6), ("k", 1e3)] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            multiplier = factor
            break
        }
        if text.hasPrefix("£") { text.removeFirst() }
        // Thousands separators must group digits in threes: "1,250,000", not "1,25".
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              groups.dropFirst().allSatisfy({ $0.count == 3 })
        else { return nil }
        var plain = groups.joined()
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
            plain += "." + parts[1]
        }
        guard let value = Double(plain) else { return nil }
        return multiplier == 1 ? value : (value * multiplier * 100).rounded() / 100
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// DD/MM/YYYY (also with - or . and one-digit day/month), YYYY-MM-DD, "1 April 2024",
    /// "01-Apr-2024"; two-digit years are 1970-2069; a trailing midnight time is ignored.
    static func date(_ raw: String) -> ContractDate? {
        var text = raw.trimmingSpaces
        for time in [" 00:00:00", " 00:00", "T00:00:00", "T00:00:00Z"] where text.hasSuffix(time) {
            text.removeLast(time.count)
        }
        if let iso = ContractDate(iso: text) { return iso }
        let parts = text.split(whereSeparator: { "/-. ".contains($0) }).map(String.init)
        guard parts.count == 3, let day = Int(parts[0]), parts[0].count <= 2, let rawYear = Int(parts[2]),
              parts[2].allSatisfy(\.isASCIIDigit), parts[2].count == 4 || parts[2].count == 2
        else { return nil }
        let month: Int
        if let number = Int(parts[1]), parts[1].count <= 2 {
            month = number
        } else {
            let name = parts[1].lowercased()
            guard name.count >= 3, let index = months.firstIndex(where: { name.hasPrefix($0) }),
                  name.count == 3 || fullMonthNames[index].hasPrefix(name)
            else { return nil }
            month = index + 1
        }
        let year = parts[2].count == 2 ? (rawYear < 70 ? 2000 + rawYear : 1900 + rawYear) : rawYear
        return ContractDate(year: year, month: month, day: day)
    }

    static let fullMonthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                                 "september", "october", "november", "december"]

    /// "Yes"/"Y"/"True"/"1" -> "yes"; "No"/"N"/"False"/"0" -> "no"; anything else as written.
    static func flag(_ raw: String) -> String {
        switch raw.lowercased() {
        case "yes", "y", "true", "1": "yes"
        case "no", "n", "false", "0": "no"
        default: raw
        }
    }

    /// A level 1 to 5 as a whole number ("3"; "3.0" is not one).
    static func level(_ raw: String) -> Int? {
        guard raw.count == 1, let level = Int(raw), (1...5).contains(level) else { return nil }
        return level
    }

    /// A plain decimal for an amount, as the canonical CSV writes it.
    static func plain(_ value: Double) -> String { CanonicalCSVFormat.amount(value) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
