import Portfolio

/// The RAG rating a CMRG deep review gives a contract.
public enum ReviewOutcome: String, CaseIterable, Sendable, Codable {
    case red = "Red"
    case amber = "Amber"
    case green = "Green"

    /// Accepts any letter case ("amber", "AMBER").
    public init?(text: String) {
        let wanted = text.trimmingWhitespace().lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else { return nil }
        self = match
    }
}

/// The 11 areas of the NAO good-practice contract management framework, in the framework's
/// order (its four blocks: planning & governance, people, administration; managing
/// relationships, managing performance, payment & incentives, risk; contract development,
/// supplier development, supplier relationship management, market management).
public enum NAOArea: String, CaseIterable, Sendable, Codable, Comparable {
    case planningAndGovernance = "planning & governance"
    case people = "people"
    case administration = "administration"
    case managingRelationships = "managing relationships"
    case managingPerformance = "managing performance"
    case paymentAndIncentives = "payment & incentives"
    case risk = "risk"
    case contractDevelopment = "contract development"
    case supplierDevelopment = "supplier development"
    case supplierRelationshipManagement = "supplier relationship management"
    case marketManagement = "market management"

    /// Accepts any letter case, "and" for "&", and runs of spaces.
    public init?(text: String) {
        let wanted = Self.normalised(text)
        guard let match = Self.allCases.first(where: { Self.normalised($0.rawValue) == wanted }) else { return nil }
        self = match
    }

    /// The area that shares the most words with `text` (e.g. "performance management" →
    /// managing performance), nil when none shares a word of four letters or more.
    public static func nearest(to text: String) -> NAOArea? {
        func words(_ s: String) -> Set<String> {
            Set(s.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 4 })
        }
        let wanted = words(text)
        let scored = allCases.map { ($0, words($0.rawValue).intersection(wanted).count) }.filter { $0.1 > 0 }
        return scored.max { $0.1 < $1.1 }?.0
    }

    public static func < (a: NAOArea, b: NAOArea) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    private static func normalised(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "&", with: " and ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}

/// One CMRG deep review of a contract, as the review history keeps it.
public struct Review: Sendable, Equatable {
    /// Row id in the history database; nil until recorded.
    public var id: Int64?
    public var contractID: String
    public var meetingDate: ContractDate
    public var leadOfficer: String
    public var outcome: ReviewOutcome
    /// Framework areas the review covered, in framework order, without repeats.
    public var areas: [NAOArea]
    /// Findings themes as the reviewers wrote them (e.g. "KPIs", "social value"), in order.
    public var themes: [String]
    public var followUpDate: ContractDate?
    public var notes: String

    public init(id: Int64? = nil, contractID: String, meetingDate: ContractDate, leadOfficer: String,
                outcome: ReviewOutcome, areas: [NAOArea], themes: [String] = [],
                followUpDate: ContractDate? = nil, notes: String = "") {
        self.id = id
        self.contractID = contractID
        self.meetingDate = meetingDate
        self.leadOfficer = leadOfficer
        self.outcome = outcome
        self.areas = Array(Set(areas)).sorted()
        self.themes = themes
        self.followUpDate = followUpDate
        self.notes = notes
    }

    /// Same review content, whatever the database id.
    public func sameContent(as other: Review) -> Bool {
        var a = self, b = other
        a.id = nil
        b.id = nil
        return a == b
    }
}
