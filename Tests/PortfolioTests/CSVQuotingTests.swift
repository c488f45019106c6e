import Portfolio
import Testing

/// The one CSV quoter: canonical portfolios, evaluation and plan CSV and review listings.
@Suite struct CSVQuotingTests {
    @Test func quotesEveryFieldThatNeedsIt() {
        #expect(CSVQuoting.field("plain") == "plain")
        #expect(CSVQuoting.field("") == "")
        #expect(CSVQuoting.field("a, b") == "\"a, b\"")
        #expect(CSVQuoting.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVQuoting.field("Windows\r\nline end") == "\"Windows\r\nline end\"") // CRLF is one Character in Swift
        #expect(CSVQuoting.field("old\rMac") == "\"old\rMac\"")
        #expect(CSVQuoting.field("e\u{301},x") == "\"e\u{301},x\"")
    }

    @Test func appendsTheSameBytesAsField() {
        for text in ["plain", "a, b", "say \"hi\"", "£1,000", "naïve"] {
            var out: [UInt8] = Array("x,".utf8)
            CSVQuoting.append(text, to: &out)
            #expect(out == Array(("x," + CSVQuoting.field(text)).utf8))
        }
    }
}
