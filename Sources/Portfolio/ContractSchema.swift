/// The canonical contract fields, each defined here once (DESIGN.md, "Canonical portfolio"):
/// its column name (the canonical CSV header and `c.<column>` in rules), its kind, whether
/// every contract has one, and where its value lives in `Contract`. The order of the cases is
/// the canonical CSV column order and the slot order of the record the rules see.
///
/// Whatever handles fields iterates `CanonicalField.all` and switches over `kind` (never over
/// the fields one by one): the canonical CSV reader and writer, the Transparency loader, the
/// rule record `c`, rule-test cases, explain and `cmrg check`. Adding a field of an existing
/// kind is therefore: its stored property in `Contract` (and init parameter), then here one
/// case, one line in `definition`, one in `value(in:)` and one in `set(_:in:)` (each switch is
/// exhaustive, so the compiler points at any that is missing), and its line in
/// `rules/cmrg.d.lua` (a test checks that file names exactly these fields).
public enum CanonicalField: String, CaseIterable, Sendable {
    case id, title, supplier, directorate
    case leadOfficer = "lead_officer"
    case category
    case valueTotal = "value_total"
    case valueAnnual = "value_annual"
    case startDate = "start_date"
    case endDate = "end_date"
    case maxEndDate = "max_end_date"
    case risk, complexity
    case strategicImportance = "strategic_importance"
    case memberSuggested = "member_suggested"
    case auditPlanned = "audit_planned"
    case memberSuggestedOn = "member_suggested_on"
    case noticeStage = "notice_stage"
    case reviewGroup = "review_group"

    /// Every field in canonical order (`allCases` builds a new array on each use).
    public static let all: [CanonicalField] = allCases
    /// The column names in canonical order.
    public static let columns: [String] = all.map(\.column)

    /// The column name as written in canonical CSV and seen by rules (`c.value_total`).
    public var column: String { rawValue }

    /// The field's kind and whether every contract must have a value (a loader rejects a
    /// blank one).
    private var definition: (kind: FieldKind, required: Bool) {
        switch self {
        case .id:                  (.text, true)
        case .title:               (.text, true)
        case .supplier:            (.text, false)
        case .directorate:         (.text, false)
        case .leadOfficer:         (.text, false)
        case .category:            (.text, false)
        case .valueTotal:          (.money, false)
        case .valueAnnual:         (.money, false)
        case .startDate:           (.date, false)
        case .endDate:             (.date, false)
        case .maxEndDate:          (.date, false)
        case .risk:                (.level, false)
        case .complexity:          (.level, false)
        case .strategicImportance: (.level, false)
        case .memberSuggested:     (.text, false)
        case .auditPlanned:        (.text, false)
        case .memberSuggestedOn:   (.date, false)
        case .noticeStage:         (.text, false)
        case .reviewGroup:         (.text, false)
        }
    }

    public var kind: FieldKind { definition.kind }
    public var isRequired: Bool { definition.required }

    /// The field's value in `c` (a required field is never nil).
    @inline(__always)
    public func value(in c: Contract) -> FieldValue {
        switch self {
        case .id:                  .text(c.id)
        case .title:               .text(c.title)
        case .supplier:            .text(c.supplier)
        case .directorate:         .text(c.directorate)
        case .leadOfficer:         .text(c.leadOfficer)
        case .category:            .text(c.category)
        case .valueTotal:          .money(c.valueTotal)
        case .valueAnnual:         .money(c.valueAnnual)
        case .startDate:           .date(c.startDate)
        case .endDate:             .date(c.endDate)
        case .maxEndDate:          .date(c.maxEndDate)
        case .risk:                .level(c.risk)
        case .complexity:          .level(c.complexity)
        case .strategicImportance: .level(c.strategicImportance)
        case .memberSuggested:     .text(c.memberSuggested)
        case .auditPlanned:        .text(c.auditPlanned)
        case .memberSuggestedOn:   .date(c.memberSuggestedOn)
        case .noticeStage:         .text(c.noticeStage)
        case .reviewGroup:         .text(c.reviewGroup)
        }
    }

    /// Sets the field in `c`; `value` must be of the field's kind (nil clears it; a required
    /// field becomes "").
    @inline(__always)
    public func set(_ value: FieldValue, in c: inout Contract) {
        switch self {
        case .id:                  c.id = value.text(of: self) ?? ""
        case .title:               c.title = value.text(of: self) ?? ""
        case .supplier:            c.supplier = value.text(of: self)
        case .directorate:         c.directorate = value.text(of: self)
        case .leadOfficer:         c.leadOfficer = value.text(of: self)
        case .category:            c.category = value.text(of: self)
        case .valueTotal:          c.valueTotal = value.money(of: self)
        case .valueAnnual:         c.valueAnnual = value.money(of: self)
        case .startDate:           c.startDate = value.date(of: self)
        case .endDate:             c.endDate = value.date(of: self)
        case .maxEndDate:          c.maxEndDate = value.date(of: self)
        case .risk:                c.risk = value.level(of: self)
        case .complexity:          c.complexity = value.level(of: self)
        case .strategicImportance: c.strategicImportance = value.level(of: self)
        case .memberSuggested:     c.memberSuggested = value.text(of: self)
        case .auditPlanned:        c.auditPlanned = value.text(of: self)
        case .memberSuggestedOn:   c.memberSuggestedOn = value.date(of: self)
        case .noticeStage:         c.noticeStage = value.text(of: self)
        case .reviewGroup:         c.reviewGroup = value.text(of: self)
        }
    }
}

/// What a canonical field holds. Each kind has one Swift type; each format spells it its own
/// way (canonical CSV: `CanonicalCSVFormat`/`CanonicalCSVSource`; rules: the record fill in
/// RuleEngine; explain: Reports).
public enum FieldKind: Sendable, Equatable {
    /// Free text (`String`).
    case text
    /// Pounds sterling (`Double`), e.g. a whole-life value.
    case money
    /// A calendar date (`ContractDate`).
    case date
    /// An assessed level (`Int`), a whole number from 1 (low) to 5 (high).
    case level
}

/// One field's value in one contract, typed by the field's kind; nil = not known.
public enum FieldValue: Sendable, Equatable {
    case text(String?)
    case money(Double?)
    case date(ContractDate?)
    case level(Int?)

    public var kind: FieldKind {
        switch self {
        case .text: .text
        case .money: .money
        case .date: .date
        case .level: .level
        }
    }

    @inline(__always)
    func text(of field: CanonicalField) -> String? {
        guard case .text(let v) = self else { mismatch(field) }
        return v
    }

    @inline(__always)
    func money(of field: CanonicalField) -> Double? {
        guard case .money(let v) = self else { mismatch(field) }
        return v
    }

    @inline(__always)
    func date(of field: CanonicalField) -> ContractDate? {
        guard case .date(let v) = self else { mismatch(field) }
        return v
    }

    @inline(__always)
    func level(of field: CanonicalField) -> Int? {
        guard case .level(let v) = self else { mismatch(field) }
        return v
    }

    private func mismatch(_ field: CanonicalField) -> Never {
        preconditionFailure("\(field.column) holds \(field.kind), not \(kind)")
    }
}
