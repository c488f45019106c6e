/// A calendar date without time zone (contract registers carry dates, not instants).
/// Stored as days since 1970-01-01 so comparisons and day arithmetic are exact and cheap.
/// Dates run from 0001-01-01 to 9999-12-31 (what `YYYY-MM-DD` can say): arithmetic that
/// would leave that range stops at its ends instead of overflowing, whatever a setting asks.
public struct ContractDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    /// The first and last days a date can be (0001-01-01, 9999-12-31).
    public static let firstDayNumber = -719_162
    public static let lastDayNumber = 2_932_896

    /// Days outside the range are taken as its nearest end.
    public init(dayNumber: Int) {
        self.dayNumber = min(max(dayNumber, ContractDate.firstDayNumber), ContractDate.lastDayNumber)
    }

    /// nil when the triple is not a real calendar date (e.g. 31 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), year >= 1, year <= 9999,
            day >= 1, day <= ContractDate.daysIn(month: month, year: year)
        else { return nil }
        // Days from civil (H. Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146097 + doe - 719468
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                let d = Int(u[i]) - 48
                guard (0...9).contains(d) else { return nil }
                n = n * 10 + d
            }
            return n
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let (y, m, d) = components
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// The 10 bytes of `iso` without building a String (record and CSV writers call this per
    /// contract): the year's last four digits, then month and day.
    public func withISOBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let (y, m, d) = components
        var text: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &text) { raw in
            raw[0] = UInt8(48 + y / 1000 % 10); raw[1] = UInt8(48 + y / 100 % 10)
            raw[2] = UInt8(48 + y / 10 % 10); raw[3] = UInt8(48 + y % 10)
            raw[4] = UInt8(ascii: "-")
            raw[5] = UInt8(48 + m / 10); raw[6] = UInt8(48 + m % 10)
            raw[7] = UInt8(ascii: "-")
            raw[8] = UInt8(48 + d / 10); raw[9] = UInt8(48 + d % 10)
            body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 10))
        }
    }

    public var description: String { iso }

    /// `days` later (earlier when negative), stopping at the first or last date.
    public func adding(days: Int) -> ContractDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return ContractDate(dayNumber: overflow ? (days < 0 ? .min : .max) : sum)
    }

    /// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29
    /// Feb), stopping at the first or last date.
    public func adding(months: Int) -> ContractDate {
        let (y, m, d) = components
        // Within ±120,000 months every year stays representable; beyond, the range ends anyway.
        let total = y * 12 + (m - 1) + min(max(months, -120_000), 120_000)
        let ny = total / 12, nm = total % 12 + 1
        if ny < 1 { return ContractDate(dayNumber: ContractDate.firstDayNumber) }
        if ny > 9999 { return ContractDate(dayNumber: ContractDate.lastDayNumber) }
        return ContractDate(year: ny, month: nm, day: min(d, ContractDate.daysIn(month: nm, year: ny)))
            ?? ContractDate(dayNumber: ContractDate.lastDayNumber)
    }

    public func days(until other: ContractDate) -> Int { other.dayNumber - dayNumber }

    public static func < (a: ContractDate, b: ContractDate) -> Bool { a.dayNumber < b.dayNumber }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
