/// One contract of a portfolio (a council's contract register), in the canonical form every
/// loader produces. Unknown values are nil, never zero: rules decide what missing means.
/// The canonical fields are described by `CanonicalField` (column, kind, accessors): a
/// property added here needs its case there.
public struct Contract: Sendable, Equatable {
    public var id: String
    public var title: String
    public var supplier: String?
    public var directorate: String?
    public var leadOfficer: String?
    public var category: String?
    /// Whole-life value in GBP.
    public var valueTotal: Double?
    /// Annual value in GBP.
    public var valueAnnual: Double?
    public var startDate: ContractDate?
    public var endDate: ContractDate?
    /// Latest end date if every extension option is taken.
    public var maxEndDate: ContractDate?
    /// 1 (low) to 5 (high); nil when not assessed.
    public var risk: Int?
    public var complexity: Int?
    public var strategicImportance: Int?
    /// The suggesting member's name, when a councillor asked for a review.
    public var memberSuggested: String?
    /// The internal audit year that covers this contract, e.g. "2026/27".
    public var auditPlanned: String?
    /// When the member asked for the review; a review on or after it answers the suggestion.
    public var memberSuggestedOn: ContractDate?
    /// How far the procurement has got: "tender" (not yet awarded), "award" or "contract"
    /// (an OCDS notice's stage); nil for a register of let contracts.
    public var noticeStage: String?
    /// Contracts with the same group are reviewed together, at one meeting, in one seat
    /// (e.g. "Microsoft and Oracle licences").
    public var reviewGroup: String?
    /// Values of the portfolio's extra columns, aligned with `Portfolio.extraColumns`
    /// (nil where the row left the column empty).
    public var extras: [String?]
    /// Where the contract came from (file and line), for error messages.
    public var origin: SourceLocation?

    public init(
        id: String, title: String, supplier: String? = nil, directorate: String? = nil,
        leadOfficer: String? = nil, category: String? = nil, valueTotal: Double? = nil,
        valueAnnual: Double? = nil, startDate: ContractDate? = nil, endDate: ContractDate? = nil,
        maxEndDate: ContractDate? = nil, risk: Int? = nil, complexity: Int? = nil,
        strategicImportance: Int? = nil, memberSuggested: String? = nil, auditPlanned: String? = nil,
        memberSuggestedOn: ContractDate? = nil, noticeStage: String? = nil, reviewGroup: String? = nil, extras: [String?] = [], origin: SourceLocation? = nil
    ) {
        self.id = id
        self.title = title
        self.supplier = supplier
        self.directorate = directorate
        self.leadOfficer = leadOfficer
        self.category = category
        self.valueTotal = valueTotal
        self.valueAnnual = valueAnnual
        self.startDate = startDate
        self.endDate = endDate
        self.maxEndDate = maxEndDate
        self.risk = risk
        self.complexity = complexity
        self.strategicImportance = strategicImportance
        self.memberSuggested = memberSuggested
        self.auditPlanned = auditPlanned
        self.memberSuggestedOn = memberSuggestedOn
        self.noticeStage = noticeStage
        self.reviewGroup = reviewGroup
        self.extras = extras
        self.origin = origin
    }
}

/// A place in an input file: 1-based line and column (column 0 = whole line).
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)" }
}
