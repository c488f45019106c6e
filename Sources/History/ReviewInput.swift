import Portfolio

/// A review as typed by a person (CSV row or command-line options), before validation.
/// The same checks serve `history record` and `history import`, so both say the same thing.
public struct ReviewInput: Sendable, Equatable {
    /// The fields of a review, named as the CSV columns.
    public enum Field: String, CaseIterable, Sendable {
        case contractID = "contract_id"
        case meetingDate = "meeting_date"
        case leadOfficer = "lead_officer"
        case outcome
        case areas
        case themes
        case followUpDate = "follow_up_date"
        case notes

        /// Fields every review must have.
        public static let required: [Field] = [.contractID, .meetingDate, .leadOfficer, .outcome, .areas]
    }

    /// A problem with one field; `offset` is the 0-based character offset inside the field
    /// where the bad part starts (e.g. the second area of a list).
    public struct Problem: Sendable, Equatable {
        public var field: Field
        public var offset: Int
        public var message: String
    }

    public var values: [Field: String]

    public init(_ values: [Field: String]) { self.values = values }

    /// A recorded review as it would be typed: lists separated by "; ", no follow-up as "".
    /// (The CSV listing writes these values; an amendment starts from them.)
    public init(_ review: Review) {
        values = [.contractID: review.contractID, .meetingDate: review.meetingDate.iso, .leadOfficer: review.leadOfficer,
                  .outcome: review.outcome.rawValue, .areas: review.areas.map(\.rawValue).joined(separator: "; "),
                  .themes: review.themes.joined(separator: "; "), .followUpDate: review.followUpDate?.iso ?? "",
                  .notes: review.notes]
    }

    public enum Validated: Sendable, Equatable {
        case review(Review)
        /// Every problem found, in field order.
        case problems([Problem])
    }

    /// The checked review, or every problem found.
    public func validated() -> Validated {
        var problems: [Problem] = []
        func text(_ field: Field) -> String { values[field]?.trimmingWhitespace() ?? "" }
        func problem(_ field: Field, _ message: String, at offset: Int = 0) {
            problems.append(Problem(field: field, offset: offset, message: message))
        }

        let contractID = text(.contractID)
        if contractID.isEmpty {
            problem(.contractID, "contract id is empty")
        } else if contractID.contains(where: \.isWhitespace) {
            problem(.contractID, "contract id \"\(contractID)\" contains spaces")
        }

        let meetingDate = date(.meetingDate, text(.meetingDate), what: "meeting date", required: true, problem)

        let leadOfficer = text(.leadOfficer)
        if leadOfficer.isEmpty { problem(.leadOfficer, "lead officer is empty") }

        let outcomeText = text(.outcome)
        let outcome = ReviewOutcome(text: outcomeText)
        if outcome == nil {
            problem(.outcome, outcomeText.isEmpty ? "outcome is empty (Red, Amber or Green)"
                : "outcome \"\(outcomeText)\" is not Red, Amber or Green")
        }

        var areas: [NAOArea] = []
        let areaItems = Self.listItems(values[.areas] ?? "")
        if areaItems.isEmpty {
            problem(.areas, "no NAO framework areas given (list them separated by ';')")
        }
        for item in areaItems {
            if let area = NAOArea(text: item.text) {
                areas.append(area)
            } else {
                let nearest = NAOArea.nearest(to: item.text).map { "did you mean \"\($0.rawValue)\"? " } ?? ""
                problem(.areas, "\"\(item.text)\" is not an NAO framework area (\(nearest)one of: "
                        + NAOArea.allCases.map(\.rawValue).joined(separator: ", ") + ")", at: item.offset)
            }
        }

        var themes: [String] = []
        for item in Self.listItems(values[.themes] ?? "")
        where !themes.contains(where: { $0.lowercased() == item.text.lowercased() }) {
            themes.append(item.text)
        }

        let followUp = date(.followUpDate, text(.followUpDate), what: "follow-up date", required: false, problem)
        if let followUp, let meetingDate, followUp < meetingDate {
            problem(.followUpDate, "follow-up date \(followUp) is before the meeting date \(meetingDate)")
        }

        guard problems.isEmpty, let meetingDate, let outcome else { return .problems(problems) }
        return .review(Review(contractID: contractID, meetingDate: meetingDate, leadOfficer: leadOfficer,
                               outcome: outcome, areas: areas, themes: themes, followUpDate: followUp,
                               notes: text(.notes)))
    }

    private func date(_ field: Field, _ text: String, what: String, required: Bool,
                      _ problem: (Field, String, Int) -> Void) -> ContractDate? {
        if text.isEmpty {
            if required { problem(field, "\(what) is empty (YYYY-MM-DD)", 0) }
            return nil
        }
        guard let date = ContractDate(iso: text) else {
            problem(field, "\(what) \"\(text)\" is not a date (YYYY-MM-DD)", 0)
            return nil
        }
        return date
    }

    /// Items of a list separated by ';' or ',', trimmed, with their character offsets.
    static func listItems(_ text: String) -> [(text: String, offset: Int)] {
        var items: [(String, Int)] = []
        var current = "", start = 0, offset = 0
        func flush() {
            let trimmed = current.trimmingWhitespace()
            if !trimmed.isEmpty {
                let lead = current.prefix { $0.isWhitespace }.count
                items.append((trimmed, start + lead))
            }
        }
        for ch in text {
            if ch == ";" || ch == "," {
                flush()
                current = ""
                start = offset + 1
            } else {
                current.append(ch)
            }
            offset += 1
        }
        flush()
        return items
    }
}
