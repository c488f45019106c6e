import Portfolio
import Testing

/// Numbers, dates and text from rules or registers that once trapped or reached the terminal
/// raw (issue 19, causes 3 and 9).
@Suite struct HostileValueTests {
    @Test func hugeNumbersArePrintedInScientificForm() {
        #expect(String(points: 1e17) == "1e+17")
        #expect(String(points: 1e300) == "1e+300")
        #expect(String(points: -1e300) == "-1e+300")
        #expect(String(points: .greatestFiniteMagnitude) == "1.7976931348623157e+308")
        #expect(String(points: .infinity) == "inf")
        #expect(String(oneDecimal: 1e300) == "1e+300")
        #expect(String(oneDecimal: -1e18) == "-1e+18")
        // Below 1e15 nothing changes.
        #expect(String(points: 89.79) == "89.8")
        #expect(String(points: 999_999_999_999_999) == "999999999999999")
        #expect(String(oneDecimal: 12.25) == "12.3")
    }

    @Test func dateArithmeticStopsAtTheRangeEnds() {
        let day = ContractDate(iso: "2026-11-25")!
        #expect(day.adding(months: 120_000).iso == "9999-12-31")
        #expect(day.adding(months: .max).iso == "9999-12-31")
        #expect(day.adding(months: .min).iso == "0001-01-01")
        #expect(day.adding(days: .max).iso == "9999-12-31")
        #expect(day.adding(days: -.max).iso == "0001-01-01")
        #expect(ContractDate(dayNumber: .max).iso == "9999-12-31")
        #expect(day.adding(months: 1).iso == "2026-12-25")
        #expect(ContractDate(iso: "2027-01-31")!.adding(months: 1).iso == "2027-02-28")
    }

    @Test func controlCharactersAreEscapedForTheTerminal() {
        #expect(TerminalText.escaped("\u{1B}]0;title\u{7}\r\u{9B}2J\u{7F}") == "\\e]0;title\\u{7}\\r\\u{9B}2J\\u{7F}")
        #expect(TerminalText.escaped("two\nlines\tand\u{1B}[K", keepingLineBreaks: true) == "two\nlines\tand\\e[K")
        #expect(TerminalText.escaped("a\nb") == "a\\nb")
        #expect(TerminalText.escaped("Café — plain £ text, back\\slash") == "Café — plain £ text, back\\slash")
    }
}
